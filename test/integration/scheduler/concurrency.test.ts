import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.js';
import { clientOf, hours, minutes, world } from './world.js';

describe('scheduler: one run per hunt, a global limit, timeouts, jitter', () => {
  it('never runs the same hunt twice at once: fires during a long run become one run right after it', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '15m', overlap: '1m', timeout: '3h' });
    w.gate.hold = true;
    const scheduler = w.start();
    await w.time.advance(hours(1) + minutes(5)); // four more fires while the first run is still going
    expect(w.gate.calls).toHaveLength(1);
    expect(scheduler.status().running).toHaveLength(1);

    w.gate.hold = false;
    w.gate.calls[0]!.finish();
    await w.time.advance(0);
    expect(w.gate.calls).toHaveLength(2);
    expect(w.gate.calls[1]!.window).toEqual({ start: '2026-03-06T16:59:00.000Z', end: '2026-03-06T18:05:00.000Z' });
    expect(w.gate.maxInFlightPerHunt).toBe(1);
    const [latest] = await w.api.schedules.history({ hunt: 'h1' });
    expect(latest).toMatchObject({ trigger: 'coalesced', missed: 3, status: 'succeeded' });
  });

  it('runs at most `concurrency` hunts at once and queues the rest by due time', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      w.addHunt(id);
      await w.api.schedules.set({ hunt: id, every: '1h' });
    }
    w.gate.hold = true;
    const scheduler = w.start();
    await w.time.advance(0);
    expect(w.gate.pending.map((c) => c.hunt)).toEqual(['a', 'b']);
    expect(scheduler.status()).toMatchObject({ queued: 3 });
    expect((await w.api.schedules.list()).map((v) => v.state)).toEqual(['running', 'running', 'queued', 'queued', 'queued']);

    w.gate.pending[0]!.finish();
    await w.time.advance(0);
    expect(w.gate.pending.map((c) => c.hunt)).toEqual(['b', 'c']);
    while (w.gate.pending.length) {
      w.gate.pending[0]!.finish();
      await w.time.advance(0);
    }
    expect(w.gate.calls.map((c) => c.hunt)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(w.gate.maxInFlight).toBe(2);
  });

  it('cancels a run past its timeout; the next run covers its window', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h', timeout: '10m' });
    w.start();
    await w.time.advance(0);
    w.gate.hold = true;
    await w.time.advance(hours(1) + minutes(11));
    expect(w.gate.calls[1]!.signal.aborted).toBe(true);
    const [timedOut] = await w.api.schedules.history({ hunt: 'h1' });
    expect(timedOut).toMatchObject({ status: 'failed', windowStart: '2026-03-06T17:00:00.000Z' });
    expect(timedOut!.error).toMatch(/timed out after 10m/);

    w.gate.hold = false;
    await w.time.advance(hours(1));
    expect(w.gate.calls[2]!.window).toEqual({ start: '2026-03-06T17:00:00.000Z', end: '2026-03-06T19:00:00.000Z' });
  });

  it('cancels a hunt\'s run on request, and the next run covers its window', async () => {
    const w = await world('2026-03-06T17:00:00.000Z');
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    w.gate.hold = true;
    const scheduler = w.start();
    await w.time.advance(0);
    expect(scheduler.cancel('h1')).toBe(true);
    await w.time.advance(0);
    expect((await w.api.schedules.history({ hunt: 'h1' }))[0]!.status).toBe('cancelled');
    w.gate.hold = false;
    await w.time.advance(hours(1));
    expect(w.gate.calls[1]!.window).toEqual({ start: '2026-03-06T16:00:00.000Z', end: '2026-03-06T18:00:00.000Z' });
  });

  it('cancels a hunt\'s scheduled run through the API, also from another process on the same data directory', async () => {
    const dataDir = tempDir('quarry-sched-');
    const w = await world('2026-03-06T17:00:00.000Z', dataDir);
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h' });
    w.gate.hold = true;
    w.start();
    await w.time.advance(0);
    const [first] = await w.api.schedules.history({ hunt: 'h1' });
    // In the process that runs the scheduler: at once.
    expect(await w.api.schedules.cancel({ hunt: 'Hunt h1' })).toEqual({ runId: first!.runId, pending: false });
    await w.time.advance(0);
    expect((await w.api.schedules.history({ hunt: 'h1' }))[0]).toMatchObject({ runId: first!.runId, status: 'cancelled' });
    await expect(w.api.schedules.cancel({ hunt: 'h1' })).rejects.toThrowError('no scheduled run of "Hunt h1" is going');

    // From the CLI next to a daemon: a request the scheduler picks up while the run is in flight.
    await w.time.advance(hours(1));
    const [second] = await w.api.schedules.history({ hunt: 'h1' });
    expect(second).toMatchObject({ status: 'running' });
    const cli = await world('2026-03-06T18:00:00.000Z', dataDir);
    expect(await clientOf(cli.engine).schedules.cancel({ hunt: 'h1' })).toEqual({ runId: second!.runId, pending: true });
    expect(w.gate.calls[1]!.signal.aborted).toBe(false);
    await w.time.advance(2000);
    expect(w.gate.calls[1]!.signal.aborted).toBe(true);
    expect((await w.api.schedules.history({ hunt: 'h1' }))[0]).toMatchObject({ runId: second!.runId, status: 'cancelled', error: 'cancelled by the user' });
    expect(w.engine.db.prepare('SELECT count(*) FROM schedule_cancel_requests').pluck().get()).toBe(0);

    // The next run covers both cancelled windows.
    w.gate.hold = false;
    await w.time.advance(hours(1));
    expect(w.gate.calls[2]!.window).toEqual({ start: '2026-03-06T16:00:00.000Z', end: '2026-03-06T19:00:00.000Z' });

    // The run view cancels by run id: the same request, for the daemon's run; a run that ended has nothing to cancel.
    w.gate.hold = true;
    await w.time.advance(hours(1));
    const [fourth] = await w.api.schedules.history({ hunt: 'h1' });
    expect(fourth).toMatchObject({ status: 'running' });
    expect(await clientOf(cli.engine).runs.cancel({ runId: fourth!.runId })).toEqual({ cancelled: false, pending: true });
    await w.time.advance(2000);
    expect(w.gate.calls[3]!.signal.aborted).toBe(true);
    expect((await w.api.schedules.history({ hunt: 'h1' }))[0]).toMatchObject({ runId: fourth!.runId, status: 'cancelled' });
    expect(await clientOf(cli.engine).runs.cancel({ runId: fourth!.runId })).toEqual({ cancelled: false, pending: false });
    // A run started by hand in the other process has no scheduler to ask: the error says where to stop it.
    const { runId: manual } = await w.api.runs.start({ hunt: 'h1' });
    await expect(clientOf(cli.engine).runs.cancel({ runId: manual })).rejects.toThrowError(`run ${manual} of "Hunt h1" runs in another Quarry process`);
    expect(await w.api.runs.cancel({ runId: manual })).toEqual({ cancelled: true, pending: false });
  });

  it('spreads a hundred hourly hunts over the first minute, each hunt at the same offset every hour', async () => {
    const w = await world('2026-03-06T17:30:00.000Z');
    for (let i = 0; i < 100; i++) {
      w.addHunt(`hunt-${i}`);
      await w.api.schedules.set({ hunt: `hunt-${i}`, every: '1h' });
    }
    w.start({ maxJitterMs: 60_000, concurrency: 100 });
    await w.time.advance(0); // first runs, at once
    const starts = (from: string, to: string) => w.log
      .flatMap((e) => (e.type === 'run.started' && e.startedAt >= from && e.startedAt < to ? [e] : []));
    await w.time.advanceTo('2026-03-06T19:30:00.000Z');
    const hour1 = starts('2026-03-06T18:00:00.000Z', '2026-03-06T18:30:00.000Z');
    const hour2 = starts('2026-03-06T19:00:00.000Z', '2026-03-06T19:30:00.000Z');
    expect(hour1).toHaveLength(100);
    const offsets = hour1.map((e) => Date.parse(e.startedAt) - Date.parse('2026-03-06T18:00:00.000Z'));
    expect(Math.max(...offsets)).toBeLessThan(60_000);
    const sameSecond = new Map<number, number>();
    for (const o of offsets) sameSecond.set(Math.floor(o / 1000), (sameSecond.get(Math.floor(o / 1000)) ?? 0) + 1);
    expect(sameSecond.size).toBeGreaterThan(40); // spread, not a stampede
    expect(Math.max(...sameSecond.values())).toBeLessThanOrEqual(10); // without jitter: all 100 in one second
    const offsetOf = (events: typeof hour1, base: string) => new Map(events.map((e) => [e.huntId, Date.parse(e.startedAt) - Date.parse(base)]));
    expect(offsetOf(hour2, '2026-03-06T19:00:00.000Z')).toEqual(offsetOf(hour1, '2026-03-06T18:00:00.000Z'));
  });
});
