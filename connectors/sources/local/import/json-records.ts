/**
 * Streaming readers for JSON Lines and for one big JSON array of objects:
 * each hands out one parsed object at a time with its line, never the whole file.
 */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

type OnRecord = (record: Record<string, unknown>, line: number) => void;

/** Parses one record's text, naming its line when it is not a JSON object. */
function parseRecord(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new JsonSyntaxError(line, `invalid JSON: ${(err as Error).message}`);
  }
  return asRecord(value, line);
}

function asRecord(value: unknown, line: number): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JsonSyntaxError(line, 'each record must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export class JsonLinesReader {
  private pending = '';
  private line = 0;
  constructor(private readonly onRecord: OnRecord) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.handle(text.slice(start, nl));
      start = nl + 1;
    }
    this.pending = text.slice(start);
  }

  end(): void {
    if (this.pending.length) this.handle(this.pending);
    this.pending = '';
  }

  private handle(raw: string): void {
    this.line++;
    const s = raw.trim();
    if (s === '') return;
    this.onRecord(parseRecord(s, this.line), this.line);
  }
}

/** Splits `[ {...}, {...} ]` into its elements by tracking depth and strings across chunks. */
export class JsonArrayReader {
  private state: 'start' | 'between' | 'done' = 'start';
  private buf = '';
  private line = 1;
  private scanned = 0; // how far into buf the scan has got
  private depth = 0;
  private inString = false;
  private escaped = false;
  private elementLine = 1;

  constructor(private readonly onRecord: OnRecord) {}

  push(chunk: string): void {
    this.buf += chunk;
    this.drain();
  }

  end(): void {
    this.drain();
    if (this.state !== 'done') throw new JsonSyntaxError(this.line, 'the JSON array is not closed: the file ends early');
    if (this.buf.slice(this.scanned).trim() !== '') throw new JsonSyntaxError(this.line, 'unexpected content after the JSON array');
  }

  /** One pass over the buffer: whitespace and commas between elements, then each element to its closing brace. */
  private drain(): void {
    let buf = this.buf;
    let i = this.scanned;
    while (i < buf.length) {
      if (this.depth > 0) {
        const c = buf.charCodeAt(i++);
        if (c === 10) this.line++;
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 92) this.escaped = true;
          else if (c === 34) this.inString = false;
        } else if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.depth++;
        else if ((c === 125 || c === 93) && --this.depth === 0) {
          this.emit(buf.slice(0, i));
          buf = buf.slice(i); // drop the element: the buffer never holds more than one record
          i = 0;
        }
        continue;
      }
      const c = buf[i]!;
      if (c === '\n') this.line++;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { i++; continue; }
      if (this.state === 'done') break;
      if (this.state === 'start') {
        if (c !== '[') throw new JsonSyntaxError(this.line, 'expected a JSON array of objects ("[")');
        this.state = 'between';
      } else if (c === ']') {
        this.state = 'done';
      } else if (c === '{') {
        buf = buf.slice(i);
        i = 1;
        this.depth = 1;
        this.elementLine = this.line;
        continue;
      } else if (c !== ',') {
        throw new JsonSyntaxError(this.line, 'each element of the array must be a JSON object');
      }
      i++;
    }
    // Outside an element nothing before i is needed again.
    if (this.depth === 0 && this.state !== 'done') { buf = buf.slice(i); i = 0; }
    this.buf = buf;
    this.scanned = i;
  }

  private emit(text: string): void {
    this.onRecord(parseRecord(text, this.elementLine), this.elementLine);
  }
}
