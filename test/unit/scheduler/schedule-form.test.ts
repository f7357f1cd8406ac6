import { describe, expect, it } from 'vitest';
import { formOf, setRequest } from '../../../renderer/src/schedules/schedule-form.js';
import type { ScheduleView } from '../../../engine/scheduler/views.js';

const view = (v: Partial<ScheduleView>): ScheduleView => ({
  huntId: 'h', huntName: 'H', description: '', every: null, cron: null, timezone: 'Europe/Berlin', lookback: '1d', overlap: '5m',
  maxWindow: '2d', timeout: '30m', params: {}, paused: false, pausedAll: false, state: 'waiting', nextRunAt: null, coveredUntil: null,
  lastRun: null, warning: null, queryWarning: null, ...v,
});

describe('the editor\'s schedule form', () => {
  it('sends only the durations the hunter filled in, so the engine keeps its defaults for the rest', () => {
    const form = { ...formOf(null), mode: 'daily' as const, daily: ' 06:00 ', timezone: 'Europe/Berlin', maxWindow: ' 3d ' };
    expect(setRequest('h', form)).toEqual({ hunt: 'h', daily: '06:00', timezone: 'Europe/Berlin', maxWindow: '3d' });
  });

  it('reads a daily schedule back as "every day at", with its overlap, catch-up cap and timeout', () => {
    const form = formOf(view({ cron: '5 6 * * *' }));
    expect(form).toMatchObject({ mode: 'daily', daily: '06:05', timezone: 'Europe/Berlin', lookback: '1d', overlap: '5m', maxWindow: '2d', timeout: '30m' });
    expect(setRequest('h', form)).toEqual({ hunt: 'h', daily: '06:05', timezone: 'Europe/Berlin', lookback: '1d', overlap: '5m', maxWindow: '2d', timeout: '30m' });
    expect(formOf(view({ cron: '0 6 * * 1-5' }))).toMatchObject({ mode: 'cron', cron: '0 6 * * 1-5' });
  });
});
