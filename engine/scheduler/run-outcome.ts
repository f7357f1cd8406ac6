import type { Db } from '../store/db.js';
import { finishRun } from '../runs/run-repo.js';
import { discardResults } from '../runs/result-store.js';
import { formatDuration } from './duration.js';

/**
 * Corrections the scheduler makes to a run the runner has finished: the
 * runner only knows "cancelled", the scheduler knows why. Each is one
 * statement guarded by the status it corrects, so a repeat is harmless.
 */

export function markTimedOut(db: Db, runId: number, timeoutMs: number): void {
  db.prepare(`UPDATE runs SET status = 'failed', error = ? WHERE id = ? AND status = 'cancelled'`)
    .run(`timed out after ${formatDuration(timeoutMs)}: the scheduler cancelled the run; its window is covered by the next one`, runId);
}

export const SHUTDOWN_ERROR = 'interrupted: the scheduler stopped while this run was in progress; its window runs again on the next start';

/** A run stopped by a shutdown counts as interrupted, like one cut by a crash, so the next start re-runs its window. */
export function markStoppedByShutdown(db: Db, runId: number): void {
  db.prepare(`UPDATE runs SET status = 'interrupted', error = ? WHERE id = ? AND status = 'cancelled'`).run(SHUTDOWN_ERROR, runId);
}

/** For a shutdown that cannot wait for the runner (the engine is closing now): no partial rows, status interrupted. */
export function interruptNow(db: Db, runId: number, now: Date): void {
  const row = db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string } | undefined;
  if (row?.status !== 'running') return;
  discardResults(db, runId);
  finishRun(db, runId, { status: 'interrupted', endedAt: now, rowCount: 0, error: SHUTDOWN_ERROR, warnings: [] });
}

/** The runner writes only the source's warnings; the cap warning belongs on the run too, where `runs list` shows it. */
export function addRunWarning(db: Db, runId: number, warning: string): void {
  db.prepare(`UPDATE runs SET warnings = json_insert(warnings, '$[#]', ?) WHERE id = ?`).run(warning, runId);
}
