import { describe, expect, it } from 'vitest';
import { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { KeytarSecretStore } from '../../../engine/secrets/keytar-store.js';
import { startSlackFake } from '../fakes/slack/index.js';
import { signinCsv } from '../../e2e/fixtures/seed.js';
import { tempDir } from '../../helpers/temp-dir.js';
import fs from 'node:fs';
import path from 'node:path';
import { DaemonProcess, readStore, waitFor } from './daemon-process.js';

/**
 * A headless install files tickets too: findings queued while no app was
 * open are delivered by `quarry daemon`, reading the sink's webhook URL from
 * the OS keychain. Only inside scripts/with-keyring.sh's throwaway keyring,
 * never a developer's own.
 */
const inThrowawayKeyring = Boolean(process.env.QUARRY_KEYRING_SESSION);
if (!inThrowawayKeyring && !process.env.CI) console.warn('[keytar] skipping the daemon outbox test: run it with scripts/with-keyring.sh npx vitest run test/integration/scheduler');

describe.skipIf(!inThrowawayKeyring && !process.env.CI)('quarry daemon delivers queued findings', () => {
  it('sends the findings a run left in the outbox to Slack, once each', async () => {
    const slack = await startSlackFake();
    const dataDir = tempDir('quarry-daemon-outbox-');
    const engine = await Engine.open({ dataDir, sampleData: false, secrets: new KeytarSecretStore() });
    try {
      const call = createDispatcher(engine);
      await call('sinks.add', { kind: 'slack', name: 'soc-slack', settings: { channelLabel: '#soc' }, secrets: { webhookUrl: slack.webhookUrl } });
      await call('routes.set', { routes: [{ sink: 'soc-slack' }] });
      const csv = path.join(dataDir, 'signins.csv');
      fs.writeFileSync(csv, signinCsv(600));
      await engine.importLogs({ file: csv, table: 'SigninLogs' });
      engine.hunts.save({
        name: 'Spray',
        language: 'sql',
        connection: 'local',
        severity: 'high',
        query: "SELECT IPAddress, count(DISTINCT UserPrincipalName) AS Accounts FROM SigninLogs WHERE ResultType = 50126 GROUP BY IPAddress HAVING Accounts >= 20",
        entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] }],
      });
      const run = await engine.runner.run({ hunt: 'Spray' });
      expect(run.status).toBe('succeeded');
    } finally {
      engine.close(); // before the worker had a chance: the delivery is still queued
    }
    const queued = readStore(dataDir, (db) => db.prepare("SELECT count(*) FROM deliveries WHERE state = 'pending'").pluck().get() as number);
    expect(queued).toBeGreaterThan(0);

    const daemon = new DaemonProcess(dataDir);
    try {
      await waitFor('the queued deliveries to be sent', () => readStore(dataDir, (db) => db.prepare("SELECT count(*) FROM deliveries WHERE state <> 'delivered'").pluck().get() === 0), 60_000, daemon);
      expect(slack.messages).toHaveLength(queued);
      expect(JSON.stringify(slack.messages[0]!.blocks)).toContain('203.0.113.7');
    } finally {
      await daemon.kill('SIGTERM');
      await slack.close();
    }
  }, 120_000);
});
