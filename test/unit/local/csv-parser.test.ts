import { describe, expect, it } from 'vitest';
import { CsvParser, CsvSyntaxError } from '../../../connectors/sources/local/import/csv-parser.js';

function parse(chunks: string[], delimiter = ','): Array<{ fields: string[]; line: number }> {
  const out: Array<{ fields: string[]; line: number }> = [];
  const p = new CsvParser(delimiter, (fields, line) => out.push({ fields, line }));
  for (const c of chunks) p.push(c);
  p.end();
  return out;
}

const tricky = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"multi\nline",\r\n\n3,,"last"';

describe('CsvParser', () => {
  it('reads quoted fields, doubled quotes, embedded newlines, CRLF, empty fields and blank lines', () => {
    const rows = parse([tricky]);
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'multi\nline', ''],
      ['3', '', 'last'],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 6]);
  });

  it('gives the same records however the input is split into chunks', () => {
    const whole = parse([tricky]).map((r) => r.fields);
    for (let cut = 1; cut < tricky.length; cut++) {
      expect(parse([tricky.slice(0, cut), tricky.slice(cut)]).map((r) => r.fields)).toEqual(whole);
    }
    expect(parse(tricky.split('')).map((r) => r.fields)).toEqual(whole);
  });

  it('keeps a trailing empty field and takes other delimiters', () => {
    expect(parse(['a\tb\n1\t\n'], '\t').map((r) => r.fields)).toEqual([['a', 'b'], ['1', '']]);
  });

  it('names the line of an unterminated quote', () => {
    expect(() => parse(['a,b\n1,2\n3,"open\nstill open'])).toThrowError(CsvSyntaxError);
    try {
      parse(['a,b\n1,2\n3,"open\nstill open']);
    } catch (err) {
      expect((err as CsvSyntaxError).line).toBe(3);
    }
  });

  it('rejects text after a closing quote, naming the line', () => {
    try {
      parse(['a,b\n1,"x"y\n']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CsvSyntaxError);
      expect((err as CsvSyntaxError).line).toBe(2);
    }
  });
});
