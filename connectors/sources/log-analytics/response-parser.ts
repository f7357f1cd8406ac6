import type { LogsColumn } from './column-mapping.js';

/**
 * Streaming reader of the query API's response body,
 * `{"tables":[{"name","columns","rows":[[...],...]}], "error"?: {...}}`.
 *
 * A 500,000-row result is ~100 MB of JSON; holding it, then its parse tree,
 * then the stored copy would need several times that. This scanner walks the
 * bytes as they arrive, finds where each row starts and ends (tracking only
 * strings and brackets), and hands batches of rows to the native JSON.parse,
 * so memory stays at about one batch and parsing runs at JSON.parse speed.
 * Everything outside `rows` is small and parsed whole when it completes.
 */

export type ParseEvent =
  | { kind: 'table'; index: number; name: string | null; columns: LogsColumn[] }
  | { kind: 'rows'; table: number; rows: unknown[][] }
  | { kind: 'error'; error: unknown };

export interface ParserOptions {
  /** Rows per batch (default 5000) and a byte bound for batches of wide rows (default 8 MiB). */
  batchRows?: number;
  batchBytes?: number;
  /** Column types whose numbers are kept as their exact text when too long for a double (e.g. long, decimal). */
  keepNumberText?: (columnType: string) => boolean;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, LBRACKET = 0x5b, RBRACKET = 0x5d, LBRACE = 0x7b, RBRACE = 0x7d, MINUS = 0x2d;
const OPEN = Buffer.from('['), CLOSE = Buffer.from(']');
/** Digits in a double's exact range; longer numbers are kept as text. */
const SAFE_NUMBER_CHARS = 15;

type Role = 'root' | 'tables' | 'table' | 'rows' | 'skip';
interface Frame {
  object: boolean;
  role: Role;
  key: string | null;
  awaitingKey: boolean;
}
interface TableState {
  name: string | null;
  columns: LogsColumn[] | null;
  exact: boolean[] | null;
  pendingRows: unknown[][];
}

const isNumberByte = (c: number): boolean => (c >= 0x30 && c <= 0x39) || c === MINUS || c === 0x2b || c === 0x2e || c === 0x45 || c === 0x65;

export class LogsResponseParser {
  private readonly batchRows: number;
  private readonly batchBytes: number;
  private readonly events: ParseEvent[] = [];
  private readonly stack: Frame[] = [];
  private readonly tables: TableState[] = [];
  private started = false;
  // String state (a string may span chunks).
  private inString = false;
  private stringIsKey = false;
  private pendingBackslashes = 0;
  private keyPieces: Buffer[] = [];
  // Capture of a small value (error, table name, columns) until it completes.
  private capture: { role: 'error' | 'name' | 'columns'; depth: number; start: number; pieces: Buffer[] } | null = null;
  // Row mode: inside a table's `rows` array.
  private rowDepth = 0;
  private col = 0;
  private batchStart = -1;
  private batchPieces: Buffer[] = [];
  private batchPieceBytes = 0;
  private rowsInBatch = 0;
  private patches: Array<{ row: number; col: number; text: string }> = [];
  private numberText: string | null = null;

  constructor(private readonly options: ParserOptions = {}) {
    this.batchRows = options.batchRows ?? 5000;
    this.batchBytes = options.batchBytes ?? 8 * 2 ** 20;
  }

  /** Scans one chunk; completed tables, row batches and errors are then available from `take()`. */
  push(buf: Buffer): void {
    let i = 0;
    const n = buf.length;
    if (this.batchStart >= 0) this.batchStart = 0;
    if (this.capture) this.capture.start = 0;
    while (i < n) {
      if (this.inString) {
        const end = this.stringEnd(buf, i);
        if (end < 0) {
          if (this.stringIsKey) this.keyPieces.push(buf.subarray(i));
          i = n;
          break;
        }
        this.inString = false;
        if (this.stringIsKey) this.endKey(Buffer.concat([...this.keyPieces, buf.subarray(i, end)]));
        i = end + 1;
        if (this.capture?.role === 'name' && this.stack.length === this.capture.depth) this.endCapture(buf, i);
        continue;
      }
      if (this.numberText !== null) {
        i = this.continueNumber(buf, i);
        continue;
      }
      const top = this.stack[this.stack.length - 1];
      if (top?.role === 'rows') {
        i = this.scanRows(buf, i);
        continue;
      }
      i = this.scanStructure(buf, i);
    }
    this.carryOver(buf);
  }

  /** Everything parsed so far, in order. */
  take(): ParseEvent[] {
    return this.events.splice(0);
  }

  /** Call when the body has ended: rejects a body that stopped mid-document. */
  end(): void {
    if (!this.started || this.stack.length > 0 || this.inString) {
      throw new Error('the response body ended before the JSON document did (connection cut or body truncated)');
    }
  }

  /** Outside rows: tracks objects, arrays, keys, and starts or ends captures. */
  private scanStructure(buf: Buffer, i: number): number {
    const c = buf[i]!;
    const top = this.stack[this.stack.length - 1];
    switch (c) {
      case QUOTE: {
        const isKey = top?.object === true && top.awaitingKey;
        if (!isKey) this.valueStarts(buf, i, false);
        this.inString = true;
        this.stringIsKey = isKey;
        this.pendingBackslashes = 0;
        this.keyPieces = [];
        return i + 1;
      }
      case LBRACE:
      case LBRACKET: {
        const role = this.valueStarts(buf, i, true);
        this.stack.push({ object: c === LBRACE, role, key: null, awaitingKey: c === LBRACE });
        this.started = true;
        if (role === 'table') this.tables.push({ name: null, columns: null, exact: null, pendingRows: [] });
        if (role === 'rows') {
          this.rowDepth = 0;
          this.batchStart = -1;
        }
        return i + 1;
      }
      case RBRACE:
      case RBRACKET:
        this.stack.pop();
        if (this.capture && this.stack.length === this.capture.depth) this.endCapture(buf, i + 1);
        return i + 1;
      case COMMA:
        if (top?.object) top.awaitingKey = true;
        return i + 1;
      default:
        return i + 1;
    }
  }

  /** Decides what a value starting here is, from where it sits; begins a capture for the few small values needed. */
  private valueStarts(buf: Buffer, i: number, container: boolean): Role {
    const depth = this.stack.length;
    const top = this.stack[depth - 1];
    if (!top || this.capture) return depth === 0 ? 'root' : 'skip';
    if (top.role === 'root' && top.key === 'tables' && container) return 'tables';
    if (top.role === 'root' && top.key === 'error' && container) this.capture = { role: 'error', depth, start: i, pieces: [] };
    if (top.role === 'tables' && buf[i] === LBRACE) return 'table';
    if (top.role === 'table') {
      if (top.key === 'rows' && buf[i] === LBRACKET) return 'rows';
      if (top.key === 'name' && !container) this.capture = { role: 'name', depth, start: i, pieces: [] };
      if (top.key === 'columns' && container) this.capture = { role: 'columns', depth, start: i, pieces: [] };
    }
    return 'skip';
  }

  private endKey(bytes: Buffer): void {
    const top = this.stack[this.stack.length - 1]!;
    top.key = bytes.toString('utf8');
    top.awaitingKey = false;
  }

  private endCapture(buf: Buffer, end: number): void {
    const cap = this.capture!;
    this.capture = null;
    const value: unknown = JSON.parse(Buffer.concat([...cap.pieces, buf.subarray(cap.start, end)]).toString('utf8'));
    if (cap.role === 'error') {
      this.events.push({ kind: 'error', error: value });
      return;
    }
    const index = this.tables.length - 1;
    const table = this.tables[index]!;
    if (cap.role === 'name') {
      table.name = typeof value === 'string' ? value : null;
      return;
    }
    if (!Array.isArray(value)) throw new Error(`table ${index} of the response has no column list`);
    table.columns = value.map((c: { name?: unknown; type?: unknown; ColumnName?: unknown; DataType?: unknown }) => ({
      name: String(c.name ?? c.ColumnName ?? ''),
      type: String(c.type ?? c.DataType ?? 'string'),
    }));
    const keep = this.options.keepNumberText;
    table.exact = keep ? table.columns.map((c) => keep(c.type)) : null;
    this.events.push({ kind: 'table', index, name: table.name, columns: table.columns });
    if (table.pendingRows.length) this.events.push({ kind: 'rows', table: index, rows: table.pendingRows.splice(0) });
  }

  /** Inside `rows`: the hot loop. Only strings, brackets and commas matter; row ends close batches. */
  private scanRows(buf: Buffer, i: number): number {
    const n = buf.length;
    const exact = this.tables[this.tables.length - 1]!.exact;
    let depth = this.rowDepth;
    let col = this.col;
    while (i < n) {
      const c = buf[i]!;
      if (c === QUOTE) {
        this.pendingBackslashes = 0;
        const end = this.stringEnd(buf, i + 1);
        if (end < 0) {
          this.inString = true;
          this.stringIsKey = false;
          i = n;
          break;
        }
        i = end + 1;
        continue;
      }
      if (c === COMMA) {
        if (depth === 1) col++;
      } else if (c === LBRACKET || c === LBRACE) {
        if (depth === 0) {
          if (this.batchStart < 0) this.batchStart = i;
          col = 0;
        }
        depth++;
      } else if (c === RBRACKET || c === RBRACE) {
        if (depth === 0) {
          // The rows array itself closes.
          this.rowDepth = 0;
          this.flushBatch(buf, i);
          this.stack.pop();
          return i + 1;
        }
        depth--;
        if (depth === 0) {
          this.rowsInBatch++;
          if (this.rowsInBatch >= this.batchRows || this.batchPieceBytes + (i - this.batchStart) >= this.batchBytes) {
            this.flushBatch(buf, i + 1);
          }
        }
      } else if (depth === 1 && exact !== null && exact[col] === true && (c === MINUS || (c >= 0x30 && c <= 0x39))) {
        this.rowDepth = depth;
        this.col = col;
        this.numberText = '';
        return this.continueNumber(buf, i);
      }
      i++;
    }
    this.rowDepth = depth;
    this.col = col;
    return i;
  }

  /** Reads a number token of an exact column (it may span chunks); long ones are patched in as text after JSON.parse. */
  private continueNumber(buf: Buffer, i: number): number {
    let j = i;
    while (j < buf.length && isNumberByte(buf[j]!)) j++;
    this.numberText += buf.toString('latin1', i, j);
    if (j < buf.length) {
      if (this.numberText!.length > SAFE_NUMBER_CHARS) this.patches.push({ row: this.rowsInBatch, col: this.col, text: this.numberText! });
      this.numberText = null;
    }
    return j;
  }

  private flushBatch(buf: Buffer, end: number): void {
    if (this.batchStart < 0) return;
    const rows = JSON.parse(Buffer.concat([OPEN, ...this.batchPieces, buf.subarray(this.batchStart, end), CLOSE]).toString('utf8')) as unknown[][];
    for (const p of this.patches) {
      const row = rows[p.row];
      if (row) row[p.col] = p.text;
    }
    this.batchStart = -1;
    this.batchPieces = [];
    this.batchPieceBytes = 0;
    this.rowsInBatch = 0;
    this.patches = [];
    const index = this.tables.length - 1;
    const table = this.tables[index]!;
    if (table.columns) this.events.push({ kind: 'rows', table: index, rows });
    else for (const r of rows) table.pendingRows.push(r); // rows before columns: held until the columns arrive
  }

  /** At a chunk's end, keeps the bytes an open batch or capture still needs. */
  private carryOver(buf: Buffer): void {
    if (this.batchStart >= 0 && this.batchStart < buf.length) {
      const piece = buf.subarray(this.batchStart);
      this.batchPieces.push(piece);
      this.batchPieceBytes += piece.length;
    }
    if (this.capture && this.capture.start < buf.length) this.capture.pieces.push(buf.subarray(this.capture.start));
  }

  /**
   * Index of the quote closing a string whose body starts at `from`, or -1
   * if it does not close in this chunk. A quote is escaped when an odd run
   * of backslashes precedes it, and that run may have begun in the last chunk.
   */
  private stringEnd(buf: Buffer, from: number): number {
    let searchFrom = from;
    for (;;) {
      const q = buf.indexOf(QUOTE, searchFrom);
      if (q < 0) {
        let k = buf.length - 1;
        while (k >= searchFrom && buf[k] === BACKSLASH) k--;
        const run = buf.length - 1 - k;
        this.pendingBackslashes = k < searchFrom ? this.pendingBackslashes + run : run;
        return -1;
      }
      let k = q - 1;
      while (k >= searchFrom && buf[k] === BACKSLASH) k--;
      const run = q - 1 - k + (k < searchFrom ? this.pendingBackslashes : 0);
      this.pendingBackslashes = 0;
      if (run % 2 === 0) return q;
      searchFrom = q + 1;
    }
  }
}
