import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { MemorySecretStore } from '../../../engine/secrets/secret-store.js';
import { createLogAnalyticsSource } from '../../../connectors/sources/log-analytics/log-analytics-source.js';
import type { SourceFactory } from '../../../connectors/sources/types.js';
import { Scheduler, type SchedulerLogEvent } from '../../../engine/scheduler/scheduler.js';
import { openTestEngine } from '../../helpers/engine.js';
import { CLIENT_SECRET, startAzureFakes, type AzureFakes } from '../fakes/log-analytics/index.js';
import type { TdsTestServer } from '../fakes/tds/index.js';
import { PASSWORD, fakeSettings, startFake } from '../sql-server/helpers.js';
import { FakeTime } from './fake-time.js';
import { clientOf, hours } from './world.js';

/**
 * The windows of scheduled runs as the real connectors send them to the
 * Log Analytics and SQL Server fakes: the KQL request's timespan (and
 * start/end lets), and typed @start/@end inputs of the T-SQL batch.
 */

let azure: AzureFakes;
let tds: TdsTestServer;

beforeAll(async () => {
  azure = await startAzureFakes();
  tds = await startFake({ columnTypes: { signins: { ts: 'datetime2' } } });
  tds.db.exec('CREATE TABLE signins (upn, ts)');
  tds.db.prepare('INSERT INTO signins VALUES (?, ?)').run('bob@contoso.com', '2026-03-06T17:30:00.000Z');
});
afterAll(async () => {
  await azure?.close();
  await tds?.close();
});

/** Resolves when `n` runs in all have finished (real sockets: the fake clock does not wait for them). */
function finishedRuns(log: SchedulerLogEvent[], n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => void (log.filter((e) => e.type === 'run.finished').length >= n ? resolve() : setTimeout(check, 20));
    check();
  });
}

describe('scheduled hunts on Log Analytics and SQL Server', () => {
  it('send each run\'s window as the KQL timespan and as T-SQL @start/@end', async () => {
    const la: SourceFactory = (c, ctx) => createLogAnalyticsSource(c, ctx, { agent: azure.agent });
    const time = new FakeTime('2026-03-06T17:00:00.000Z');
    const engine: Engine = await openTestEngine({ clock: time, secrets: new MemorySecretStore(), sources: { 'log-analytics': la } });
    try {
      await engine.connections.add('log-analytics', 'sentinel', azure.settings(), { clientSecret: CLIENT_SECRET });
      await engine.connections.add('sql-server', 'onprem-sql', fakeSettings(tds), { password: PASSWORD });
      azure.logs.on('SigninLogs', { table: { columns: [{ name: 'UserPrincipalName', type: 'string' }], rows: [['bob@contoso.com']] } });
      engine.hunts.save({ id: 'kql', name: 'KQL sign-ins', language: 'kql', connection: 'sentinel', query: 'SigninLogs | project UserPrincipalName' });
      engine.hunts.save({ id: 'tsql', name: 'T-SQL sign-ins', language: 'tsql', connection: 'onprem-sql', query: 'SELECT upn FROM signins WHERE ts >= @start AND ts < @end' });
      const api = clientOf(engine);
      await api.schedules.set({ hunt: 'kql', every: '1h', lookback: '6h', overlap: '5m' });
      const tsql = await api.schedules.set({ hunt: 'tsql', every: '1h', lookback: '6h', overlap: '5m' });
      expect(tsql.queryWarning).toBeNull();

      const log: SchedulerLogEvent[] = [];
      Scheduler.start(engine, { kind: 'test', timers: time, maxJitterMs: 0, resyncMs: hours(6), onLog: (e) => log.push(e) });
      await finishedRuns(log, 2);
      await time.advance(hours(1));
      await finishedRuns(log, 4);

      const runs = log.flatMap((e) => (e.type === 'run.finished' ? [e.run] : []));
      expect(runs.map((r) => [r.huntId, r.status, r.rowCount, r.error])).toEqual(expect.arrayContaining([
        ['kql', 'succeeded', 1, null], ['kql', 'succeeded', 1, null], ['tsql', 'succeeded', 0, null], ['tsql', 'succeeded', 1, null],
      ]));
      // Bob signed in at 17:30: outside the first window, inside the second.
      expect(runs.filter((r) => r.huntId === 'tsql').map((r) => r.rowCount)).toEqual([0, 1]);
      expect(azure.logs.requests.map((r) => r.body.timespan)).toEqual([
        '2026-03-06T11:00:00.000Z/2026-03-06T17:00:00.000Z',
        '2026-03-06T16:55:00.000Z/2026-03-06T18:00:00.000Z',
      ]);
      expect(azure.logs.requests[1]!.body.query).toContain('let start = datetime(2026-03-06T16:55:00.000Z); let end = datetime(2026-03-06T18:00:00.000Z);');
      const windows = tds.stats.queries.filter((q) => q.parameters.length).map((q) => q.parameters.map((p) => [p.name, p.sqlType, p.value]));
      expect(windows).toEqual([
        [['start', 'datetime2(7)', '2026-03-06T11:00:00.0000000Z'], ['end', 'datetime2(7)', '2026-03-06T17:00:00.0000000Z']],
        [['start', 'datetime2(7)', '2026-03-06T16:55:00.0000000Z'], ['end', 'datetime2(7)', '2026-03-06T18:00:00.0000000Z']],
      ]);
    } finally {
      engine.close();
    }
  });
});
