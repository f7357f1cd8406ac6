import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../engine/dispatch.js';
import { enrichmentFor } from '../../engine/enrichment/engine-enrichment.js';
import { writeTempFile } from '../helpers/engine.js';
import { startVirusTotalFake, type VirusTotalFake } from '../integration/fakes/virustotal/index.js';
import type { Bridge } from './bridge/server.js';
import { runFromLibrary, shot, useApp } from './helpers.js';

const app = useApp();
const C2_IP = '185.220.101.4';
const fakes: VirusTotalFake[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

/** Firewall logs with a beacon to a known-bad address, a hunt over them, and VirusTotal (the fake) configured. */
async function seedBeacons(bridge: Bridge, vt: VirusTotalFake): Promise<void> {
  const call = createDispatcher(bridge.engine);
  const csv = ['TimeGenerated,DestinationIP', ...[0, 1, 2, 3].map((i) => `2026-03-10T09:0${i}:00Z,${C2_IP}`), '2026-03-10T10:00:00Z,45.33.32.156', '2026-03-10T10:05:00Z,10.1.2.3'];
  await call('logs.import', { file: writeTempFile('fw.csv', csv.join('\n')), table: 'Firewall' });
  await call('hunts.save', {
    name: 'Outbound by destination',
    language: 'sql',
    connection: 'local',
    query: 'SELECT TimeGenerated, DestinationIP FROM Firewall',
    severity: 'low',
    entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'DestinationIP' }] }],
  });
  await call('enrichment.setSettings', { settings: { providers: { virustotal: { baseUrl: vt.url, perMinute: null }, xforce: { enabled: false }, otx: { enabled: false } } } });
}

describe('threat intelligence in the app', () => {
  it('enriches a run from the indicator panel and shows each verdict; the finding is raised', async () => {
    const vt = await startVirusTotalFake();
    fakes.push(vt);
    vt.setAnalysis('ip_addresses', C2_IP, { malicious: 25, harmless: 30 });
    const { page, bridge } = await app.open({ seed: (b) => seedBeacons(b, vt) });
    await enrichmentFor(bridge.engine).setKey('virustotal', 'vt-test-key');

    await runFromLibrary(page, 'Outbound by destination');

    await page.getByTestId('enrich-run').click();
    const malicious = page.locator('[data-testid=indicator][data-verdict=malicious]');
    await malicious.waitFor();
    expect(await malicious.textContent()).toContain(C2_IP);
    expect(await malicious.textContent()).toContain('×4');
    await expect.poll(() => page.locator('[data-testid=indicator]').count()).toBe(3);
    expect(await page.locator('[data-testid=indicator]', { hasText: '10.1.2.3' }).textContent()).toContain('internal');
    expect(vt.indicatorsRequested().sort()).toEqual(['185.220.101.4', '45.33.32.156']);
    await shot(page, 'run-indicators');

    const findings = (await createDispatcher(bridge.engine)('findings.list', {})) as Array<{ severity: string; entities: Array<{ value: string }> }>;
    expect(findings.find((f) => f.entities[0]!.value === C2_IP)?.severity).toBe('high');
  });

  it('sets, replaces and clears provider keys without ever showing them, and saves the allowlist', async () => {
    const { page, bridge } = await app.open();
    await page.goto(page.url().replace(/#.*$/, '') + '#/settings');
    const vtRow = page.getByTestId('provider-virustotal');
    await vtRow.waitFor();
    await vtRow.getByLabel('API key').fill('vt-secret-123');
    await vtRow.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => vtRow.textContent()).toContain('Set · stored in the OS keychain');
    expect(await bridge.engine.secrets.get('enricher-virustotal:apiKey')).toBe('vt-secret-123');
    expect(await page.content()).not.toContain('vt-secret-123');

    await vtRow.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => bridge.engine.secrets.get('enricher-virustotal:apiKey')).toBeNull();

    await page.getByLabel('Allowlisted domains').fill('contoso.com\nfabrikam.com');
    await page.getByLabel('Allowlisted networks').fill('52.10.0.0/16');
    await page.getByRole('button', { name: 'Save allowlist' }).click();
    await expect.poll(() => enrichmentFor(bridge.engine).settings().settings.allowlist).toEqual({ domains: ['contoso.com', 'fabrikam.com'], cidrs: ['52.10.0.0/16'] });
    await shot(page, 'settings-enrichment');
  });
});
