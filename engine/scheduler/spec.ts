import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import { QuarryError, errorMessage } from '../errors.js';
import { formatDuration } from './duration.js';

/**
 * When a schedule fires. Intervals run on a fixed grid counted from the Unix
 * epoch (every 15m fires at :00, :15, :30, :45 UTC), so restarts do not shift
 * them; cron expressions are evaluated in the schedule's IANA time zone.
 */
export type ScheduleSpec = { kind: 'interval'; everyMs: number } | { kind: 'cron'; cron: string; timezone: string };

export const MIN_INTERVAL_MS = 1000;
/** Jitter is at most this (and at most 10% of the period). */
export const DEFAULT_MAX_JITTER_MS = 60_000;

const crons = new Map<string, Cron>();

/** Cron objects are cached: building one parses the pattern, and the scheduler asks for next times often. */
function cronOf(pattern: string, timezone: string): Cron {
  const key = `${timezone}\u0000${pattern}`;
  let cron = crons.get(key);
  if (!cron) {
    cron = new Cron(pattern, { timezone, paused: true });
    crons.set(key, cron);
  }
  return cron;
}

export function validateTimezone(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw new QuarryError('invalid_input', `unknown time zone "${timezone}" (use an IANA name such as Europe/Berlin or UTC)`);
  }
}

export function systemTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function validateCron(pattern: string, timezone: string): string {
  const trimmed = pattern.trim().replace(/\s+/g, ' ');
  try {
    const next = cronOf(trimmed, timezone).nextRun(new Date());
    if (!next) throw new Error('it never fires');
  } catch (err) {
    throw new QuarryError('invalid_input', `cron expression "${pattern}": ${errorMessage(err)}`);
  }
  return trimmed;
}

/** "06:00" -> "0 6 * * *": the "every day at" shorthand. */
export function dailyCron(hhmm: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new QuarryError('invalid_input', `--daily takes a time of day like 06:00, got "${hhmm}"`);
  return `${Number(m[2])} ${Number(m[1])} * * *`;
}

/** The first fire time strictly after `after`. */
export function nextFireAfter(spec: ScheduleSpec, after: Date): Date {
  if (spec.kind === 'interval') {
    const t = after.getTime();
    return new Date((Math.floor(t / spec.everyMs) + 1) * spec.everyMs);
  }
  const next = cronOf(spec.cron, spec.timezone).nextRun(after);
  // A pattern that validated but has no future date (e.g. a past year): park it far away rather than spin.
  return next ?? new Date(after.getTime() + 365 * 86_400_000);
}

/** Fire times in (from, to], counted up to `limit` (a week of every-minute fires is not worth enumerating). */
export function countFires(spec: ScheduleSpec, from: Date, to: Date, limit = 1000): number {
  if (to <= from) return 0;
  if (spec.kind === 'interval') return Math.min(limit, Math.floor(to.getTime() / spec.everyMs) - Math.floor(from.getTime() / spec.everyMs));
  let n = 0;
  for (let t = nextFireAfter(spec, from); t <= to && n < limit; t = nextFireAfter(spec, t)) n++;
  return n;
}

/** The shortest gap between fires, measured over a fixed reference week so it is the same on every machine. */
const periods = new Map<string, number>();

export function periodMs(spec: ScheduleSpec): number {
  if (spec.kind === 'interval') return spec.everyMs;
  const key = `${spec.timezone}\u0000${spec.cron}`;
  const known = periods.get(key);
  if (known !== undefined) return known;
  let t = nextFireAfter(spec, new Date(Date.UTC(2025, 0, 6)));
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 8; i++) {
    const next = nextFireAfter(spec, t);
    shortest = Math.min(shortest, next.getTime() - t.getTime());
    t = next;
  }
  periods.set(key, shortest);
  return shortest;
}

/**
 * A fixed offset per hunt, 0 to min(maxJitterMs, 10% of the period): a hundred
 * hourly hunts spread over a minute instead of starting on the same second,
 * and each hunt keeps the same offset across restarts.
 */
export function jitterMs(huntId: string, spec: ScheduleSpec, maxJitterMs: number): number {
  const span = Math.min(maxJitterMs, Math.floor(periodMs(spec) / 10));
  if (span <= 0) return 0;
  const h = createHash('sha256').update(huntId).digest().readUInt32BE(0);
  return Math.floor((h / 2 ** 32) * span);
}

/** The first due time strictly after `after`: the next fire plus this hunt's jitter. */
export function nextDueAfter(huntId: string, spec: ScheduleSpec, after: Date, maxJitterMs: number): Date {
  const jitter = jitterMs(huntId, spec, maxJitterMs);
  return new Date(nextFireAfter(spec, new Date(after.getTime() - jitter)).getTime() + jitter);
}

/** "every 1h", "every day at 06:00 (Europe/Berlin)" for what --daily stores, else "cron 0 6 * * 1-5 (Europe/Berlin)". */
export function describeSpec(spec: ScheduleSpec): string {
  if (spec.kind === 'interval') return `every ${formatDuration(spec.everyMs)}`;
  const daily = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(spec.cron);
  if (daily) return `every day at ${daily[2]!.padStart(2, '0')}:${daily[1]!.padStart(2, '0')} (${spec.timezone})`;
  return `cron ${spec.cron} (${spec.timezone})`;
}
