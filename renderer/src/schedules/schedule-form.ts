import type { ScheduleView } from '../../../engine/scheduler/views';

/** The editor's schedule form: one of three ways to say when, as the hunter types them. */
export interface ScheduleForm {
  mode: 'every' | 'daily' | 'cron';
  every: string;
  daily: string;
  cron: string;
  timezone: string;
  lookback: string;
}

export const localTimezone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function formOf(view: ScheduleView | null): ScheduleForm {
  const base: ScheduleForm = { mode: 'every', every: '1h', daily: '06:00', cron: '0 6 * * 1-5', timezone: localTimezone(), lookback: '' };
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
  };
}

/** The schedules.set request for a hunt. */
export function setRequest(hunt: string, f: ScheduleForm): { hunt: string; every?: string; daily?: string; cron?: string; timezone: string; lookback?: string } {
  const when = f.mode === 'every' ? { every: f.every.trim() } : f.mode === 'daily' ? { daily: f.daily.trim() } : { cron: f.cron.trim() };
  // An empty lookback leaves the engine's default: one period, capped by the maximum window.
  return { hunt, ...when, timezone: f.timezone.trim() || 'UTC', ...(f.lookback.trim() ? { lookback: f.lookback.trim() } : {}) };
}
