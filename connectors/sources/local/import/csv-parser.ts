/**
 * A streaming RFC 4180 CSV parser: quoted fields with doubled quotes, embedded
 * newlines, CRLF or LF, any one-character delimiter. Records are handed out as
 * they complete, with the line they started on; memory holds one record at most.
 */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export class CsvParser {
  private pending = '';
  private line = 1;
  private readonly delim: number;

  constructor(
    delimiter: string,
    private readonly onRecord: (fields: string[], line: number) => void,
  ) {
    if (delimiter.length !== 1) throw new Error('the CSV delimiter must be one character');
    this.delim = delimiter.charCodeAt(0);
  }

  push(chunk: string): void {
    this.pending = this.parse(this.pending + chunk, false);
  }

  end(): void {
    const rest = this.parse(this.pending, true);
    this.pending = '';
    if (rest.length) throw new CsvSyntaxError(this.line, 'unterminated quoted field at end of file');
  }

  /** Parses every complete record in `buf`; returns the unparsed tail (an incomplete record). */
  private parse(buf: string, final: boolean): string {
    const n = buf.length;
    const delim = this.delim;
    let i = 0;
    outer: while (i < n) {
      const recordStart = i;
      const recordLine = this.line;
      let newlines = 0;
      const fields: string[] = [];
      // A blank line is no record.
      if (buf.charCodeAt(i) === 10 || (buf.charCodeAt(i) === 13 && buf.charCodeAt(i + 1) === 10)) {
        i += buf.charCodeAt(i) === 13 ? 2 : 1;
        this.line++;
        continue;
      }
      for (;;) {
        if (buf.charCodeAt(i) === 34) {
          // Quoted field: find the closing quote, unescaping doubled quotes.
          let value = '';
          let from = i + 1;
          for (;;) {
            const q = buf.indexOf('"', from);
            if (q < 0 || (q === n - 1 && !final)) {
              if (final && q < 0) throw new CsvSyntaxError(recordLine, 'unterminated quoted field');
              if (!final) return buf.slice(recordStart);
            }
            if (buf.charCodeAt(q + 1) === 34) {
              value += buf.slice(from, q + 1);
              from = q + 2;
              continue;
            }
            value += buf.slice(from, q);
            i = q + 1;
            break;
          }
          newlines += countNewlines(value);
          fields.push(value);
          const c = i < n ? buf.charCodeAt(i) : -1;
          if (c === delim) { i++; continue; }
          if (c !== 10 && c !== 13 && c !== -1) {
            throw new CsvSyntaxError(recordLine + newlines, `unexpected "${buf[i]}" after a closing quote`);
          }
        } else {
          let j = i;
          while (j < n) {
            const c = buf.charCodeAt(j);
            if (c === delim || c === 10 || c === 13) break;
            j++;
          }
          if (j === n && !final) return buf.slice(recordStart);
          fields.push(buf.slice(i, j));
          i = j;
          if (i < n && buf.charCodeAt(i) === delim) {
            i++;
            if (i === n && !final) return buf.slice(recordStart);
            continue;
          }
        }
        // End of record: newline or end of input.
        if (i < n) {
          if (buf.charCodeAt(i) === 13) {
            if (i + 1 === n && !final) return buf.slice(recordStart);
            i += buf.charCodeAt(i + 1) === 10 ? 2 : 1;
          } else i++;
        }
        this.line += newlines + 1;
        this.onRecord(fields, recordLine);
        continue outer;
      }
    }
    return '';
  }
}

function countNewlines(s: string): number {
  let count = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) count++;
  return count;
}
