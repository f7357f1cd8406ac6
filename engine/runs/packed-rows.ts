import type { StoredValue } from '../types.js';
import { isoOfEpochMs } from './iso-time.js';

/**
 * A batch of result rows packed into one ArrayBuffer: the form a source hands
 * rows to the store in when it reads many of them. Packing costs a write per
 * value and leaves no JS object behind, so the reading thread keeps no garbage
 * of its own and the buffer moves to the store's writer thread without a copy.
 *
 * Layout: row after row, `width` values each, every value a tag byte then its
 * payload (little-endian): null | f64 | u32 length + UTF-8 text |
 * f64 epoch milliseconds (stored as ISO 8601 text) | u32 length + decimal digits (a bigint) |
 * u32 length + bytes (a blob) | u32 length + ASCII text.
 */
export interface PackedRows {
  buffer: ArrayBuffer;
  /** Bytes of `buffer` in use. */
  bytes: number;
  rows: number;
  width: number;
}

const enum Tag {
  Null = 0,
  Number = 1,
  Text = 2,
  EpochMs = 3,
  BigInt = 4,
  Blob = 5,
  /** Text known to be ASCII when packed: read back without UTF-8 decoding. */
  AsciiText = 6,
}

const INITIAL_BYTES = 256 * 1024;
/** Up to this length, ASCII text is copied by a loop here rather than by Buffer#write. */
const SHORT_TEXT = 64;

/**
 * Writes values row by row into a growing buffer; `take` hands the batch over
 * and starts the next. A buffer is only allocated for a value to write, at
 * the size the last batch needed, so a small result never holds a large one.
 */
export class RowPacker {
  private buf = Buffer.allocUnsafeSlow(0);
  private nextSize = INITIAL_BYTES;
  /** The same bytes: DataView writes of doubles compile to a store, Buffer#writeDoubleLE does not always. */
  private view = new DataView(this.buf.buffer);
  private at = 0;
  private inRow = 0;
  rows = 0;

  constructor(readonly width: number) {}

  get bytes(): number {
    return this.at;
  }

  null(): void {
    this.room(1);
    this.buf[this.at++] = Tag.Null;
    this.inRow++;
  }

  number(n: number): void {
    this.float64(Tag.Number, n);
  }

  text(s: string): void {
    this.lengthPrefixed(Tag.Text, s);
  }

  /** Text in lower case (GUIDs, which SQL Server sends in upper case), lowered as it is copied. */
  lowerText(s: string): void {
    this.lengthPrefixed(Tag.Text, s, true);
  }

  /** A datetime as milliseconds since the epoch; the store keeps it as `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
  epochMs(ms: number): void {
    this.float64(Tag.EpochMs, ms);
  }

  /** An integer past 2^53, kept exact. */
  bigint(b: bigint): void {
    this.lengthPrefixed(Tag.BigInt, b.toString());
  }

  /** Any stored value, for rows that are already JS values. */
  value(v: StoredValue): void {
    if (v === null) this.null();
    else if (typeof v === 'number') this.number(v);
    else if (typeof v === 'bigint') this.bigint(v);
    else if (typeof v === 'string') this.text(v);
    else this.blob(v);
  }

  blob(b: Buffer): void {
    this.room(5 + b.length);
    this.buf[this.at] = Tag.Blob;
    this.view.setUint32(this.at + 1, b.length, true);
    b.copy(this.buf, this.at + 5);
    this.at += 5 + b.length;
    this.inRow++;
  }

  endRow(): void {
    if (this.inRow !== this.width) throw new Error(`a packed row has ${this.inRow} values for ${this.width} columns`);
    this.inRow = 0;
    this.rows++;
  }

  /** The rows packed so far, as a batch that owns its buffer; the packer starts a new one. */
  take(): PackedRows {
    if (this.inRow !== 0) throw new Error('a packed batch cannot end inside a row');
    const batch: PackedRows = { buffer: this.buf.buffer as ArrayBuffer, bytes: this.at, rows: this.rows, width: this.width };
    this.nextSize = Math.max(INITIAL_BYTES, nextPowerOfTwo(this.at));
    this.buf = Buffer.allocUnsafeSlow(0);
    this.view = new DataView(this.buf.buffer);
    this.at = 0;
    this.rows = 0;
    return batch;
  }

  private float64(tag: Tag, n: number): void {
    this.room(9);
    this.buf[this.at] = tag;
    this.view.setFloat64(this.at + 1, n, true);
    this.at += 9;
    this.inRow++;
  }

  private lengthPrefixed(tag: Tag, s: string, lower = false): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.room(5 + s.length * 3);
    const start = this.at + 5;
    // Most values are short ASCII (names, addresses, ids): copied here, they skip a call into C++ each.
    let end = s.length <= SHORT_TEXT ? (lower ? this.copyAsciiLowered(s, start) : this.copyAscii(s, start)) : -1;
    if (end < 0) end = start + this.buf.write(lower ? s.toLowerCase() : s, start);
    else if (tag === Tag.Text) tag = Tag.AsciiText;
    this.buf[this.at] = tag;
    this.view.setUint32(this.at + 1, end - start, true);
    this.at = end;
    this.inRow++;
  }

  /** Copies `s` at `at` if it is all ASCII and returns where it ends; -1 (and nothing to keep) if it is not. */
  private copyAscii(s: string, at: number): number {
    const buf = this.buf;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return -1;
      buf[at++] = c;
    }
    return at;
  }

  private copyAsciiLowered(s: string, at: number): number {
    const buf = this.buf;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return -1;
      buf[at++] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    }
    return at;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.nextSize, nextPowerOfTwo(this.at + n)));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}

/** Packs rows that are already JS values (small results, tests). */
export function packRows(rows: readonly StoredValue[][], width: number): PackedRows {
  const packer = new RowPacker(width);
  for (const row of rows) {
    for (const v of row) packer.value(v);
    packer.endRow();
  }
  return packer.take();
}

/**
 * Reads a batch back, calling `onValue` for each value in order (row after
 * row): the writer binds them straight into its INSERT without making rows.
 */
export function forEachPackedValue(batch: PackedRows, onValue: (v: StoredValue) => void): void {
  const buf = Buffer.from(batch.buffer, 0, batch.bytes);
  let at = 0;
  const values = batch.rows * batch.width;
  for (let i = 0; i < values; i++) {
    const tag = buf[at++];
    switch (tag) {
      case Tag.Null:
        onValue(null);
        break;
      case Tag.Number:
        onValue(buf.readDoubleLE(at));
        at += 8;
        break;
      case Tag.EpochMs:
        onValue(isoOfEpochMs(buf.readDoubleLE(at)));
        at += 8;
        break;
      case Tag.AsciiText: {
        const length = buf.readUInt32LE(at);
        onValue(buf.toString('latin1', at + 4, at + 4 + length));
        at += 4 + length;
        break;
      }
      case Tag.Text:
      case Tag.BigInt: {
        const length = buf.readUInt32LE(at);
        const text = buf.toString('utf8', at + 4, at + 4 + length);
        onValue(tag === Tag.Text ? text : BigInt(text));
        at += 4 + length;
        break;
      }
      case Tag.Blob: {
        const length = buf.readUInt32LE(at);
        onValue(Buffer.from(buf.subarray(at + 4, at + 4 + length)));
        at += 4 + length;
        break;
      }
      default:
        throw new Error(`packed rows are corrupt: tag ${tag} at byte ${at - 1}`);
    }
  }
}

/** The rows of a batch as arrays (tests, small results written on the engine's own thread). */
export function unpackRows(batch: PackedRows): StoredValue[][] {
  const rows: StoredValue[][] = [];
  let row: StoredValue[] = [];
  forEachPackedValue(batch, (v) => {
    row.push(v);
    if (row.length === batch.width) {
      rows.push(row);
      row = [];
    }
  });
  return rows;
}
