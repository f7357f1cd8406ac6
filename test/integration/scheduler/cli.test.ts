import { describe, expect, it } from 'vitest';
import { quarry } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { hours, world } from './world.js';

describe('quarry schedule', () => {
  it('sets, lists (text and JSON), pauses and resumes schedules from the command line', async () => {
    const dataDir = tempDir('quarry-cli-sched-');
    const w = await world('2026-03-06T17:00:00.000Z', dataDir);
    w.addHunt('h1');
    w.addHunt('h2');
    w.engine.close();
    const q = (...args: string[]) => quarry(['--data-dir', dataDir, 'schedule', ...args]);

    const set = await q('set', 'h1', '--cron', '0 6 * * 1-5', '--tz', 'Europe/Berlin', '--lookback', '3d', '--overlap', '5m', '--max-window', '7d');
    expect(set.stderr).toBe('');
    expect(set.stdout).toMatch(/"Hunt h1" runs cron 0 6 \* \* 1-5 \(Europe\/Berlin\); next run /);
    expect(set.stdout).toMatch(/No scheduler is running for this data directory/);
    expect((await q('set', 'h2', '--every', '1h', '--json')).code).toBe(0);

    const list = JSON.parse((await q('list', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(list.map((v) => [v.huntId, v.description, v.lookback, v.overlap, v.state])).toEqual([
      ['h1', 'cron 0 6 * * 1-5 (Europe/Berlin)', '3d', '5m', 'waiting'],
      ['h2', 'every 1h', '1h', '0s', 'waiting'],
    ]);

    expect((await q('pause', '--all')).stdout).toBe('All schedules paused.\n');
    expect((await q('list')).stdout).toMatch(/^All schedules are paused \(quarry schedule resume --all\)\.\nHUNT +SCHEDULE +STATE +NEXT RUN/);
    expect((await q('resume', '--all')).code).toBe(0);
    expect((await q('pause', 'h2')).stdout).toBe('"Hunt h2" paused.\n');
    const text = (await q('list')).stdout;
    expect(text).toMatch(/Hunt h2 +every 1h +paused +- /);
    expect(text).not.toMatch(/All schedules are paused/);

    const bad = await q('pause');
    expect(bad).toMatchObject({ code: 1, stderr: 'quarry: say which: quarry schedule pause <hunt> or quarry schedule pause --all\n' });
    const both = await q('set', 'h1', '--every', '1h', '--cron', '0 * * * *');
    expect(both).toMatchObject({ code: 1, stderr: 'quarry: schedules.set: give one of every, cron or daily\n' });
    expect((await q('set', 'h1', '--every', '1h', '--tz', 'Nowhere/Land')).stderr).toMatch(/unknown time zone "Nowhere\/Land"/);
  }, 60_000);

  it('shows a capped catch-up as a warning in `schedule list` and the run in `schedule history`', async () => {
    const dataDir = tempDir('quarry-cli-sched-');
    const w = await world('2026-03-06T17:00:00.000Z', dataDir);
    w.addHunt('h1');
    await w.api.schedules.set({ hunt: 'h1', every: '1h', maxWindow: '1d' });
    w.start();
    await w.time.advance(0);
    await w.time.suspend(hours(62));
    w.engine.close();

    const list = await quarry(['--data-dir', dataDir, 'schedule', 'list']);
    expect(list.stdout).toMatch(/Hunt h1 +every 1h +waiting +\S+ +2026-03-08T07:00:00.000Z \.\. 2026-03-09T07:00:00.000Z +succeeded +1/);
    expect(list.stdout).toContain('warning: Hunt h1: catch-up capped by the maximum window: 2026-03-06T17:00:00.000Z to 2026-03-08T07:00:00.000Z was not queried');
    const history = await quarry(['--data-dir', dataDir, 'schedule', 'history', 'h1']);
    expect(history.stdout).toMatch(/catch-up +succeeded .*stood in for 61 missed runs; catch-up capped by the maximum window: 2026-03-06T17:00:00.000Z to 2026-03-08T07:00:00.000Z was not queried/);
    expect(history.stdout).toMatch(/first +succeeded +2026-03-06T16:00:00.000Z \.\. 2026-03-06T17:00:00.000Z/);
  }, 60_000);
});
