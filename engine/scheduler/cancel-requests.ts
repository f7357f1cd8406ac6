import type { Db } from '../store/db.js';

/**
 * Cancelling a scheduled run that another process owns (`quarry daemon`, or
 * the app while the CLI asks): the request is a row in the store, and the
 * scheduler that runs it reads the rows while it has runs in flight.
 */

/** The hunt's scheduled run in flight, if any (whichever process runs it). */
export function runningScheduledRun(db: Db, huntId: string): number | null {
  const r = db.prepare(
    `SELECT s.run_id AS runId FROM schedule_runs s JOIN runs r ON r.id = s.run_id
     WHERE s.hunt_id = ? AND r.status = 'running' ORDER BY s.run_id DESC LIMIT 1`,
  ).get(huntId) as { runId: number } | undefined;
  return r?.runId ?? null;
}

/** Whether the scheduler started this run (the process that holds the scheduler lock runs it). */
export function isScheduledRun(db: Db, runId: number): boolean {
  return db.prepare('SELECT 1 FROM schedule_runs WHERE run_id = ?').get(runId) !== undefined;
}

export function requestCancel(db: Db, runId: number, now: Date): void {
  db.prepare('INSERT OR IGNORE INTO schedule_cancel_requests (run_id, requested_at) VALUES (?, ?)').run(runId, now.toISOString());
}

/** The requested runs among `runIds`, removed from the store as they are taken; requests for runs that ended are dropped. */
export function takeCancelRequests(db: Db, runIds: readonly number[]): number[] {
  return db.transaction(() => {
    const requested = db.prepare('SELECT run_id FROM schedule_cancel_requests').pluck().all() as number[];
    if (requested.length === 0) return [];
    const taken = requested.filter((id) => runIds.includes(id));
    db.prepare(
      `DELETE FROM schedule_cancel_requests WHERE run_id IN (SELECT value FROM json_each(?))
         OR run_id NOT IN (SELECT id FROM runs WHERE status = 'running')`,
    ).run(JSON.stringify(taken));
    return taken;
  })();
}
