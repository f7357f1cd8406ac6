import type { Db } from '../store/db.js';
import { compile, physical, readColumns, type RowFilter } from './result-store.js';
import { notFound } from '../errors.js';

export interface Histogram {
  /** The datetime column the rows were bucketed by; null when the result has none. */
  column: string | null;
  /** ISO 8601 UTC start of the first bucket and end of the last; null when no row has a time. */
  start: string | null;
  end: string | null;
  bucketMs: number;
  counts: number[];
}

const MS_PER_DAY = 86_400_000;
const UNIX_EPOCH_JD = 2440587.5;

/**
 * Rows of a stored result over time, counted in SQLite so a 500k-row result
 * never crosses the transport: the first datetime column unless one is named,
 * with the same filters as the grid so the timeline shows what the grid shows.
 */
export function runHistogram(db: Db, runId: number, q: { column?: string; buckets: number; filters?: RowFilter[] }): Histogram {
  const columns = readColumns(db, runId);
  const index = q.column === undefined ? columns.findIndex((c) => c.type === 'datetime') : columns.findIndex((c) => c.name === q.column);
  if (q.column !== undefined && index < 0) throw notFound(`column in run ${runId}`, q.column);
  if (index < 0) return { column: null, start: null, end: null, bucketMs: 0, counts: [] };
  const col = physical(index);
  const { table, where, args } = compile(db, runId, { filters: q.filters });
  const timed = `${where ? `${where} AND` : 'WHERE'} julianday(${col}) IS NOT NULL`;
  const range = db.prepare(`SELECT min(julianday(${col})) AS lo, max(julianday(${col})) AS hi FROM ${table} ${timed}`).get(...args) as {
    lo: number | null;
    hi: number | null;
  };
  const name = columns[index]!.name;
  if (range.lo === null || range.hi === null) return { column: name, start: null, end: null, bucketMs: 0, counts: [] };
  const startMs = Math.round((range.lo - UNIX_EPOCH_JD) * MS_PER_DAY);
  const spanMs = Math.round((range.hi - range.lo) * MS_PER_DAY) + 1;
  // Whole seconds per bucket keep bar edges readable; a sub-second span gets 1 ms buckets.
  const raw = Math.ceil(spanMs / q.buckets);
  const bucketMs = raw >= 1000 ? Math.ceil(raw / 1000) * 1000 : Math.max(1, raw);
  const buckets = Math.max(1, Math.ceil(spanMs / bucketMs));
  const counts = new Array<number>(buckets).fill(0);
  const rows = db
    .prepare(`SELECT CAST((julianday(${col}) - ?) * ${MS_PER_DAY} / ? AS INTEGER) AS b, count(*) AS n FROM ${table} ${timed} GROUP BY b`)
    .raw(true)
    .all(range.lo, bucketMs, ...args) as Array<[number, number]>;
  for (const [b, n] of rows) counts[Math.min(buckets - 1, Math.max(0, b))]! += n;
  return {
    column: name,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + buckets * bucketMs).toISOString(),
    bucketMs,
    counts,
  };
}
