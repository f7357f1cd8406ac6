import type { Db } from '../store/db.js';
import type { Histogram } from '../runs/histogram.js';
import { physical, readColumns, resultsTableName } from '../runs/result-store.js';

/**
 * Timelines for reports. Unlike the grid's histogram (any bucket width that
 * fits), a printed chart needs widths a reader can name (5 min, 1 h, 1 day)
 * and bars that start on the hour, so both are chosen here.
 */

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const NICE = [S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, D, 2 * D, 7 * D, 14 * D, 30 * D];
const UNIX_EPOCH_JD = 2440587.5;

/** The smallest readable bucket width giving at most `buckets` bars over [startMs, endMs). */
export function niceBucket(spanMs: number, buckets: number): number {
  const raw = Math.max(1, spanMs) / buckets;
  return NICE.find((w) => w >= raw) ?? Math.ceil(raw / (30 * D)) * 30 * D;
}

function frame(loMs: number, hiMs: number, buckets: number): { startMs: number; bucketMs: number; n: number } {
  let bucketMs = niceBucket(hiMs - loMs + 1, buckets);
  // Aligning the first bar to the width can add a bar: widen until it fits.
  for (;;) {
    const startMs = Math.floor(loMs / bucketMs) * bucketMs;
    const n = Math.floor((hiMs - startMs) / bucketMs) + 1;
    if (n <= buckets || bucketMs >= 30 * D) return { startMs, bucketMs, n };
    bucketMs = niceBucket(bucketMs * (buckets + 1), buckets);
  }
}

const empty = (column: string | null): Histogram => ({ column, start: null, end: null, bucketMs: 0, counts: [] });

/** Rows of a stored result per time bucket of its first datetime column, counted in SQLite. */
export function runTimeline(db: Db, runId: number, buckets: number): Histogram {
  const columns = readColumns(db, runId);
  const index = columns.findIndex((c) => c.type === 'datetime');
  if (index < 0) return empty(null);
  const col = physical(index);
  const table = resultsTableName(runId);
  const ms = `((julianday(${col}) - ${UNIX_EPOCH_JD}) * 86400000.0)`;
  const range = db.prepare(`SELECT min(${ms}) AS lo, max(${ms}) AS hi FROM ${table} WHERE julianday(${col}) IS NOT NULL`).get() as { lo: number | null; hi: number | null };
  if (range.lo === null || range.hi === null) return empty(columns[index]!.name);
  const { startMs, bucketMs, n } = frame(Math.round(range.lo), Math.round(range.hi), buckets);
  const counts = new Array<number>(n).fill(0);
  const rows = db
    .prepare(`SELECT CAST((round(${ms}) - ?) / ? AS INTEGER) AS b, count(*) FROM ${table} WHERE julianday(${col}) IS NOT NULL GROUP BY b`)
    .raw(true)
    .all(startMs, bucketMs) as Array<[number, number]>;
  for (const [b, c] of rows) counts[Math.min(n - 1, Math.max(0, b))]! += c;
  return { column: columns[index]!.name, start: new Date(startMs).toISOString(), end: new Date(startMs + n * bucketMs).toISOString(), bucketMs, counts };
}

/** Counts at points in time (rows found per run start), bucketed the same way; `range` fixes the chart's extent. */
export function bucketPoints(points: Array<{ at: string; count: number }>, buckets: number, range?: { start: string; end: string }): Histogram {
  const times = points.map((p) => Date.parse(p.at)).filter((t) => !Number.isNaN(t));
  if (!times.length && !range) return empty(null);
  const lo = range ? Date.parse(range.start) : Math.min(...times);
  const hi = range ? Date.parse(range.end) - 1 : Math.max(...times);
  const { startMs, bucketMs, n } = frame(lo, hi, buckets);
  const counts = new Array<number>(n).fill(0);
  for (const p of points) {
    const t = Date.parse(p.at);
    const b = Math.floor((t - startMs) / bucketMs);
    if (b >= 0 && b < n) counts[b]! += p.count;
  }
  return { column: null, start: new Date(startMs).toISOString(), end: new Date(startMs + n * bucketMs).toISOString(), bucketMs, counts };
}
