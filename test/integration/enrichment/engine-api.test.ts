import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enrichmentSettingsFile } from '../../../engine/enrichment/settings-file.js';
import type { EnrichProgress } from '../../../engine/enrichment/enrich-run.js';
import type { EnrichmentRunSummary } from '../../../engine/enrichment/engine-enrichment.js';
import { C2_IP, QUIET_IP, VT_KEY, createWorld, runBeaconHunt } from './api-world.js';

/**
 * Enrichment through the engine API, as the app and the CLI use it: keys that
 * only go into the keychain, settings in <dataDir>/enrichment.json, a run's
 * indicators and verdicts, and findings whose severity the verdicts raise.
 */

describe('enrichment through the engine API', () => {
  it('a malicious VirusTotal verdict raises the finding of the run it was found in', async () => {
    const w = await createWorld();
    w.vt.setAnalysis('ip_addresses', C2_IP, { malicious: 14, harmless: 50, undetected: 20 });
    w.vt.setAnalysis('ip_addresses', QUIET_IP, { harmless: 80, undetected: 10 });
    const runId = await runBeaconHunt(w);

    const before = await w.api.findings.list();
    const c2Finding = () => w.api.findings.list().then((l) => l.find((f) => f.entities.some((e) => e.value === C2_IP))!);
    expect(before).toHaveLength(3);
    expect(await c2Finding()).toMatchObject({ severity: 'low', verdict: null });

    await w.api.enrichment.setKey({ provider: 'virustotal', value: VT_KEY });
    const progress: EnrichProgress[] = [];
    const finished: EnrichmentRunSummary[] = [];
    w.api.on('enrichment.progress', (p) => progress.push(p));
    w.api.on('enrichment.finished', (s) => finished.push(s));
    const summary = await w.api.enrichment.run({ runId, providers: ['virustotal'] });

    expect(summary.providers).toEqual([expect.objectContaining({ provider: 'virustotal', state: 'complete', calls: 2, done: 2, queued: 0 })]);
    expect(w.vt.indicatorsRequested().sort()).toEqual([QUIET_IP, C2_IP].sort()); // never the private 10.1.2.3
    const raised = await c2Finding();
    expect(raised).toMatchObject({ severity: 'high', huntSeverity: 'low', verdict: 'malicious' });
    const quiet = (await w.api.findings.list()).find((f) => f.entities.some((e) => e.value === QUIET_IP))!;
    expect(quiet).toMatchObject({ severity: 'low', verdict: 'harmless' });
    // Both got a verdict; only the malicious one changed severity.
    expect(summary.findingsUpdated.sort()).toEqual([raised.id, quiet.id].sort());
    expect(finished).toEqual([summary]);
    expect(progress.at(-1)).toMatchObject({ runId, provider: 'virustotal', done: 2, total: 2 });

    const { indicators, extraction, enriching, total } = await w.api.enrichment.indicators({ runId });
    expect({ enriching, total, rowsScanned: extraction?.rowsScanned }).toEqual({ enriching: false, total: 3, rowsScanned: 3 });
    // One result row per address here, so each indicator is in one row: sorted by value to compare.
    expect(indicators.map((i) => [i.value, i.verdict, i.skipReason, i.lookups.map((l) => l.provider)]).sort()).toEqual([
      ['10.1.2.3', 'unknown', 'non_public', []],
      [C2_IP, 'malicious', null, ['virustotal']],
      [QUIET_IP, 'harmless', null, ['virustotal']],
    ]);
    expect(indicators.find((i) => i.value === C2_IP)!.lookups[0]!.link).toContain(C2_IP);
    const rows = await w.api.enrichment.rowVerdicts({ runId, atLeast: 'malicious' });
    expect(rows).toEqual([expect.objectContaining({ verdict: 'malicious', indicators: [`ipv4:${C2_IP}`] })]);

    // Enriching again asks nobody (every lookup is done, the answers are cached) and changes no finding.
    const again = await w.api.enrichment.run({ runId });
    expect(again.findingsUpdated).toEqual([]);
    expect(w.vt.indicatorsRequested()).toHaveLength(2);
  });

  it('keys are write-only: stored in the keychain, reported as set or unset, never returned', async () => {
    const w = await createWorld();
    expect((await w.api.enrichment.keys()).map((k) => [k.provider, k.configured])).toEqual([['virustotal', false], ['xforce', false], ['otx', false]]);

    const vt = await w.api.enrichment.setKey({ provider: 'virustotal', value: VT_KEY });
    expect(vt).toEqual({ provider: 'virustotal', name: 'VirusTotal', enabled: true, fields: [{ field: 'apiKey', set: true }], configured: true });
    const xf = await w.api.enrichment.setKey({ provider: 'xforce', field: 'apiKey', value: 'xf-key' });
    expect(xf.fields).toEqual([{ field: 'apiKey', set: true }, { field: 'apiPassword', set: false }]);
    expect(xf.configured).toBe(false);
    await expect(w.api.enrichment.setKey({ provider: 'otx', field: 'apiPassword', value: 'x' })).rejects.toThrow(/AlienVault OTX has no credential "apiPassword"/);
    await expect(w.api.enrichment.setKey({ provider: 'otx', value: '' })).rejects.toThrow(/value/);

    const everything = JSON.stringify([await w.api.enrichment.keys(), await w.api.enrichment.getSettings(), await w.api.enrichment.quota()]);
    expect(everything).not.toContain(VT_KEY);
    expect(everything).not.toContain('xf-key');
    expect(fs.readFileSync(enrichmentSettingsFile(w.engine.dataDir), 'utf8')).not.toContain(VT_KEY);
    expect(await w.secrets.get('enricher-virustotal:apiKey')).toBe(VT_KEY);

    const lookedUp = await w.api.enrichment.lookup({ value: `${C2_IP.replace(/\./g, '[.]')}` });
    expect(lookedUp.results.map((r) => [r.provider, r.status])).toEqual([['virustotal', 'answered'], ['xforce', 'not_configured'], ['otx', 'not_configured']]);

    expect(await w.api.enrichment.clearKey({ provider: 'virustotal' })).toMatchObject({ configured: false, deleted: 1 });
    expect(await w.secrets.get('enricher-virustotal:apiKey')).toBeNull();
    expect((await w.api.enrichment.lookup({ value: '8.8.4.4' })).results[0]).toMatchObject({ provider: 'virustotal', status: 'not_configured' });
  });

  it('settings merge into enrichment.json; the allowlist keeps values home; bad settings are refused and change nothing', async () => {
    const w = await createWorld();
    await w.api.enrichment.setKey({ provider: 'virustotal', value: VT_KEY });
    const view = await w.api.enrichment.setSettings({ settings: { allowlist: { domains: ['contoso-corp.com'], cidrs: ['185.220.0.0/16'] }, providers: { virustotal: { perDay: 15_000 } } } });
    expect(view.settings.allowlist).toEqual({ domains: ['contoso-corp.com'], cidrs: ['185.220.0.0/16'] });
    expect(view.settings.providers.virustotal).toMatchObject({ baseUrl: w.vt.url, perMinute: null, perDay: 15_000 });
    expect(view.file).toBe(enrichmentSettingsFile(w.engine.dataDir));
    // Only what was set is stored; the rest keeps following the defaults.
    expect(JSON.parse(fs.readFileSync(view.file, 'utf8'))).toEqual({
      providers: { virustotal: { baseUrl: w.vt.url, perMinute: null, perDay: 15_000 }, xforce: { baseUrl: w.xf.url }, otx: { baseUrl: w.otx.url } },
      allowlist: { domains: ['contoso-corp.com'], cidrs: ['185.220.0.0/16'] },
    });

    expect(await w.api.enrichment.lookup({ value: C2_IP })).toMatchObject({ skipped: 'allowlisted', results: [] });
    expect(await w.api.enrichment.lookup({ value: 'hxxps://sso.contoso-corp[.]com/login' })).toMatchObject({ skipped: 'allowlisted' });
    const extracted = await w.api.enrichment.extract({ text: `beacon ${C2_IP} via vpn.contoso-corp.com and evil-c2[.]net`, includeSkipped: true });
    expect(extracted.map((i) => [i.value, i.skip])).toEqual([[C2_IP, 'allowlisted'], ['vpn.contoso-corp.com', 'allowlisted'], ['evil-c2.net', null]]);
    expect(w.vt.indicatorsRequested()).toEqual([]);

    const quota = await w.api.enrichment.quota();
    expect(quota[0]).toMatchObject({ provider: 'virustotal', perMinute: { limit: null }, perDay: { limit: 15_000, remaining: 15_000 } });

    const fileBefore = fs.readFileSync(view.file, 'utf8');
    await expect(w.api.enrichment.setSettings({ settings: { allowlist: { cidrs: ['not-a-network'] } } })).rejects.toThrow(/allowlist: "not-a-network" is not an IPv4 or IPv6 network/);
    await expect(w.api.enrichment.setSettings({ settings: { providers: { virustotal: { perDya: 1 } } } })).rejects.toThrow(/providers\.virustotal/);
    expect(fs.readFileSync(view.file, 'utf8')).toBe(fileBefore);

    const reset = await w.api.enrichment.setSettings({ settings: {}, replace: true });
    expect(reset.settings.providers.virustotal).toMatchObject({ baseUrl: 'https://www.virustotal.com', perMinute: 4, perDay: 500 });
  });

  it('refuses to enrich a run that does not exist or is unknown to the API', async () => {
    const w = await createWorld();
    await expect(w.api.enrichment.run({ runId: 999 })).rejects.toThrow(/run not found: 999/);
    await expect(w.api.enrichment.indicators({ runId: 999 })).rejects.toThrow(/not found/);
    await expect(w.api.enrichment.run({ runId: 1, providers: ['shodan' as 'otx'] })).rejects.toThrow(/enrichment\.run: .*providers/);
    expect(await w.api.enrichment.cancel({ runId: 1 })).toEqual({ cancelled: false });
  });
});
