import type { Db } from '../store/db.js';
import type { QueryLanguage, RunStatus } from '../types.js';
import { formatDuration } from './duration.js';
import { describeSpec, nextDueAfter, DEFAULT_MAX_JITTER_MS } from './spec.js';
import { windowWarning } from './window-use.js';
import { getSchedule, lastSuccessEnd, listSchedules, readSchedulerState, type ParamValue, type RunTrigger, type ScheduleRecord } from './schedule-repo.js';

/** One scheduled run as the history shows it. */
export interface ScheduledRun {
  runId: number;
  huntId: string;
  huntName: string;
  trigger: RunTrigger;
  status: RunStatus;
  dueAt: string;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  windowStart: string;
  windowEnd: string;
  rowCount: number;
  error: string | null;
  warnings: string[];
  /** Fires this run stood in for beyond its own (a machine that slept through them). */
  missed: number;
  /** The part of a catch-up the maximum window left out, if any. */
  capped: { from: string; to: string } | null;
}

export interface ScheduleView {
  huntId: string;
  huntName: string;
  /** "every 1h" or "cron 0 6 * * * (Europe/Berlin)". */
  description: string;
  every: string | null;
  cron: string | null;
  timezone: string;
  lookback: string;
  overlap: string;
  maxWindow: string;
  timeout: string;
  params: Record<string, ParamValue>;
  paused: boolean;
  /** Every schedule is held by pause-all (the tray's "Pause all schedules"). */
  pausedAll: boolean;
  state: 'paused' | 'waiting' | 'queued' | 'running';
  /** Null while paused. */
  nextRunAt: string | null;
  /** End of the last successfully covered window: the next run starts there (minus the overlap). */
  coveredUntil: string | null;
  lastRun: ScheduledRun | null;
  /** Something the hunter should see: the last run was capped, failed, or could not start. */
  warning: string | null;
  /** The hunt's SQL does not use @start/@end, so its runs read more than their window (null for KQL, which gets a timespan). */
  queryWarning: string | null;
}

/** What only the process running the scheduler knows. */
export interface RuntimeSnapshot {
  queued: ReadonlySet<string>;
  running: ReadonlyMap<string, number>;
  maxJitterMs: number;
}

interface HistoryRow {
  run_id: number; hunt_id: string; hunt_name: string; trigger: RunTrigger; status: RunStatus; due_at: string; started_at: string;
  ended_at: string | null; duration_ms: number | null; window_start: string; window_end: string; row_count: number;
  error: string | null; warnings: string; missed: number; capped_from: string | null; capped_to: string | null;
}

const HISTORY_SQL = `SELECT s.run_id, s.hunt_id, r.hunt_name, s.trigger, r.status, s.due_at, r.started_at, r.ended_at, r.duration_ms,
  r.window_start, r.window_end, r.row_count, r.error, r.warnings, s.missed, s.capped_from, s.capped_to
  FROM schedule_runs s JOIN runs r ON r.id = s.run_id`;

const fromHistoryRow = (r: HistoryRow): ScheduledRun => ({
  runId: r.run_id, huntId: r.hunt_id, huntName: r.hunt_name, trigger: r.trigger, status: r.status, dueAt: r.due_at,
  startedAt: r.started_at, endedAt: r.ended_at, durationMs: r.duration_ms, windowStart: r.window_start, windowEnd: r.window_end,
  rowCount: r.row_count, error: r.error, warnings: JSON.parse(r.warnings), missed: r.missed,
  capped: r.capped_from && r.capped_to ? { from: r.capped_from, to: r.capped_to } : null,
});

/** Scheduled runs of a hunt, newest first, across every schedule it ever had. */
export function scheduleHistory(db: Db, huntId: string, limit = 100): ScheduledRun[] {
  return (db.prepare(`${HISTORY_SQL} WHERE s.hunt_id = ? ORDER BY s.run_id DESC LIMIT ?`).all(huntId, limit) as HistoryRow[]).map(fromHistoryRow);
}

function lastRunOf(db: Db, scheduleId: number): ScheduledRun | null {
  const row = db.prepare(`${HISTORY_SQL} WHERE s.schedule_id = ? ORDER BY s.run_id DESC LIMIT 1`).get(scheduleId) as HistoryRow | undefined;
  return row ? fromHistoryRow(row) : null;
}

export function capWarning(capped: { from: string; to: string }): string {
  return `catch-up capped by the maximum window: ${capped.from} to ${capped.to} was not queried`;
}

function warningOf(s: ScheduleRecord, last: ScheduledRun | null): string | null {
  if (s.lastError) return `could not start: ${s.lastError}`;
  if (!last) return null;
  if (last.status === 'failed' || last.status === 'interrupted') return `last run ${last.status}: ${last.error ?? ''}`.trim();
  return last.capped ? capWarning(last.capped) : null;
}

interface HuntRow {
  id: string;
  name: string;
  language: QueryLanguage;
  query: string;
}

export function scheduleViews(db: Db, now: Date, runtime?: RuntimeSnapshot): ScheduleView[] {
  const { pausedAll } = readSchedulerState(db);
  const hunts = new Map((db.prepare('SELECT id, name, language, query FROM hunts').all() as HuntRow[]).map((h) => [h.id, h]));
  return listSchedules(db).map((s) => toView(db, s, hunts.get(s.huntId), pausedAll, now, runtime));
}

/** One hunt's schedule, or undefined when it has none. */
export function scheduleView(db: Db, huntId: string, now: Date, runtime?: RuntimeSnapshot): ScheduleView | undefined {
  const s = getSchedule(db, huntId);
  if (!s) return undefined;
  const hunt = db.prepare('SELECT id, name, language, query FROM hunts WHERE id = ?').get(huntId) as HuntRow | undefined;
  return toView(db, s, hunt, readSchedulerState(db).pausedAll, now, runtime);
}

function toView(db: Db, s: ScheduleRecord, hunt: HuntRow | undefined, pausedAll: boolean, now: Date, runtime?: RuntimeSnapshot): ScheduleView {
  const last = lastRunOf(db, s.id);
  const held = s.paused || pausedAll;
  const running = runtime ? runtime.running.has(s.huntId) : last?.status === 'running';
  const state = running ? 'running' : runtime?.queued.has(s.huntId) ? 'queued' : held ? 'paused' : 'waiting';
  const nextRunAt = held ? null : s.nextDueAt ?? nextDueAfter(s.huntId, s.spec, now, runtime?.maxJitterMs ?? DEFAULT_MAX_JITTER_MS).toISOString();
  return {
    huntId: s.huntId,
    huntName: hunt?.name ?? s.huntId,
    description: describeSpec(s.spec),
    every: s.spec.kind === 'interval' ? formatDuration(s.spec.everyMs) : null,
    cron: s.spec.kind === 'cron' ? s.spec.cron : null,
    timezone: s.timezone,
    lookback: formatDuration(s.lookbackMs),
    overlap: formatDuration(s.overlapMs),
    maxWindow: formatDuration(s.maxWindowMs),
    timeout: formatDuration(s.timeoutMs),
    params: s.params,
    paused: s.paused,
    pausedAll,
    state,
    nextRunAt,
    coveredUntil: lastSuccessEnd(db, s.id),
    lastRun: last,
    warning: warningOf(s, last),
    queryWarning: hunt ? windowWarning(hunt.language, hunt.query) : null,
  };
}
