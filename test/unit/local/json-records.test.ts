import { describe, expect, it } from 'vitest';
import { JsonArrayReader, JsonLinesReader, JsonSyntaxError } from '../../../connectors/sources/local/import/json-records.js';

const arrayText = '[\n  {"a": 1, "s": "brace } and [ in \\"string\\""},\n  {"a": 2, "nested": {"x": [1, {"y": 2}]}}\n]\n';

function readArray(chunks: string[]): unknown[] {
  const out: unknown[] = [];
  const r = new JsonArrayReader((rec) => out.push(rec));
  for (const c of chunks) r.push(c);
  r.end();
  return out;
}

describe('JsonArrayReader', () => {
  it('splits an array of objects, whatever the chunking', () => {
    const expected = JSON.parse(arrayText);
    expect(readArray([arrayText])).toEqual(expected);
    for (let cut = 1; cut < arrayText.length; cut++) {
      expect(readArray([arrayText.slice(0, cut), arrayText.slice(cut)])).toEqual(expected);
    }
  });

  it('handles many records without growing the stack', () => {
    const text = `[${Array.from({ length: 50_000 }, (_, i) => `{"i":${i}}`).join(',')}]`;
    expect(readArray([text])).toHaveLength(50_000);
  });

  it('reports a file that ends early, and non-object elements, with their line', () => {
    expect(() => readArray(['[{"a":1},\n{"a":'])).toThrowError(/not closed/);
    try {
      readArray(['[\n{"a":1},\n42]']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(JsonSyntaxError);
      expect((err as JsonSyntaxError).line).toBe(3);
    }
  });
});

describe('JsonLinesReader', () => {
  it('reads one object per line, skipping blank lines, across chunk boundaries', () => {
    const out: Array<[unknown, number]> = [];
    const r = new JsonLinesReader((rec, line) => out.push([rec, line]));
    r.push('{"a":1}\n\n{"a"');
    r.push(':2}\r\n{"a":3}');
    r.end();
    expect(out).toEqual([[{ a: 1 }, 1], [{ a: 2 }, 3], [{ a: 3 }, 4]]);
  });

  it('names the line of invalid JSON', () => {
    const r = new JsonLinesReader(() => undefined);
    expect(() => r.push('{"a":1}\n{"a":\n')).toThrowError(JsonSyntaxError);
  });
});
