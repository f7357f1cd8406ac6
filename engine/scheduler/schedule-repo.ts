import type { Db } from '../store/db.js';
import type { RunStatus } from '../types.js';
import type { ScheduleSpec } from './spec.js';

export type ParamValue = string | number | boolean | null;

/** What the hunter sets; every duration in milliseconds. */
export interface ScheduleConfig {
  spec: ScheduleSpec;
  /** IANA zone: cron expressions are read in it; stored for intervals too, for display. */
  timezone: string;
  lookbackMs: number;
  overlapMs: number;
  maxWindowMs: number;
  timeoutMs: number;
  params: Record<string, ParamValue>;
}

export interface ScheduleRecord extends ScheduleConfig {
  id: number;
  huntId: string;
  paused: boolean;
  /** When the scheduler starts the next run (jitter included); null: the next fire after now. */
  nextDueAt: string | null;
  /** Where coverage begins until a run succeeds: the set time minus the lookback, so a first run that fails, is interrupted or starts late leaves no gap. */
  origin: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** How a scheduled run came about: the first run, a regular fire, missed fires collapsed into one, a re-run of an interrupted window, or a fire that came while the previous run was still going. */
export type RunTrigger = 'first' | 'scheduled' | 'catch-up' | 'recovery' | 'coalesced';

interface ScheduleRow {
  id: number;
  hunt_id: string;
  kind: string;
  every_ms: number | null;
  cron: string | null;
  timezone: string;
  lookback_ms: number;
  overlap_ms: number;
  max_window_ms: number;
  timeout_ms: number;
  params: string;
  paused: number;
  next_due_at: string | null;
  origin: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

const fromRow = (r: ScheduleRow): ScheduleRecord => ({
  id: r.id,
  huntId: r.hunt_id,
  spec: r.kind === 'cron' ? { kind: 'cron', cron: r.cron!, timezone: r.timezone } : { kind: 'interval', everyMs: r.every_ms! },
  timezone: r.timezone,
  lookbackMs: r.lookback_ms,
  overlapMs: r.overlap_ms,
  maxWindowMs: r.max_window_ms,
  timeoutMs: r.timeout_ms,
  params: JSON.parse(r.params),
  paused: r.paused === 1,
  nextDueAt: r.next_due_at,
  origin: r.origin,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const sameSpec = (a: ScheduleSpec, b: ScheduleSpec): boolean =>
  a.kind === 'interval' ? b.kind === 'interval' && a.everyMs === b.everyMs : b.kind === 'cron' && a.cron === b.cron && a.timezone === b.timezone;

/** Other processes (the CLI next to a running daemon) see schedule edits through this counter. */
function bumpRevision(db: Db): void {
  db.prepare('UPDATE scheduler_state SET revision = revision + 1 WHERE id = 1').run();
}

export function getSchedule(db: Db, huntId: string): ScheduleRecord | undefined {
  const row = db.prepare('SELECT * FROM schedules WHERE hunt_id = ?').get(huntId) as ScheduleRow | undefined;
  return row && fromRow(row);
}

export function listSchedules(db: Db): ScheduleRecord[] {
  return (db.prepare('SELECT * FROM schedules ORDER BY id').all() as ScheduleRow[]).map(fromRow);
}

/**
 * Creates the hunt's schedule (its first run is due at once, covering the
 * lookback) or changes it, keeping its history and its place in time: a
 * changed timing re-plans the next run, the windows still continue from the
 * last successful one (or, before any, from the set time minus the lookback).
 */
export function saveSchedule(db: Db, huntId: string, c: ScheduleConfig, now: Date): ScheduleRecord {
  return db.transaction(() => {
    const before = getSchedule(db, huntId);
    const at = now.toISOString();
    const spec = c.spec;
    const cols = [spec.kind, spec.kind === 'interval' ? spec.everyMs : null, spec.kind === 'cron' ? spec.cron : null, c.timezone,
      c.lookbackMs, c.overlapMs, c.maxWindowMs, c.timeoutMs, JSON.stringify(c.params)] as const;
    if (!before) {
      const origin = new Date(now.getTime() - c.lookbackMs).toISOString();
      db.prepare(
        `INSERT INTO schedules (hunt_id, kind, every_ms, cron, timezone, lookback_ms, overlap_ms, max_window_ms, timeout_ms, params,
           next_due_at, origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(huntId, ...cols, at, origin, at, at);
    } else {
      // A schedule whose run could not start (the hunter is fixing that now) is tried again at once.
      const nextDue = before.lastError !== null ? at : sameSpec(before.spec, spec) ? before.nextDueAt : null;
      // A new lookback moves the origin only while nothing has been covered yet.
      const origin = lastSuccessEnd(db, before.id) === null ? new Date(Date.parse(before.createdAt) - c.lookbackMs).toISOString() : before.origin;
      db.prepare(
        `UPDATE schedules SET kind = ?, every_ms = ?, cron = ?, timezone = ?, lookback_ms = ?, overlap_ms = ?, max_window_ms = ?,
           timeout_ms = ?, params = ?, next_due_at = ?, origin = ?, last_error = NULL, updated_at = ? WHERE id = ?`,
      ).run(...cols, nextDue, origin, at, before.id);
    }
    bumpRevision(db);
    return getSchedule(db, huntId)!;
  })();
}

export function removeSchedule(db: Db, huntId: string): boolean {
  return db.transaction(() => {
    const removed = db.prepare('DELETE FROM schedules WHERE hunt_id = ?').run(huntId).changes > 0;
    bumpRevision(db);
    return removed;
  })();
}

export function setSchedulePaused(db: Db, huntId: string, paused: boolean, now: Date): void {
  db.transaction(() => {
    db.prepare('UPDATE schedules SET paused = ?, updated_at = ? WHERE hunt_id = ?').run(paused ? 1 : 0, now.toISOString(), huntId);
    bumpRevision(db);
  })();
}

export interface SchedulerState {
  pausedAll: boolean;
  revision: number;
}

export function readSchedulerState(db: Db): SchedulerState {
  const r = db.prepare('SELECT paused_all, revision FROM scheduler_state WHERE id = 1').get() as { paused_all: number; revision: number };
  return { pausedAll: r.paused_all === 1, revision: r.revision };
}

/** Pause-all is one flag, not a pause on every schedule, so resuming all brings back exactly the ones that ran before. */
export function setPausedAll(db: Db, paused: boolean): void {
  db.transaction(() => {
    db.prepare('UPDATE scheduler_state SET paused_all = ? WHERE id = 1').run(paused ? 1 : 0);
    bumpRevision(db);
  })();
}

export function setNextDue(db: Db, scheduleId: number, nextDueAt: string): void {
  db.prepare('UPDATE schedules SET next_due_at = ? WHERE id = ?').run(nextDueAt, scheduleId);
}

export function setLastError(db: Db, scheduleId: number, message: string | null): void {
  db.prepare('UPDATE schedules SET last_error = ? WHERE id = ?').run(message, scheduleId);
}

export interface ScheduledRunLink {
  runId: number;
  scheduleId: number;
  huntId: string;
  trigger: RunTrigger;
  dueAt: string;
  missed: number;
  capped: { from: string; to: string } | null;
}

/** Links a run to its schedule (and clears the schedule's start error), in one transaction. */
export function recordScheduledRun(db: Db, l: ScheduledRunLink): void {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO schedule_runs (run_id, schedule_id, hunt_id, trigger, due_at, missed, capped_from, capped_to)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(l.runId, l.scheduleId, l.huntId, l.trigger, l.dueAt, l.missed, l.capped?.from ?? null, l.capped?.to ?? null);
    db.prepare('UPDATE schedules SET last_error = NULL WHERE id = ?').run(l.scheduleId);
  })();
}

/**
 * End of the newest window this schedule covered successfully. Read from the
 * runs themselves, whose status the runner sets in one statement, so a crash
 * at any point can neither lose a covered window nor count an unfinished one.
 */
export function lastSuccessEnd(db: Db, scheduleId: number): string | null {
  const r = db.prepare(
    `SELECT max(r.window_end) AS e FROM schedule_runs s JOIN runs r ON r.id = s.run_id
     WHERE s.schedule_id = ? AND r.status = 'succeeded'`,
  ).get(scheduleId) as { e: string | null };
  return r.e;
}

export function latestRunStatus(db: Db, scheduleId: number): RunStatus | null {
  const r = db.prepare(
    `SELECT r.status FROM schedule_runs s JOIN runs r ON r.id = s.run_id WHERE s.schedule_id = ? ORDER BY s.run_id DESC LIMIT 1`,
  ).get(scheduleId) as { status: RunStatus } | undefined;
  return r?.status ?? null;
}
