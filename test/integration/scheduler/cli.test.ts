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
    expect(set.stdout.split('\n').slice(0, 3)).toEqual([
      '"Hunt h1" runs cron 0 6 * * 1-5 (Europe/Berlin).',
      'First run: as soon as the scheduler picks it up, covering the last 3d.',
      'Each run covers the time since the last successful one (overlap 5m); a catch-up after sleep or downtime covers at most 7d (--max-window); a run times out after 1h.',
    ]);
    // The test hunts' query is their id: it cannot see the window, and the hunter is told.
    expect(set.stdout).toContain('warning: the query does not use @start/@end, so every run reads all of its data');
    expect(set.stdout).toMatch(/No scheduler is running for this data directory/);
    const daily = await q('set', 'h1', '--daily', '06:00', '--tz', 'Europe/Berlin');
    expect(daily.stdout).toMatch(/^"Hunt h1" runs every day at 06:00 \(Europe\/Berlin\)\.\n/);
    expect((await q('set', 'h2', '--every', '1h', '--json')).code).toBe(0);

    const list = JSON.parse((await q('list', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(list.map((v) => [v.huntId, v.description, v.lookback, v.overlap, v.maxWindow, v.state])).toEqual([
      ['h1', 'every day at 06:00 (Europe/Berlin)', '3d', '5m', '7d', 'waiting'],
      ['h2', 'every 1h', '1h', '0s', '7d', 'waiting'],
    ]);

    expect((await q('pause', '--all')).stdout).toBe('All schedules paused.\n');
    expect((await q('list')).stdout).toMatch(/^All schedules are paused \(quarry schedule resume --all\)\.\nHUNT +SCHEDULE +OVERLAP +MAX WINDOW +STATE +NEXT RUN/);
    expect((await q('resume', '--all')).code).toBe(0);
    expect((await q('pause', 'h2')).stdout).toBe('"Hunt h2" paused.\n');
    const text = (await q('list')).stdout;
    expect(text).toMatch(/Hunt h1 +every day at 06:00 \(Europe\/Berlin\) +5m +7d +waiting +\S+/);
    expect(text).toMatch(/Hunt h2 +every 1h +0s +7d +paused +- /);
    expect(text).toContain('MAX WINDOW: the most one catch-up run covers');
    expect(text).not.toMatch(/All schedules are paused/);

    const bad = await q('pause');
    expect(bad).toMatchObject({ code: 1, stderr: 'quarry: say which: quarry schedule pause <hunt> or quarry schedule pause --all\n' });
    const both = await q('set', 'h1', '--every', '1h', '--cron', '0 * * * *');
    expect(both).toMatchObject({ code: 1, stderr: 'quarry: schedules.set: give one of every, cron or daily\n' });
    expect((await q('set', 'h1', '--every', '1h', '--tz', 'Nowhere/Land')).stderr).toMatch(/unknown time zone "Nowhere\/Land"/);
    expect(await q('history', 'Hunt h3')).toMatchObject({ code: 1, stderr: 'quarry: hunt not found: Hunt h3\n' });
    expect(await q('cancel', 'h1')).toMatchObject({ code: 1, stderr: 'quarry: no scheduled run of "Hunt h1" is going\n' });
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
    expect(list.stdout).toMatch(/Hunt h1 +every 1h +0s +1d +waiting +\S+ +2026-03-08T07:00:00.000Z \.\. 2026-03-09T07:00:00.000Z +succeeded +1/);
    expect(list.stdout).toContain('warning: Hunt h1: catch-up capped by the maximum window: 2026-03-06T17:00:00.000Z to 2026-03-08T07:00:00.000Z was not queried');
    const history = await quarry(['--data-dir', dataDir, 'schedule', 'history', 'h1']);
    expect(history.stdout).toMatch(/catch-up +succeeded .*stood in for 61 missed runs; catch-up capped by the maximum window: 2026-03-06T17:00:00.000Z to 2026-03-08T07:00:00.000Z was not queried/);
    expect(history.stdout).toMatch(/first +succeeded +2026-03-06T16:00:00.000Z \.\. 2026-03-06T17:00:00.000Z/);
  }, 60_000);
});
