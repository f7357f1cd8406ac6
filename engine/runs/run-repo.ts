import type { Db } from '../store/db.js';
import type { Run, RunStatus } from '../types.js';
import { notFound } from '../errors.js';
import { discardResults } from './result-store.js';

interface RunRow {
  id: number;
  hunt_id: string | null;
  hunt_name: string;
  connection: string;
  language: string;
  query: string;
  parameters: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  row_count: number;
  error: string | null;
  warnings: string;
  window_start: string | null;
  window_end: string | null;
}

const fromRow = (r: RunRow): Run => ({
  id: r.id,
  huntId: r.hunt_id,
  huntName: r.hunt_name,
  connection: r.connection,
  language: r.language as Run['language'],
  query: r.query,
  parameters: JSON.parse(r.parameters),
  status: r.status as RunStatus,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMs: r.duration_ms,
  rowCount: r.row_count,
  error: r.error,
  warnings: JSON.parse(r.warnings),
  windowStart: r.window_start,
  windowEnd: r.window_end,
});

export interface NewRun {
  huntId: string;
  huntName: string;
  connection: string;
  language: Run['language'];
  query: string;
  parameters: Record<string, unknown>;
  startedAt: string;
  window?: { start: string; end: string };
}

export function insertRun(db: Db, r: NewRun): number {
  const info = db
    .prepare(
      `INSERT INTO runs (hunt_id, hunt_name, connection, language, query, parameters, status, started_at, window_start, window_end, owner_pid)
       VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
    )
    .run(r.huntId, r.huntName, r.connection, r.language, r.query, JSON.stringify(r.parameters), r.startedAt,
      r.window?.start ?? null, r.window?.end ?? null, process.pid);
  return Number(info.lastInsertRowid);
}

export function finishRun(
  db: Db,
  id: number,
  outcome: { status: Exclude<RunStatus, 'running'>; endedAt: Date; rowCount: number; error?: string; warnings: string[] },
): void {
  db.prepare(
    `UPDATE runs SET status = ?, ended_at = ?, duration_ms = max(0, CAST(round((julianday(?) - julianday(started_at)) * 86400000) AS INTEGER)),
       row_count = ?, error = ?, warnings = ?, owner_pid = NULL WHERE id = ?`,
  ).run(outcome.status, outcome.endedAt.toISOString(), outcome.endedAt.toISOString(), outcome.rowCount,
    outcome.error ?? null, JSON.stringify(outcome.warnings), id);
}

export function getRun(db: Db, id: number): Run {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!row) throw notFound('run', String(id));
  return fromRow(row);
}

export interface RunFilter {
  huntId?: string;
  status?: RunStatus;
  limit?: number;
}

export function listRuns(db: Db, f: RunFilter = {}): Run[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.huntId) {
    where.push('hunt_id = ?');
    args.push(f.huntId);
  }
  if (f.status) {
    where.push('status = ?');
    args.push(f.status);
  }
  const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  return (db.prepare(sql).all(...args, f.limit ?? 100) as RunRow[]).map(fromRow);
}

/**
 * Runs left 'running' by a process that is gone (crash, kill) become
 * 'interrupted' and lose their partial rows; runs of live processes are left alone.
 */
export function markInterruptedRuns(db: Db, now: Date, isAlive: (pid: number) => boolean = processAlive): number[] {
  const stale = (db.prepare("SELECT id, owner_pid FROM runs WHERE status = 'running'").all() as Array<{ id: number; owner_pid: number | null }>)
    .filter((r) => r.owner_pid === null || (r.owner_pid !== process.pid && !isAlive(r.owner_pid)));
  for (const { id } of stale) {
    discardResults(db, id);
    finishRun(db, id, { status: 'interrupted', endedAt: now, rowCount: 0, error: 'interrupted: Quarry stopped while this run was in progress', warnings: [] });
  }
  return stale.map((r) => r.id);
}

/** Whether a process with this id exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
