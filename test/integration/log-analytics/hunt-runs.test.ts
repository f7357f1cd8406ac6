import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { openTestEngine } from '../../helpers/engine.js';
import { MemorySecretStore } from '../../../engine/secrets/secret-store.js';
import { ConnectionRegistry } from '../../../engine/connections/registry.js';
import { defaultConnectionKinds, logAnalyticsKind, sourceFactories } from '../../../engine/connections/kinds.js';
import { createLogAnalyticsSource } from '../../../connectors/sources/log-analytics/log-analytics-source.js';
import type { SourceFactory } from '../../../connectors/sources/types.js';
import { readColumns, readRows } from '../../../engine/runs/result-store.js';
import { CLIENT_SECRET, oneApiError, startAzureFakes, type AzureFakes } from '../fakes/log-analytics/index.js';

/** KQL hunts run by the engine's runner against the fakes: rows stored, warnings and failures recorded on the run. */

let fakes: AzureFakes;
let engine: Engine;
let registry: ConnectionRegistry;

beforeAll(async () => {
  fakes = await startAzureFakes();
});
afterAll(async () => {
  await fakes.close();
});
afterEach(() => engine?.close());

async function setUp(): Promise<void> {
  const factory: SourceFactory = (c, ctx) => createLogAnalyticsSource(c, ctx, { agent: fakes.agent });
  const kinds = { ...defaultConnectionKinds, 'log-analytics': { ...logAnalyticsKind, factory } };
  const secrets = new MemorySecretStore();
  engine = await openTestEngine({ secrets, sources: sourceFactories(kinds) });
  registry = new ConnectionRegistry({ db: engine.db, secrets, dataDir: engine.dataDir, kinds });
  await registry.add('log-analytics', 'sentinel', fakes.settings(), { clientSecret: CLIENT_SECRET });
}

const hunt = (query: string, parameters: Array<{ name: string; type: 'string' | 'int' }> = []) =>
  engine.hunts.save({ name: `kql-${Math.random()}`, language: 'kql', connection: 'sentinel', query, parameters });

describe('KQL hunts on a Log Analytics connection', () => {
  it('stores the rows with their types and binds parameters as let statements', async () => {
    await setUp();
    fakes.logs.on('SigninLogs | where ResultType', {
      table: {
        columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'UserPrincipalName', type: 'string' }, { name: 'Failures', type: 'long' }, { name: 'Risky', type: 'bool' }],
        rows: Array.from({ length: 12_000 }, (_, i) => [`2026-01-05T10:00:${String(i % 60).padStart(2, '0')}.5000000Z`, `user${i}@contoso.com`, i, i % 2 === 0]),
      },
    });
    const h = hunt('SigninLogs | where ResultType != "0" and UserPrincipalName != who', [{ name: 'who', type: 'string' }]);
    const run = await engine.runner.run({ hunt: h.id, params: { who: '"; print 1 //' }, window: { start: '2026-01-05T00:00:00.000Z', end: '2026-01-06T00:00:00.000Z' } });
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.rowCount).toBe(12_000);
    expect(readColumns(engine.db, run.id).map((c) => c.type)).toEqual(['datetime', 'string', 'long', 'bool']);
    expect(readRows(engine.db, run.id, { limit: 1, offset: 11_999 }).rows).toEqual([['2026-01-05T10:00:59.500Z', 'user11999@contoso.com', 11999, 0]]);
    const sent = fakes.logs.requests.at(-1)!.body;
    expect(sent.query).toBe(
      'let who = "\\"; print 1 //"; let start = datetime(2026-01-05T00:00:00.000Z); let end = datetime(2026-01-06T00:00:00.000Z);\n' +
        'SigninLogs | where ResultType != "0" and UserPrincipalName != who',
    );
    expect(sent.timespan).toBe('2026-01-05T00:00:00.000Z/2026-01-06T00:00:00.000Z');
  });

  it('keeps the rows of a partial failure and shows the error as a warning on the run', async () => {
    await setUp();
    fakes.logs.on('union * | partial', {
      table: { columns: [{ name: 'Type', type: 'string' }], rows: [['SecurityEvent'], ['Syslog']] },
      error: { code: 'PartialError', message: 'There were some errors when processing your query.', details: [{ code: 'EngineError', message: 'x', innererror: { code: 'LimitsExceeded', message: 'Query exceeded the memory limit' } }] },
    });
    const run = await engine.runner.run({ hunt: hunt('union * | partial').id });
    expect(run.status).toBe('succeeded');
    expect(run.rowCount).toBe(2);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/partial result from "sentinel": There were some errors.*Query exceeded the memory limit/);
  });

  it('records a KQL syntax error as a failed run with no rows and no secret', async () => {
    await setUp();
    fakes.logs.on('SecurityEvent | summarize count( by', {
      status: 400,
      body: oneApiError('BadArgumentError', 'The request had some invalid properties', { code: 'SyntaxError', message: "Query could not be parsed at 'by' on line [1,35]", line: 1, pos: 35 }),
    });
    const run = await engine.runner.run({ hunt: hunt('SecurityEvent | summarize count( by Computer').id });
    expect(run.status).toBe('failed');
    expect(run.rowCount).toBe(0);
    expect(run.error).toMatch(/KQL error on "sentinel": Query could not be parsed at 'by' on line \[1,35\] \(line 1, position 35\)/);
    expect(run.error).not.toContain(CLIENT_SECRET);
  });

  it('leaves the client secret out of the data directory after runs and a failed sign-in', async () => {
    await setUp();
    fakes.logs.on('AuditLogs', { table: { columns: [{ name: 'n', type: 'int' }], rows: [[1]] } });
    await engine.runner.run({ hunt: hunt('AuditLogs').id });
    await registry.setSecret('sentinel', 'clientSecret', 'Wrong~But.Still-Secret');
    const failed = await engine.runner.run({ hunt: hunt('AuditLogs').id });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/sign-in for "sentinel".*AADSTS7000215/);
    for (const secret of [CLIENT_SECRET, 'Wrong~But.Still-Secret']) {
      for (const e of fs.readdirSync(engine.dataDir, { recursive: true, withFileTypes: true })) {
        if (!e.isFile()) continue;
        const bytes = fs.readFileSync(path.join(e.parentPath, e.name));
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${e.name}`).toBe(false);
      }
    }
  });
});
