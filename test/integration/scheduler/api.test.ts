import { describe, expect, it } from 'vitest';
import type { SchedulerStatus } from '../../../engine/scheduler/status.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { clientOf, hours, minutes, world } from './world.js';

describe('schedules API', () => {
  it('validates schedules and names what is wrong', async () => {
    const w = await world();
    w.addHunt('h1');
    const set = (a: Record<string, unknown>) => w.api.schedules.set({ hunt: 'h1', ...a });
    await expect(set({ every: '1h', cron: '0 6 * * *' })).rejects.toThrowError(/give one of every, cron or daily/);
    await expect(set({})).rejects.toThrowError(/say when the hunt runs/);
    await expect(set({ every: 'hourly' })).rejects.toThrowError(/every: "hourly" is not a duration/);
    await expect(set({ cron: '61 * * * *' })).rejects.toThrowError(/cron expression "61 \* \* \* \*"/);
    await expect(set({ daily: '06:00', timezone: 'Mars/Olympus' })).rejects.toThrowError(/unknown time zone "Mars\/Olympus"/);
    await expect(set({ every: '1h', lookback: '30d' })).rejects.toThrowError(/lookback .* longer than the maximum window/);
    await expect(w.api.schedules.set({ hunt: 'nope', every: '1h' })).rejects.toThrowError(/hunt not found: nope/);
    await expect(w.api.schedules.pause({ hunt: 'h1' })).rejects.toThrowError(/schedule of hunt not found: h1/);
    w.engine.hunts.save({ id: 'loose', name: 'No connection', language: 'sql', query: 'SELECT 1' });
    await expect(w.api.schedules.set({ hunt: 'loose', every: '1h' })).rejects.toThrowError(/hunt "No connection" has no connection/);
    // Imported Sentinel YAML is KQL by default: on the local (SQL) connection it could never run.
    w.engine.hunts.save({ id: 'kql', name: 'Sentinel hunt', language: 'kql', connection: 'local', query: 'SigninLogs' });
    await expect(w.api.schedules.set({ hunt: 'kql', every: '1h' })).rejects.toThrowError(
      'hunt "Sentinel hunt" is written in KQL but its connection "local" (local) takes SQL: change one before scheduling it',
    );
    expect(await w.api.schedules.list()).toEqual([]);
  });

  it('sets, changes, pauses, resumes and removes a schedule; deleting the hunt removes it too', async () => {
    const w = await world('2026-03-06T17:20:00.000Z');
    w.addHunt('h1');
    expect(await w.api.schedules.set({ hunt: 'h1', every: '15m', overlap: '1m' })).toMatchObject({
      huntName: 'Hunt h1', every: '15m', cron: null, lookback: '15m', overlap: '1m', maxWindow: '7d', timeout: '1h',
      paused: false, state: 'waiting', nextRunAt: '2026-03-06T17:20:00.000Z', lastRun: null,
    });
    // Changing one setting keeps the others.
    expect(await w.api.schedules.set({ hunt: 'h1', maxWindow: '2d' })).toMatchObject({ every: '15m', overlap: '1m', maxWindow: '2d' });
    expect(await w.api.schedules.pause({ hunt: 'Hunt h1' })).toMatchObject({ paused: true, state: 'paused', nextRunAt: null });
    expect(await w.api.schedules.resume({ hunt: 'h1' })).toMatchObject({ paused: false, state: 'waiting' });
    expect(await w.api.schedules.remove({ hunt: 'h1' })).toEqual({ removed: true });
    expect(await w.api.schedules.list()).toEqual([]);

    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    await w.api.hunts.delete({ hunt: 'h1' });
    expect(await w.api.schedules.list()).toEqual([]);
  });

  it('pause-all holds every schedule and resume-all catches up what was paused, in one run per hunt', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    for (const id of ['a', 'b']) {
      w.addHunt(id);
      await w.api.schedules.set({ hunt: id, every: '1h' });
    }
    await w.api.schedules.pause({ hunt: 'b' });
    const events: SchedulerStatus[] = [];
    w.api.on('schedule.status', (s) => void events.push(s));
    w.start();
    await w.time.advance(0);
    expect(w.gate.calls.map((c) => c.hunt)).toEqual(['a']);

    expect(await w.api.schedules.pauseAll()).toMatchObject({ active: true, pausedAll: true, nextRunAt: null });
    expect(events.at(-1)).toMatchObject({ pausedAll: true });
    await w.time.advance(hours(3));
    expect(w.gate.calls).toHaveLength(1);
    expect((await w.api.schedules.list()).map((v) => [v.huntId, v.state, v.pausedAll])).toEqual([['a', 'paused', true], ['b', 'paused', true]]);

    expect(await w.api.schedules.resumeAll()).toMatchObject({ pausedAll: false });
    await w.time.advance(0);
    // Only "a" runs (b keeps its own pause), once, over the three paused hours.
    expect(w.gate.calls.map((c) => [c.hunt, c.window])).toEqual([
      ['a', { start: '2026-03-06T16:00:00.000Z', end: '2026-03-06T17:00:00.000Z' }],
      ['a', { start: '2026-03-06T17:00:00.000Z', end: '2026-03-06T20:00:00.000Z' }],
    ]);
    expect(events.some((e) => e.running.length === 1)).toBe(true);
    expect(events.at(-1)).toMatchObject({ pausedAll: false, running: [], nextRunAt: '2026-03-06T21:00:00.000Z' });
  });

  it('applies a change made through this engine at once, and one made by another process within the resync period', async () => {
    const dataDir = tempDir('quarry-sched-');
    const w = await world('2026-03-06T17:00:00.000Z', dataDir);
    w.addHunt('h1');
    w.addHunt('h2');
    w.start({ resyncMs: 30_000 });
    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    expect(w.gate.calls.map((c) => c.hunt)).toEqual(['h1']);

    // The CLI next to a running scheduler: same data directory, its own engine.
    const cli = await world('2026-03-06T17:00:00.000Z', dataDir);
    await clientOf(cli.engine).schedules.set({ hunt: 'h2', every: '1h' });
    await w.time.advance(29_000);
    expect(w.gate.calls.map((c) => c.hunt)).toEqual(['h1']);
    await w.time.advance(1000);
    expect(w.gate.calls.map((c) => c.hunt)).toEqual(['h1', 'h2']);
  });

  it('shows why a due run could not start, and tries again at the next fire', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    // The hunt is edited into a language its connection does not speak.
    w.engine.hunts.save({ id: 'h1', name: 'Hunt h1', language: 'kql', connection: 'local', query: 'SigninLogs' });
    w.start();
    await w.time.advance(0);
    expect(w.gate.calls).toHaveLength(0);
    expect((await w.api.schedules.list())[0]!.warning).toMatch(/^could not start: hunt "Hunt h1" is written in KQL but connection "local" \(local\) takes SQL/);
    expect(w.log).toContainEqual(expect.objectContaining({ type: 'run.not-started', huntId: 'h1' }));

    w.addHunt('h1');
    await w.time.advance(hours(1));
    // Coverage begins where the schedule was set (minus the lookback), even though the first due run never started.
    expect(w.gate.calls.map((c) => c.window)).toEqual([{ start: '2026-03-06T16:00:00.000Z', end: '2026-03-06T18:00:00.000Z' }]);
    expect((await w.api.schedules.list())[0]!.warning).toBeNull();
  });

  it('runs at once when the hunter sets the schedule again after a run could not start', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    w.engine.hunts.save({ id: 'h1', name: 'Hunt h1', language: 'kql', connection: 'local', query: 'SigninLogs' });
    w.start();
    await w.time.advance(minutes(10));
    expect((await w.api.schedules.list())[0]).toMatchObject({ nextRunAt: '2026-03-06T18:00:00.000Z', warning: expect.stringMatching(/^could not start/) });

    w.addHunt('h1'); // fixed
    expect(await w.api.schedules.set({ hunt: 'h1', every: '1h' })).toMatchObject({ warning: null });
    await w.time.advance(0);
    expect(w.gate.calls.map((c) => c.window)).toEqual([{ start: '2026-03-06T16:00:00.000Z', end: '2026-03-06T17:10:00.000Z' }]);
    expect((await w.api.schedules.list())[0]).toMatchObject({ nextRunAt: '2026-03-06T18:00:00.000Z', lastRun: { trigger: 'first', status: 'succeeded' } });
  });

  it('says when a SQL hunt\'s query cannot see its window (@start/@end)', async () => {
    const w = await world();
    const save = (id: string, query: string, language: 'sql' | 'kql' = 'sql') => w.engine.hunts.save({ id, name: id, language, connection: 'local', query });
    save('both', "SELECT * FROM t WHERE ts >= @start AND ts < @end -- and a comment about @other");
    save('none', "SELECT * FROM t WHERE note = '@start and @end in a string'");
    save('end-only', 'SELECT * FROM t WHERE ts < @end');
    for (const id of ['both', 'none', 'end-only']) await w.api.schedules.set({ hunt: id, every: '1h' });
    const warnings = Object.fromEntries((await w.api.schedules.list()).map((v) => [v.huntId, v.queryWarning]));
    expect(warnings).toEqual({
      both: null,
      none: expect.stringMatching(/^the query does not use @start\/@end, so every run reads all of its data/),
      'end-only': expect.stringMatching(/^the query uses @end but not @start/),
    });
  });
});
