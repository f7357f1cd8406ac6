import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { Scheduler } from '../../../engine/scheduler/scheduler.js';
import { lockHolder, SchedulerLock } from '../../../engine/scheduler/lock.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { quarry } from '../../helpers/cli.js';
import { DaemonProcess, readStore, waitFor } from './daemon-process.js';
import { keepScheduler } from '../../../engine/scheduler/keeper.js';
import { hours, world } from './world.js';

const DEAD_PID = 2 ** 22 + 4243;

describe('one scheduler per data directory', () => {
  it('refuses a second scheduler on the same data directory, naming the holder, until the first stops', async () => {
    const dataDir = tempDir('quarry-lock-');
    const app = await world('2026-03-06T17:00:00.000Z', dataDir);
    const other = await world('2026-03-06T17:00:00.000Z', dataDir);
    const first = app.start({ kind: 'app' });
    expect(() => other.start({ kind: 'daemon' })).toThrowError(
      new RegExp(`already runs in the Quarry app \\(pid ${process.pid}, since .*\\); stop it first`),
    );
    expect(other.engine.scheduler).toBeNull();
    expect(await other.api.schedules.status()).toMatchObject({ active: false, holder: { pid: process.pid, kind: 'app' } });

    await first.stop();
    expect(other.start({ kind: 'daemon' }).status()).toMatchObject({ active: true, holder: { kind: 'daemon' } });
  });

  it('takes over a lock whose holder died, or went silent long enough for its pid to be someone else\'s', async () => {
    const w = await world();
    w.engine.db.prepare("UPDATE scheduler_state SET lock_token = 'old', lock_pid = ?, lock_host = ?, lock_kind = 'daemon', lock_since = '2026-01-01T00:00:00.000Z', lock_heartbeat_ms = ?")
      .run(DEAD_PID, os.hostname(), Date.now());
    expect(lockHolder(w.engine.db)).toBeNull();
    const lock = SchedulerLock.acquire(w.engine.db, 'test');
    lock.release();

    // A live pid with a heartbeat older than the stale limit: a reused pid after a reboot.
    w.engine.db.prepare("UPDATE scheduler_state SET lock_token = 'old', lock_pid = 1, lock_kind = 'daemon', lock_heartbeat_ms = ?").run(Date.now() - 60 * 60_000);
    expect(lockHolder(w.engine.db, { isAlive: () => true })).toBeNull();
    expect(lockHolder(w.engine.db, { isAlive: () => true, staleMs: 2 * 60 * 60_000 })).toMatchObject({ pid: 1, kind: 'daemon' });
  });

  it('the app shows that the daemon runs the schedules, and takes them over when the daemon stops', async () => {
    const dataDir = tempDir('quarry-lock-');
    const daemon = await world('2026-03-06T17:00:00.000Z', dataDir);
    daemon.addHunt('h1');
    await daemon.api.schedules.set({ hunt: 'h1', every: '1h' });
    const daemonScheduler = daemon.start({ kind: 'daemon' });
    await daemon.time.advance(0);
    expect(daemon.gate.calls).toHaveLength(1);

    const app = await world('2026-03-06T17:00:00.000Z', dataDir);
    const lines: string[] = [];
    const keeper = keepScheduler(app.engine, { kind: 'app', timers: app.time, maxJitterMs: 0, resyncMs: hours(6) }, (l) => lines.push(l), 30_000);
    expect(app.engine.scheduler).toBeNull();
    expect(await app.api.schedules.status()).toMatchObject({ active: false, holder: { kind: 'daemon', pid: process.pid } });
    expect(lines).toEqual([expect.stringMatching(/^quarry daemon \(pid \d+, since .*\) runs the schedules of this data directory; this app takes over when it stops$/)]);
    await app.time.advance(hours(1));
    expect(app.gate.calls).toHaveLength(0); // still the daemon's
    expect(lines).toHaveLength(1); // said once, not every 30 s

    await daemonScheduler.stop();
    await app.time.advance(30_000);
    expect(await app.api.schedules.status()).toMatchObject({ active: true, holder: { kind: 'app' } });
    expect(lines.at(-1)).toBe('scheduler: running the schedules of this data directory now');
    // The 18:00 run the daemon was not there for: the app runs it, from where the daemon's last window ended.
    expect(app.gate.calls.map((c) => c.window)).toEqual([{ start: '2026-03-06T17:00:00.000Z', end: '2026-03-06T18:00:30.000Z' }]);

    await keeper.stop();
    expect(lockHolder(app.engine.db)).toBeNull();
    await app.time.advance(hours(1));
    expect(app.engine.scheduler).toBeNull(); // stopped for good: no retry after stop()
  });

  it('the app cannot schedule while `quarry daemon` runs on the data directory, and the daemon refuses while the app does', async () => {
    const dataDir = tempDir('quarry-lock-');
    (await Engine.open({ dataDir, sampleData: false })).close();

    const daemon = new DaemonProcess(dataDir);
    await waitFor('the daemon to take the lock', () => readStore(dataDir, (db) => (db.prepare('SELECT lock_pid FROM scheduler_state').get() as { lock_pid: number | null }).lock_pid === daemon.pid), 60_000, daemon);
    const app = await Engine.open({ dataDir, sampleData: false });
    try {
      expect(() => Scheduler.start(app, { kind: 'app' })).toThrowError(new RegExp(`already runs in quarry daemon \\(pid ${daemon.pid}, since `));
      const exit = await daemon.kill('SIGTERM');
      expect(exit, `stdout: ${daemon.stdout}\nstderr: ${daemon.stderr}`).toMatchObject({ code: 0 });

      const scheduler = Scheduler.start(app, { kind: 'app' });
      const refused = await quarry(['--data-dir', dataDir, 'daemon']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`quarry: the scheduler for this data directory already runs in the Quarry app \\(pid ${process.pid}, since .*\\); stop it first`));
      await scheduler.stop();
    } finally {
      app.close();
    }
  }, 120_000);
});
