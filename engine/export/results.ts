import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { Db } from '../store/db.js';
import type { ResultColumn, StoredValue } from '../types.js';
import { iterateRows, readColumns, type RowQuery } from '../runs/result-store.js';
import { QuarryError } from '../errors.js';

export type ResultFormat = 'csv' | 'json' | 'jsonl';
export const resultFormats: readonly ResultFormat[] = ['csv', 'json', 'jsonl'];

/** A stored value as JSON: booleans back to true/false, dynamic back to objects. */
export function toJsonValue(type: ResultColumn['type'], v: StoredValue): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'bool' && typeof v === 'number') return v !== 0;
  if (type === 'dynamic' && typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return v;
}

/**
 * A CSV cell per RFC 4180. Text that a spreadsheet would run as a formula
 * (starting with = + - @, tab or CR) is prefixed with ' so opening the export is safe.
 */
export function csvCell(type: ResultColumn['type'], v: StoredValue): string {
  const value = toJsonValue(type, v);
  if (value === null) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Text written to a stream in chunks of about 64 KiB, waiting for 'drain'
 * when the stream is full, so an export of any size holds one chunk in memory.
 */
export function chunkedWriter(out: Writable, onChunk?: () => void, signal?: AbortSignal): { push(s: string): Promise<void>; flush(): Promise<void> } {
  let chunk = '';
  const write = async (s: string): Promise<void> => {
    if (signal?.aborted) throw new QuarryError('cancelled', 'export cancelled');
    onChunk?.();
    if (!out.write(s)) await once(out, 'drain');
  };
  return {
    async push(s) {
      chunk += s;
      if (chunk.length < 1 << 16) return;
      const full = chunk;
      chunk = '';
      await write(full);
    },
    async flush() {
      const rest = chunk;
      chunk = '';
      if (rest) await write(rest);
    },
  };
}

/** A stored row as an object keyed by column name, values as JSON. */
export function rowObject(columns: ResultColumn[], row: StoredValue[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  columns.forEach((c, i) => (o[c.name] = toJsonValue(c.type, row[i] ?? null)));
  return o;
}

/** How a long export reports how far it got, and how it is stopped. */
export interface StreamControl {
  /** Checked every chunk: an aborted export stops with a `cancelled` error. */
  signal?: AbortSignal;
  /** Rows written so far, about every 64 KiB of output. */
  onProgress?: (rows: number) => void;
}

/** Streams a run's stored rows to `out` in the given format, honouring backpressure; resolves to the row count. */
export async function writeResults(
  db: Db,
  runId: number,
  format: ResultFormat,
  out: Writable,
  q: Omit<RowQuery, 'offset' | 'limit'> = {},
  control: StreamControl = {},
): Promise<number> {
  const columns = readColumns(db, runId);
  let count = 0;
  const w = chunkedWriter(out, () => control.onProgress?.(count), control.signal);
  if (format === 'csv') await w.push(`${columns.map((c) => csvCell('string', c.name)).join(',')}\r\n`);
  if (format === 'json') await w.push('[');
  for (const row of iterateRows(db, runId, q)) {
    if (format === 'csv') await w.push(`${row.map((v, i) => csvCell(columns[i]!.type, v)).join(',')}\r\n`);
    else if (format === 'jsonl') await w.push(`${JSON.stringify(rowObject(columns, row))}\n`);
    else await w.push(`${count ? ',' : ''}\n${JSON.stringify(rowObject(columns, row))}`);
    count++;
  }
  if (format === 'json') await w.push(count ? '\n]\n' : ']\n');
  await w.flush();
  return count;
}
