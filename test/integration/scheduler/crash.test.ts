import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { lockHolder } from '../../../engine/scheduler/lock.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { hours, minutes, world } from './world.js';

/** A pid no process has (Linux pids stay below 2^22). */
const DEAD_PID = 2 ** 22 + 4242;

/** Stands in for SIGKILL in-process: nothing is cleaned up, and the rows name a pid that is gone. */
function die(engine: Engine): void {
  engine.db.prepare("UPDATE runs SET owner_pid = ? WHERE status = 'running'").run(DEAD_PID);
  engine.db.prepare('UPDATE scheduler_state SET lock_pid = ?').run(DEAD_PID);
  engine.scheduler = null;
  engine.db.close();
}

type Window = { start: string; end: string };

/** Succeeded windows in order must touch or overlap by exactly `overlapMs`: no gap, nothing counted beyond the overlap. */
function expectContiguous(windows: Window[], overlapMs: number): void {
  for (let i = 1; i < windows.length; i++) {
    expect(Date.parse(windows[i - 1]!.end) - Date.parse(windows[i]!.start)).toBe(overlapMs);
  }
}

describe('scheduler: crash safety', () => {
  it('re-runs the window of a run cut by a crash, from the last successful end, at the next start', async () => {
    const dataDir = tempDir('quarry-sched-');
    const before = await world('2026-03-06T17:00:00.000Z', dataDir);
    before.addHunt('h1');
    await before.api.schedules.set({ hunt: 'h1', every: '1h', overlap: '5m' });
    before.start();
    await before.time.advance(0);
    before.gate.hold = true;
    await before.time.advance(hours(1)); // the 18:00 run is in flight
    const killed = before.gate.calls[1]!.window;
    die(before.engine);

    const after = await world('2026-03-06T18:20:00.000Z', dataDir);
    after.start();
    await after.time.advance(hours(1));
    const history = (await after.api.schedules.history({ hunt: 'h1' })).reverse();
    expect(history.map((r) => [r.trigger, r.status])).toEqual([
      ['first', 'succeeded'], ['scheduled', 'interrupted'], ['recovery', 'succeeded'], ['scheduled', 'succeeded'],
    ]);
    expect(history[1]!.error).toMatch(/interrupted/);
    const succeeded = history.filter((r) => r.status === 'succeeded').map((r) => ({ start: r.windowStart, end: r.windowEnd }));
    expect(succeeded).toEqual([
      { start: '2026-03-06T16:00:00.000Z', end: '2026-03-06T17:00:00.000Z' },
      { start: '2026-03-06T16:55:00.000Z', end: '2026-03-06T18:20:00.000Z' },
      { start: '2026-03-06T18:15:00.000Z', end: '2026-03-06T19:00:00.000Z' },
    ]);
    expectContiguous(succeeded, minutes(5));
    expect(succeeded[1]!.start <= killed.start && succeeded[1]!.end >= killed.end).toBe(true);
  });

  it('re-runs an interrupted first run over the same lookback, not a later one', async () => {
    const dataDir = tempDir('quarry-sched-');
    const before = await world('2026-03-06T17:00:00.000Z', dataDir);
    before.addHunt('h1');
    await before.api.schedules.set({ hunt: 'h1', every: '1h', lookback: '6h' });
    before.gate.hold = true;
    before.start();
    await before.time.advance(0);
    die(before.engine);

    const after = await world('2026-03-06T17:30:00.000Z', dataDir);
    after.start();
    await after.time.advance(0);
    expect(after.gate.calls.map((c) => c.window)).toEqual([{ start: '2026-03-06T11:00:00.000Z', end: '2026-03-06T17:30:00.000Z' }]);
  });

  it('on a graceful stop marks in-flight runs interrupted, releases the lock, and the next start re-runs them', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    w.start();
    await w.time.advance(0);
    w.gate.hold = true;
    await w.time.advance(hours(1));
    await w.engine.scheduler!.stop();
    expect(w.gate.calls[1]!.signal.aborted).toBe(true);
    expect((await w.api.schedules.history({ hunt: 'h1' }))[0]).toMatchObject({ status: 'interrupted', rowCount: 0 });
    expect(lockHolder(w.engine.db)).toBeNull();
    expect(w.engine.scheduler).toBeNull();

    w.gate.hold = false;
    await w.time.advance(minutes(10));
    w.start();
    await w.time.advance(0);
    expect(w.gate.calls[2]!.window).toEqual({ start: '2026-03-06T17:00:00.000Z', end: '2026-03-06T18:10:00.000Z' });
    expect((await w.api.schedules.history({ hunt: 'h1' }))[0]).toMatchObject({ trigger: 'recovery', status: 'succeeded' });
  });

  it('closing the engine mid-run records the run as interrupted and frees the data directory', async () => {
    const dataDir = tempDir('quarry-sched-');
    const w = await world('2026-03-06T17:00:00.000Z', dataDir);
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    w.gate.hold = true;
    w.start();
    await w.time.advance(0);
    w.engine.close();

    const again = await world('2026-03-06T17:05:00.000Z', dataDir);
    const [run] = await again.api.schedules.history({ hunt: 'h1' });
    expect(run).toMatchObject({ status: 'interrupted', trigger: 'first' });
    expect(lockHolder(again.engine.db)).toBeNull();
  });
});
