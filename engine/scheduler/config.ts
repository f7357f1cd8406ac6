import type { z } from 'zod';
import { QuarryError } from '../errors.js';
import { parseDuration } from './duration.js';
import { dailyCron, periodMs, systemTimezone, validateCron, validateTimezone, MIN_INTERVAL_MS, type ScheduleSpec } from './spec.js';
import type { ScheduleConfig, ScheduleRecord } from './schedule-repo.js';
import type { scheduleSetSchema } from './api-schemas.js';

export type ScheduleInput = z.output<typeof scheduleSetSchema>;

export const DEFAULT_OVERLAP_MS = 0;
export const DEFAULT_MAX_WINDOW_MS = 7 * 86_400_000;
export const DEFAULT_TIMEOUT_MS = 60 * 60_000;

/**
 * Turns what the hunter typed into a schedule. On a change, what is not given
 * keeps its current value. The lookback defaults to one period, so a first
 * run covers what any later run would.
 */
export function scheduleConfig(input: ScheduleInput, current?: ScheduleRecord): ScheduleConfig {
  const timezone = validateTimezone(input.timezone ?? current?.timezone ?? systemTimezone());
  const spec = specOf(input, timezone, current);
  const maxWindowMs = input.maxWindow ? parseDuration(input.maxWindow, 'maximum window') : current?.maxWindowMs ?? DEFAULT_MAX_WINDOW_MS;
  const lookbackMs = input.lookback ? parseDuration(input.lookback, 'lookback') : current?.lookbackMs ?? Math.min(periodMs(spec), maxWindowMs);
  const overlapMs = input.overlap ? parseDuration(input.overlap, 'overlap') : current?.overlapMs ?? DEFAULT_OVERLAP_MS;
  const timeoutMs = input.timeout ? parseDuration(input.timeout, 'timeout') : current?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (maxWindowMs < MIN_INTERVAL_MS) throw new QuarryError('invalid_input', 'the maximum window must be at least 1s');
  if (lookbackMs < MIN_INTERVAL_MS) throw new QuarryError('invalid_input', 'the lookback must be at least 1s');
  if (lookbackMs > maxWindowMs) throw new QuarryError('invalid_input', `the lookback (${input.lookback ?? lookbackMs + ' ms'}) is longer than the maximum window: raise --max-window or shorten --lookback`);
  if (overlapMs >= maxWindowMs) throw new QuarryError('invalid_input', 'the overlap must be shorter than the maximum window');
  if (timeoutMs < MIN_INTERVAL_MS) throw new QuarryError('invalid_input', 'the timeout must be at least 1s');
  return { spec, timezone, lookbackMs, overlapMs, maxWindowMs, timeoutMs, params: input.params ?? current?.params ?? {} };
}

function specOf(input: ScheduleInput, timezone: string, current?: ScheduleRecord): ScheduleSpec {
  if (input.every !== undefined) {
    const everyMs = parseDuration(input.every, 'every');
    if (everyMs < MIN_INTERVAL_MS) throw new QuarryError('invalid_input', 'a schedule runs at most every second (--every 1s)');
    return { kind: 'interval', everyMs };
  }
  const cron = input.cron ?? (input.daily !== undefined ? dailyCron(input.daily) : undefined);
  if (cron !== undefined) return { kind: 'cron', cron: validateCron(cron, timezone), timezone };
  if (!current) throw new QuarryError('invalid_input', 'say when the hunt runs: every (e.g. 1h), cron (e.g. "0 6 * * *") or daily (e.g. 06:00)');
  // Changing only the time zone moves a cron schedule with it.
  return current.spec.kind === 'cron' ? { ...current.spec, timezone } : current.spec;
}
