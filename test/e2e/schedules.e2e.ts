import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../engine/dispatch.js';
import { Engine } from '../../engine/engine.js';
import { Scheduler } from '../../engine/scheduler/scheduler.js';
import type { ScheduleView } from '../../engine/scheduler/views.js';
import type { Source } from '../../connectors/sources/types.js';
import { FakeTime } from '../integration/scheduler/fake-time.js';
import { shot, useApp } from './helpers.js';

const app = useApp();
const SPRAY_ID = '0c6f1a52-3a57-4f8e-9a53-5a1b4f0d2f11'; // "Password spray from one address" (fixtures/seed.ts)
const HOUR = 3_600_000;

describe('scheduled hunts in the app', () => {
  it('schedules a hunt from its editor, then shows the daemon running it and a capped catch-up', async () => {
    const { page, bridge } = await app.open({ seeded: true });
    const call = createDispatcher(bridge.engine);
    await page.goto(page.url().replace(/#.*$/, '') + `#/hunts/${SPRAY_ID}`);
    const panel = page.getByRole('region', { name: 'Schedule' });
    await panel.getByRole('radio', { name: 'Daily' }).click();
    await panel.getByLabel('Daily at').fill('06:00');
    await panel.getByLabel('Time zone').fill('Europe/Berlin');
    await panel.getByLabel('Overlap').fill('5m');
    await panel.getByLabel('Maximum window').fill('2d');
    await panel.getByRole('button', { name: 'Schedule', exact: true }).click();
    const summary = panel.getByTestId('schedule-summary');
    await expect.poll(() => summary.textContent()).toContain('every day at 06:00 (Europe/Berlin)');
    expect(await summary.getByTestId('schedule-windows').textContent()).toBe('Overlap 5m · catch-up covers at most 2d · timeout 1h');
    // The spray query has no @start/@end: the hunter is told each run reads everything.
    expect(await summary.textContent()).toContain('the query does not use @start/@end');
    const [stored] = (await call('schedules.list', {})) as ScheduleView[];
    expect(stored).toMatchObject({ huntId: SPRAY_ID, cron: '0 6 * * *', timezone: 'Europe/Berlin', overlap: '5m', maxWindow: '2d', lookback: '1d' });

    // quarry daemon on the same data directory (here in-process, on a clock the test moves): the first run,
    // then a machine that slept for three days, longer than the 2-day maximum window.
    const time = new FakeTime(new Date().toISOString());
    const daemon = await Engine.open({ dataDir: bridge.engine.dataDir, clock: time, sampleData: false });
    const scheduler = Scheduler.start(daemon, { kind: 'daemon', timers: time, maxJitterMs: 0, resyncMs: 6 * HOUR });
    try {
      await time.advance(0);
      await time.suspend(72 * HOUR);
      await page.goto(page.url().replace(/#.*$/, '') + '#/schedules');
      const status = page.getByTestId('scheduler-status');
      await expect.poll(() => status.textContent()).toContain(`Run by quarry daemon (pid ${process.pid}); this app takes over when it stops`);
      const row = page.getByTestId('schedule-row');
      await expect.poll(() => row.textContent()).toContain('catch-up capped by the maximum window');
      expect(await row.getByTestId('schedule-windows').textContent()).toBe('overlap 5m · catch-up at most 2d');
      await row.getByRole('button', { name: 'History' }).click();
      const history = page.locator('.hrun');
      await expect.poll(() => history.count()).toBe(2);
      expect(await history.first().textContent()).toMatch(/catch-up.*stood in for 2 missed.*catch-up capped by the maximum window: \S+ to \S+ was not queried/);
      await shot(page, 'schedules-daemon');
    } finally {
      await scheduler.stop();
      daemon.close();
    }
  });
});

describe('a run that quarry daemon owns', () => {
  it('is cancelled from its run view: the daemon stops it and the view shows it', async () => {
    const { page, bridge } = await app.open({ seeded: true });
    const call = createDispatcher(bridge.engine);
    await call('schedules.set', { hunt: SPRAY_ID, every: '1h' });

    // The daemon's source answers only when the run is cancelled: a query that takes its time.
    const time = new FakeTime(new Date().toISOString());
    const hanging: Source = {
      run: (q) => new Promise((_, reject) => q.signal.addEventListener('abort', () => reject(q.signal.reason), { once: true })),
      test: async () => 'never asked',
      close: async () => undefined,
    };
    const daemon = await Engine.open({ dataDir: bridge.engine.dataDir, clock: time, sampleData: false, sources: { local: () => hanging } });
    const scheduler = Scheduler.start(daemon, { kind: 'daemon', timers: time, maxJitterMs: 0, resyncMs: 6 * HOUR });
    try {
      await time.advance(0);
      const [running] = (await call('schedules.history', { hunt: SPRAY_ID })) as Array<{ runId: number; status: string }>;
      expect(running).toMatchObject({ status: 'running' });

      await page.goto(page.url().replace(/#.*$/, '') + `#/runs/${running!.runId}`);
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Cancel requested: quarry daemon' }).first().waitFor();
      await time.advance(2000); // the daemon looks for cancel requests every 2 s
      await page.getByText('The run was cancelled').waitFor({ timeout: 10_000 });
      await shot(page, 'run-cancelled-in-daemon');
    } finally {
      await scheduler.stop();
      daemon.close();
    }
  });
});
