import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { quarry, type CliResult } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { writeTempFile } from '../../helpers/engine.js';
import { Engine } from '../../../engine/engine.js';
import type { Finding } from '../../../engine/findings/types.js';
import { startVirusTotalFake, type VirusTotalFake } from '../fakes/virustotal/index.js';
import { testKeychain } from '../../helpers/keychain.js';

/**
 * `quarry enrich …` and `quarry ioc …` as a user runs them: the real CLI in a
 * child process, the real OS keychain (scripts/with-keyring.sh gives a
 * throwaway gnome-keyring), the VirusTotal fake on loopback. API keys go in
 * on standard input only and are looked for in every line printed and every
 * file of the data directory (not there) and in the keychain (there).
 */

const { service, store: keychain, unavailable, skip } = await testKeychain('enrichment CLI', 'test/integration/enrichment');
const VT_KEY = 'vt-cli-key-5f0c2a9e';
const C2_IP = '185.220.101.4';

const fakes: VirusTotalFake[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

/** A data dir holding a finished hunt run over firewall logs (a finding per destination), and a CLI on it. */
async function prepared(): Promise<{ dataDir: string; runId: number; printed: string[]; q: (args: string[], stdin?: string) => Promise<CliResult> }> {
  const dataDir = path.join(tempDir('quarry-enrich-cli-'), 'data');
  const engine = await Engine.open({ dataDir, sampleData: false });
  const csv = ['TimeGenerated,DestinationIP', ...[0, 1, 2].map((i) => `2026-03-10T09:0${i}:00Z,${C2_IP}`), '2026-03-10T10:00:00Z,10.1.2.3'];
  await engine.importLogs({ file: writeTempFile('fw.csv', csv.join('\n')), table: 'Firewall' });
  const hunt = engine.hunts.save({
    name: 'Outbound by destination',
    language: 'sql',
    connection: 'local',
    query: 'SELECT DestinationIP, count(*) AS Hits FROM Firewall GROUP BY DestinationIP',
    severity: 'low',
    entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'DestinationIP' }] }],
  });
  const run = await engine.runner.run({ hunt: hunt.id });
  engine.close();
  const printed: string[] = [];
  const q = async (args: string[], stdin?: string): Promise<CliResult> => {
    const r = await quarry(['--data-dir', dataDir, ...args], { stdin, env: { QUARRY_KEYCHAIN_SERVICE: service } });
    printed.push(r.stdout, r.stderr);
    return r;
  };
  return { dataDir, runId: run.id, printed, q };
}

function expectNotOnDisk(dataDir: string, secret: string): void {
  const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  expect(files.map((f) => path.basename(f))).toContain('enrichment.json');
  for (const file of files) expect(fs.readFileSync(file).includes(Buffer.from(secret)), `secret found in ${file}`).toBe(false);
}

describe.skipIf(skip)('quarry enrich with the OS keychain', () => {
  afterAll(async () => {
    if (unavailable) return;
    for (const account of await keychain.accounts('')) await keychain.delete(account);
  });

  it('stores keys from standard input, enriches a run against the fake, raises its finding, and clears the key', async () => {
    if (unavailable) throw new Error(`no Secret Service is reachable (${unavailable}); in CI the tests must run under scripts/with-keyring.sh`);
    const vt = await startVirusTotalFake({ apiKey: VT_KEY });
    fakes.push(vt);
    vt.setAnalysis('ip_addresses', C2_IP, { malicious: 20, harmless: 40 });
    const { dataDir, runId, printed, q } = await prepared();

    expect(await q(['enrich', 'settings', 'set', 'providers.virustotal.baseUrl', vt.url])).toMatchObject({ code: 0, stdout: 'providers.virustotal.baseUrl set.\n' });
    expect((await q(['enrich', 'settings', 'set', 'providers.virustotal.perMinute', 'null'])).code).toBe(0);
    for (const p of ['xforce', 'otx']) expect((await q(['enrich', 'settings', 'set', `providers.${p}.enabled`, 'false'])).code).toBe(0);
    const typo = await q(['enrich', 'settings', 'set', 'providers.virustotal.perDya', '9']);
    expect(typo).toMatchObject({ code: 1 });
    expect(typo.stderr).toContain('providers.virustotal');

    // As a script would: printf '%s\n' "$VT_KEY" | quarry enrich key set virustotal
    expect(await q(['enrich', 'key', 'set', 'virustotal'], `${VT_KEY}\n`)).toMatchObject({ code: 0, stdout: 'VirusTotal: apiKey stored in the keychain.\n' });
    expect(await keychain.get('enricher-virustotal:apiKey')).toBe(VT_KEY);
    const keys = JSON.parse((await q(['enrich', 'key', 'list', '--json'])).stdout) as Array<{ provider: string; configured: boolean }>;
    expect(keys.map((k) => [k.provider, k.configured])).toEqual([['virustotal', true], ['xforce', false], ['otx', false]]);
    const xfOneLine = await q(['enrich', 'key', 'set', 'xforce'], 'only-the-key\n');
    expect(xfOneLine).toMatchObject({ code: 1 });
    expect(xfOneLine.stderr).toContain('IBM X-Force Exchange takes apiKey and apiPassword: pipe one per line on standard input');

    const enrich = await q(['enrich', String(runId)]);
    expect(enrich).toMatchObject({ code: 0 });
    expect(enrich.stdout).toContain(`Run ${runId}: 2 indicators in 2 rows, 1 may be looked up.`);
    expect(enrich.stdout).toMatch(/VirusTotal\s+complete\s+1\s+1\s+0\s+0/);
    expect(enrich.stdout).toMatch(/malicious\s+ipv4\s+185\.220\.101\.4\s+1/);
    expect(enrich.stdout).toMatch(/Findings updated by the verdicts: \d+/);
    expect(vt.indicatorsRequested()).toEqual([C2_IP]);

    const findings = JSON.parse((await q(['findings', 'list', '--json'])).stdout) as Finding[];
    expect(findings.find((f) => f.entities[0]!.value === C2_IP)).toMatchObject({ severity: 'high', huntSeverity: 'low', verdict: 'malicious' });
    expect(findings.find((f) => f.entities[0]!.value === '10.1.2.3')).toMatchObject({ severity: 'low', verdict: null });

    // The same indicator again: answered from the cache, no second call.
    const lookup = JSON.parse((await q(['ioc', 'lookup', C2_IP.replace(/\./g, '[.]'), '--json'])).stdout) as { verdict: string; results: Array<{ status: string; fromCache: boolean }> };
    expect(lookup).toMatchObject({ verdict: 'malicious', results: [{ status: 'answered', fromCache: true }, { status: 'not_configured' }, { status: 'not_configured' }] });
    expect(vt.requests).toHaveLength(1);

    expect(await q(['enrich', 'key', 'clear', 'virustotal'])).toMatchObject({ code: 0, stdout: 'VirusTotal: 1 credential deleted from the keychain.\n' });
    expect(await keychain.get('enricher-virustotal:apiKey')).toBeNull();
    expect(printed.join('\n')).not.toContain(VT_KEY);
    expectNotOnDisk(dataDir, VT_KEY);
  }, 120_000);

  it('manages the allowlist and shows the settings; allowlisted values are never sent', async () => {
    if (unavailable) throw new Error(`no Secret Service is reachable (${unavailable})`);
    const { q } = await prepared();
    expect((await q(['enrich', 'allowlist', 'add', 'contoso-corp.com', '185.220.0.0/16'])).stdout).toMatch(/^Allowlist: 1 domain, 1 network\./);
    expect(JSON.parse((await q(['enrich', 'allowlist', 'list', '--json'])).stdout)).toEqual({ domains: ['contoso-corp.com'], cidrs: ['185.220.0.0/16'] });
    expect((await q(['ioc', 'lookup', C2_IP])).stdout).toBe(`${C2_IP} is allowlisted: not sent to any provider.\n`);
    const bad = await q(['enrich', 'allowlist', 'remove', 'fabrikam.com']);
    expect(bad).toMatchObject({ code: 1, stderr: 'quarry: allowlist entry not found: fabrikam.com\n' });
    expect((await q(['enrich', 'allowlist', 'remove', '185.220.0.0/16'])).stdout).toMatch(/^Allowlist: 1 domain, 0 networks\./);

    const shown = await q(['enrich', 'settings']);
    expect(shown.stdout).toMatch(/VirusTotal\s+yes\s+https:\/\/www\.virustotal\.com\s+4\s+500/);
    expect(shown.stdout).toContain('Allowlist (never sent): contoso-corp.com');
    const json = JSON.parse((await q(['enrich', 'settings', '--json'])).stdout) as { settings: { cacheTtlHours: number }; file: string };
    expect(json.settings.cacheTtlHours).toBe(72);
    expect(path.basename(json.file)).toBe('enrichment.json');
    expect(await q(['enrich', 'settings', 'unset', 'allowlist'])).toMatchObject({ code: 0 });
    expect(JSON.parse((await q(['enrich', 'allowlist', 'list', '--json'])).stdout)).toEqual({ domains: [], cidrs: [] });
  }, 120_000);
});
