import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { MemorySecretStore, secretAccount } from '../../../engine/secrets/secret-store.js';
import { finishRun, insertRun } from '../../../engine/runs/run-repo.js';
import { ResultWriter } from '../../../engine/runs/result-store.js';
import { providerSecretAccount } from '../../../connectors/enrichers/index.js';
import { exportFormats } from '../../../engine/reports/model.js';
import { openTestEngine } from '../../helpers/engine.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { createReportWorld } from './fixture.js';
import { pdfText } from './pdf-text.js';

let engine: Engine | undefined;
afterEach(() => engine?.close());

const SECRETS = {
  clientSecret: 'Zq8~client-secret-LA-5f2b9c',
  sqlPassword: 'Pa55w0rd!sqlserver-7d41',
  virustotal: 'vt-apikey-0c9d2e7f1a3b5c7d9e1f',
  xforcePassword: 'xf-password-6a4c2e8b',
  jiraToken: 'jira-api-token-91f3e5d7',
  webhook: 'https://hooks.slack.example/services/T000/B000/secretWebhookPath',
};

describe('no secret in any export', () => {
  it('keeps every stored secret out of every format, for runs, findings and periods', { timeout: 120_000 }, async () => {
    const secrets = new MemorySecretStore();
    engine = await openTestEngine({ secrets });
    const w = await createReportWorld({ engine });
    const db = engine.db;
    const now = new Date().toISOString();

    // A Log Analytics connection (settings are not secret; its client secret is in the keychain) and a SQL Server one.
    const la = randomUUID();
    const sql = randomUUID();
    const addConnection = db.prepare('INSERT INTO connections (id, name, kind, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    addConnection.run(la, 'sentinel-prod', 'log-analytics', JSON.stringify({ tenantId: 'contoso.onmicrosoft.example', clientId: '11111111-2222-3333-4444-555555555555', workspaceId: '66666666-7777-8888-9999-000000000000' }), now, now);
    addConnection.run(sql, 'dc-sql', 'sql-server', JSON.stringify({ server: 'sql01.contoso.example', database: 'Security', user: 'quarry' }), now, now);
    await secrets.set(secretAccount(la, 'clientSecret'), SECRETS.clientSecret);
    await secrets.set(secretAccount(sql, 'password'), SECRETS.sqlPassword);
    await secrets.set(providerSecretAccount('virustotal', 'apiKey'), SECRETS.virustotal);
    await secrets.set(providerSecretAccount('xforce', 'apiPassword'), SECRETS.xforcePassword);
    await secrets.set(secretAccount('sink-jira', 'apiToken'), SECRETS.jiraToken);
    await secrets.set(secretAccount('sink-slack', 'webhookUrl'), SECRETS.webhook);

    // A run of the hunt against the Log Analytics connection, as the runner records one.
    const runId = insertRun(db, { huntId: w.huntId, huntName: 'Password spray against Entra ID', connection: 'sentinel-prod', language: 'kql', query: 'SigninLogs | where ResultType == "50126"', parameters: { resultType: '50126' }, startedAt: now });
    const writer = new ResultWriter(db, runId);
    writer.setColumns([{ name: 'TimeGenerated', type: 'datetime' }, { name: 'IPAddress', type: 'string' }]);
    writer.write([['2026-01-05T10:00:00.000Z', '203.0.113.7'], ['2026-01-05T10:05:00.000Z', '203.0.113.7']]);
    finishRun(db, runId, { status: 'succeeded', endedAt: new Date(), rowCount: 2, warnings: [] });

    const call = createDispatcher(engine);
    const dir = tempDir('quarry-secrets-');
    const targets = [
      { runId },
      { runId: w.runId },
      { findingId: w.findingId },
      { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
    ];
    const checked: string[] = [];
    for (const [t, target] of targets.entries()) {
      for (const format of exportFormats) {
        if (['csv', 'json', 'jsonl'].includes(format) && 'from' in target) continue; // rows come from one run
        const file = path.join(dir, `${t}-${format}.${format === 'pdf' ? 'pdf' : format === 'timesketch' ? 'jsonl' : format === 'stix' ? 'json' : format}`);
        await call('reports.export', { target, format, path: file });
        const bytes = fs.readFileSync(file);
        // PDF text streams are compressed: read the PDF as text as well as raw bytes.
        const contents = [bytes.toString('latin1'), bytes.toString('utf8'), ...(format === 'pdf' ? [pdfText(file)] : [])];
        for (const secret of Object.values(SECRETS)) {
          for (const c of contents) expect(c.includes(secret), `${secret} in ${path.basename(file)}`).toBe(false);
        }
        checked.push(path.basename(file));
      }
    }
    expect(checked).toHaveLength(29);
    // The exports do name the connection the run used: the secret is missing, not the context.
    expect(fs.readFileSync(path.join(dir, '0-html.html'), 'utf8')).toContain('sentinel-prod');
    expect(pdfText(path.join(dir, '0-pdf.pdf'))).toContain('sentinel-prod');
  });
});
