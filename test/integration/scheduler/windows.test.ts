import { describe, expect, it } from 'vitest';
import { hours, world } from './world.js';

describe('scheduler: incremental windows', () => {
  it('covers the lookback on the first run, then [last end - overlap, now) each hour, with no gap', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h', lookback: '6h', overlap: '5m' });
    w.start();
    await w.time.advance(hours(4));

    expect(w.gate.calls.map((c) => c.window)).toEqual([
      { start: '2026-03-06T11:00:00.000Z', end: '2026-03-06T17:00:00.000Z' },
      { start: '2026-03-06T16:55:00.000Z', end: '2026-03-06T18:00:00.000Z' },
      { start: '2026-03-06T17:55:00.000Z', end: '2026-03-06T19:00:00.000Z' },
      { start: '2026-03-06T18:55:00.000Z', end: '2026-03-06T20:00:00.000Z' },
      { start: '2026-03-06T19:55:00.000Z', end: '2026-03-06T21:00:00.000Z' },
    ]);
    const history = await w.api.schedules.history({ hunt: 'h1' });
    expect(history.map((r) => [r.trigger, r.status, r.rowCount])).toEqual([
      ['scheduled', 'succeeded', 1], ['scheduled', 'succeeded', 1], ['scheduled', 'succeeded', 1], ['scheduled', 'succeeded', 1], ['first', 'succeeded', 1],
    ]);
    // The window is on the run itself, where the query saw it as @start/@end.
    const run = await w.api.runs.get({ runId: history[0]!.runId });
    expect([run.windowStart, run.windowEnd]).toEqual(['2026-03-06T19:55:00.000Z', '2026-03-06T21:00:00.000Z']);
    const [view] = await w.api.schedules.list();
    expect(view).toMatchObject({ description: 'every 1h', state: 'waiting', nextRunAt: '2026-03-06T22:00:00.000Z', coveredUntil: '2026-03-06T21:00:00.000Z', warning: null });
  });

  it('sleeps on one timer until the next due time instead of polling', async () => {
    const w = await world('2026-03-06T17:20:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    const scheduler = w.start({ resyncMs: hours(24) });
    await w.time.advance(0);
    expect(w.time.pendingTimers).toEqual(['2026-03-06T18:00:00.000Z']);
    await w.time.advance(hours(1));
    expect(w.time.pendingTimers).toEqual(['2026-03-06T19:00:00.000Z']);
    await w.time.advance(hours(2));
    expect(w.time.pendingTimers).toEqual(['2026-03-06T21:00:00.000Z']);
    // Start, then one wake-up per run: nothing in between.
    expect(scheduler.stats.wakeups).toBe(4);
    expect(w.gate.calls).toHaveLength(4);
  });

  it('starts the next window at the end of the last successful one when a run fails', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h', overlap: '5m' });
    w.start();
    await w.time.advance(0);
    w.gate.hold = true;
    await w.time.advance(hours(1));
    w.gate.calls[1]!.fail('workspace unavailable');
    w.gate.hold = false;
    await w.time.advance(hours(1));
    expect(w.gate.calls.map((c) => c.window)).toEqual([
      { start: '2026-03-06T16:00:00.000Z', end: '2026-03-06T17:00:00.000Z' },
      { start: '2026-03-06T16:55:00.000Z', end: '2026-03-06T18:00:00.000Z' },
      { start: '2026-03-06T16:55:00.000Z', end: '2026-03-06T19:00:00.000Z' },
    ]);
    const history = await w.api.schedules.history({ hunt: 'h1' });
    expect(history.map((r) => r.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(history[1]!.error).toMatch(/workspace unavailable/);
  });

  it('runs a daily cron at 06:00 in the schedule\'s time zone, across the change to summer time', async () => {
    const w = await world('2026-03-26T12:00:00.000Z');
    w.addHunt('h1');
    const view = await w.api.schedules.set({ hunt: 'h1', daily: '06:00', timezone: 'Europe/Berlin' });
    expect(view).toMatchObject({ description: 'every day at 06:00 (Europe/Berlin)', cron: '0 6 * * *', lookback: '1d' });
    w.start();
    await w.time.advanceTo('2026-03-31T12:00:00.000Z');
    expect(w.gate.calls.map((c) => c.window.end)).toEqual([
      '2026-03-26T12:00:00.000Z', // the first run, at once
      '2026-03-27T05:00:00.000Z', '2026-03-28T05:00:00.000Z', // 06:00 CET
      '2026-03-29T04:00:00.000Z', '2026-03-30T04:00:00.000Z', '2026-03-31T04:00:00.000Z', // 06:00 CEST
    ]);
    expect(w.gate.calls[0]!.window.start).toBe('2026-03-25T12:00:00.000Z');
    for (let i = 1; i < w.gate.calls.length; i++) expect(w.gate.calls[i]!.window.start).toBe(w.gate.calls[i - 1]!.window.end);
  });
});
