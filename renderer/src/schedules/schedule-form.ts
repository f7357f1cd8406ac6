import type { ScheduleView } from '../../../engine/scheduler/views.js';

/** The editor's schedule form: one of three ways to say when, and the windows, as the hunter types them. */
export interface ScheduleForm {
  mode: 'every' | 'daily' | 'cron';
  every: string;
  daily: string;
  cron: string;
  timezone: string;
  lookback: string;
  overlap: string;
  /** The catch-up cap: the most one run covers after sleep or downtime. */
  maxWindow: string;
  timeout: string;
}

export const localTimezone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function formOf(view: ScheduleView | null): ScheduleForm {
  const base: ScheduleForm = {
    mode: 'every', every: '1h', daily: '06:00', cron: '0 6 * * 1-5', timezone: localTimezone(), lookback: '', overlap: '', maxWindow: '', timeout: '',
  };
  if (!view) return base;
  // A daily schedule is stored as the cron "M H * * *".
  const daily = view.cron ? /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(view.cron) : null;
  return {
    ...base,
    mode: view.every ? 'every' : daily ? 'daily' : 'cron',
    every: view.every ?? base.every,
    daily: daily ? `${daily[2]!.padStart(2, '0')}:${daily[1]!.padStart(2, '0')}` : base.daily,
    cron: view.cron ?? base.cron,
    timezone: view.timezone || base.timezone,
    lookback: view.lookback || base.lookback,
    overlap: view.overlap,
    maxWindow: view.maxWindow,
    timeout: view.timeout,
  };
}

export interface ScheduleSetRequest {
  hunt: string;
  every?: string;
  daily?: string;
  cron?: string;
  timezone: string;
  lookback?: string;
  overlap?: string;
  maxWindow?: string;
  timeout?: string;
}

/** The schedules.set request for a hunt; an empty duration leaves the engine's default (or the current value). */
export function setRequest(hunt: string, f: ScheduleForm): ScheduleSetRequest {
  const when = f.mode === 'every' ? { every: f.every.trim() } : f.mode === 'daily' ? { daily: f.daily.trim() } : { cron: f.cron.trim() };
  const durations: Partial<ScheduleSetRequest> = {};
  for (const key of ['lookback', 'overlap', 'maxWindow', 'timeout'] as const) if (f[key].trim()) durations[key] = f[key].trim();
  return { hunt, ...when, timezone: f.timezone.trim() || 'UTC', ...durations };
}
