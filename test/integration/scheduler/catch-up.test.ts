import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { hours, minutes, world } from './world.js';

describe('scheduler: catch-up after sleep or a closed app', () => {
  it('collapses a weekend of missed hourly runs into one run over the whole gap', async () => {
    const w = await world('2026-03-06T17:00:00.000Z'); // Friday
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h', overlap: '5m' });
    const scheduler = w.start();
    await w.time.advance(hours(1));
    await w.time.suspend(hours(62) + minutes(30)); // lid closed until Monday 08:30
    expect(w.gate.calls).toHaveLength(3);
    expect(w.gate.calls[2]!.window).toEqual({ start: '2026-03-06T17:55:00.000Z', end: '2026-03-09T08:30:00.000Z' });
    const [latest] = await w.api.schedules.history({ hunt: 'h1' });
    expect(latest).toMatchObject({ trigger: 'catch-up', status: 'succeeded', missed: 61, capped: null, dueAt: '2026-03-06T19:00:00.000Z' });
    expect(scheduler.status().lastClockJump).toEqual({ at: '2026-03-09T08:30:00.000Z', ms: hours(61) + minutes(30) });
    expect(w.log.some((e) => e.type === 'clock.jump')).toBe(true);

    await w.time.advance(hours(1));
    expect(w.gate.calls.map((c) => c.window).slice(3)).toEqual([{ start: '2026-03-09T08:25:00.000Z', end: '2026-03-09T09:00:00.000Z' }]);
  });

  it('caps the catch-up at the maximum window, and says so on the run and in the schedule list', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h', overlap: '5m', maxWindow: '24h' });
    w.start();
    await w.time.advance(0);
    await w.time.suspend(hours(63) + minutes(30));
    expect(w.gate.calls).toHaveLength(2);
    expect(w.gate.calls[1]!.window).toEqual({ start: '2026-03-08T08:30:00.000Z', end: '2026-03-09T08:30:00.000Z' });
    const [latest] = await w.api.schedules.history({ hunt: 'h1' });
    expect(latest!.capped).toEqual({ from: '2026-03-06T16:55:00.000Z', to: '2026-03-08T08:30:00.000Z' });
    const warning = 'catch-up capped by the maximum window: 2026-03-06T16:55:00.000Z to 2026-03-08T08:30:00.000Z was not queried';
    expect(latest!.warnings).toEqual([warning]);
    expect((await w.api.runs.get({ runId: latest!.runId })).warnings).toEqual([warning]);
    expect((await w.api.schedules.list())[0]!.warning).toBe(warning);

    await w.time.advance(hours(1));
    expect(w.gate.calls[2]!.window).toEqual({ start: '2026-03-09T08:25:00.000Z', end: '2026-03-09T09:00:00.000Z' });
    expect((await w.api.schedules.list())[0]!.warning).toBeNull();
  });

  it('catches up once when Quarry was closed over the weekend and starts again', async () => {
    const dataDir = tempDir('quarry-sched-');
    const friday = await world('2026-03-06T17:00:00.000Z', dataDir);
    friday.addHunt('h1');
    await friday.api.schedules.set({ hunt: 'h1', every: '1h', overlap: '5m' });
    friday.start();
    await friday.time.advance(hours(1) + minutes(30));
    friday.engine.close();

    const monday = await world('2026-03-09T08:30:00.000Z', dataDir);
    monday.start();
    await monday.time.advance(minutes(10));
    expect(monday.gate.calls.map((c) => c.window)).toEqual([{ start: '2026-03-06T17:55:00.000Z', end: '2026-03-09T08:30:00.000Z' }]);
    const history = await monday.api.schedules.history({ hunt: 'h1' });
    expect(history.map((r) => r.trigger)).toEqual(['catch-up', 'scheduled', 'first']);
  });
});
