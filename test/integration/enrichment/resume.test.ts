import { describe, expect, it } from 'vitest';
import type { StoredValue } from '../../../engine/types.js';
import { createWorld } from './world.js';

const ips = ['91.1.1.1', '91.1.1.2', '91.1.1.3', '91.1.1.4', '91.1.1.5'];
const ipRows: StoredValue[][] = ips.map((ip) => [ip]);
const ipColumn = [{ name: 'Ip', type: 'string' as const }];

describe('resuming enrichment', () => {
  it('keeps the daily quota and the queue across a restart and finishes the next UTC day without asking twice', async () => {
    const w = await createWorld();
    const settings = { providers: { virustotal: { perMinute: null, perDay: 3 } } };
    const runId = w.storeRun(ipColumn, ipRows);

    const first = await w.service(settings).enrichRun(runId, { providers: ['virustotal'] });
    expect(first.providers[0]).toMatchObject({ state: 'quota_exhausted', calls: 3, done: 3, queued: 2, retryAt: '2026-03-11T00:00:00.000Z' });

    w.restart();
    const afterRestart = w.service(settings);
    expect(afterRestart.pendingRuns()).toEqual([runId]);
    expect(afterRestart.quotaStatus()[0]!.perDay).toMatchObject({ limit: 3, used: 3, remaining: 0 });
    const sameDay = await afterRestart.enrichRun(runId, { providers: ['virustotal'] });
    expect(sameDay.providers[0]).toMatchObject({ state: 'quota_exhausted', calls: 0, queued: 2 });

    w.clock.set('2026-03-11T00:00:05.000Z');
    const [resumed] = await afterRestart.resumePending({ providers: ['virustotal'] });
    expect(resumed!.providers[0]).toMatchObject({ state: 'complete', calls: 2, done: 5, queued: 0 });
    expect(w.vt.indicatorsRequested().sort()).toEqual(ips);
    expect(afterRestart.pendingRuns()).toEqual([]);
  });

  it('leaves lookups queued while the network is down, and resumes when it returns', async () => {
    const w = await createWorld();
    const runId = w.storeRun(ipColumn, ipRows);
    const service = w.service({ providers: { virustotal: { perMinute: null } } });
    w.otx.down = true;

    const offline = await service.enrichRun(runId, { providers: ['virustotal', 'otx'] });
    const otx = offline.providers.find((p) => p.provider === 'otx')!;
    expect(otx).toMatchObject({ state: 'network_error', calls: 1, done: 0, queued: 5 });
    expect(otx.message).toMatch(/^AlienVault OTX: unavailable: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/indicators\/IPv4\/91\.1\.1\.\d\/general/);
    expect(offline.providers.find((p) => p.provider === 'virustotal')).toMatchObject({ state: 'complete', done: 5 });
    expect(service.pendingRuns()).toEqual([runId]);

    w.otx.down = false;
    const [back] = await service.resumePending();
    expect(back!.providers.find((p) => p.provider === 'otx')).toMatchObject({ state: 'complete', done: 5, queued: 0 });
    expect(back!.providers.find((p) => p.provider === 'virustotal')).toMatchObject({ state: 'complete', calls: 0 });
    expect(w.vt.requests.length).toBe(5);
  });

  it('treats a slow provider like an absent one: the call times out and the lookup stays queued', async () => {
    const w = await createWorld();
    const runId = w.storeRun(ipColumn, [['91.1.1.1']]);
    w.xf.delayMs = 5_000;
    const result = await w.service({ requestTimeoutMs: 150 }).enrichRun(runId, { providers: ['xforce'] });
    expect(result.providers[0]).toMatchObject({ state: 'network_error', queued: 1 });
    expect(result.providers[0]!.message).toMatch(/no complete response within 150 ms \(after 3 attempts\)/);
  });

  it('stops a provider whose key is rejected, naming it and never echoing the key', async () => {
    const w = await createWorld();
    await w.secrets.set('enricher-xforce:apiPassword', 'wrong-password-s3cret');
    const runId = w.storeRun(ipColumn, ipRows);
    const result = await w.service().enrichRun(runId, { providers: ['xforce'] });
    const xf = result.providers[0]!;
    expect(xf).toMatchObject({ state: 'auth_error', calls: 1, queued: 5 });
    expect(xf.message).toBe('IBM X-Force Exchange: the API credentials were rejected (HTTP 401); check the key stored for IBM X-Force Exchange');
    expect(JSON.stringify(result)).not.toContain('s3cret');
    expect(JSON.stringify(w.service().verdictsForRun(runId))).not.toContain('s3cret');
  });

  it('reports a provider without a key as not configured and queues nothing for it', async () => {
    const w = await createWorld();
    await w.secrets.delete('enricher-otx:apiKey');
    const runId = w.storeRun(ipColumn, ipRows);
    const result = await w.service({ providers: { virustotal: { enabled: false } } }).enrichRun(runId);
    expect(result.providers.map((p) => [p.provider, p.state, p.queued])).toEqual([
      ['virustotal', 'not_configured', 0], ['xforce', 'complete', 0], ['otx', 'not_configured', 0],
    ]);
    expect(w.otx.requests.length + w.vt.requests.length).toBe(0);
  });

  it('stops between lookups when cancelled, keeping the rest queued', async () => {
    const w = await createWorld();
    const runId = w.storeRun(ipColumn, ipRows);
    const controller = new AbortController();
    const result = await w.service().enrichRun(runId, {
      providers: ['otx'],
      signal: controller.signal,
      onProgress: (p) => p.done === 2 && controller.abort(),
    });
    expect(result.providers[0]).toMatchObject({ state: 'cancelled', done: 2, queued: 3 });
  });

  it('checks the allowlist again before each call: an indicator allowlisted since extraction is never sent', async () => {
    const w = await createWorld();
    // Extracted and queued before the hunter allowlists 52.10.0.0/16; paused by a long 429 before anything is answered.
    const runId = w.storeRun(ipColumn, [['91.2.2.2'], ['91.2.2.2'], ['52.10.9.9']]);
    w.vt.failNext({ status: 429, body: { error: { code: 'QuotaExceededError', message: 'Quota exceeded' } }, headers: { 'retry-after': '3600' } });
    const paused = await w.service().enrichRun(runId, { providers: ['virustotal'] });
    expect(paused.providers[0]).toMatchObject({ state: 'waiting_for_quota', queued: 2 });

    w.clock.advance(3_600_000);
    const later = w.service({ allowlist: { domains: [], cidrs: ['52.10.0.0/16'] } });
    const resumed = await later.enrichRun(runId, { providers: ['virustotal'] });
    expect(resumed.providers[0]).toMatchObject({ state: 'complete', queued: 0 });
    expect(w.vt.indicatorsRequested()).toEqual(['91.2.2.2', '91.2.2.2']);
    expect(later.verdictsForRun(runId).indicators.find((i) => i.value === '52.10.9.9')).toMatchObject({ skipReason: 'allowlisted', lookups: [] });
  });

  it('joins a second request for the same run instead of racing it, and refuses a run still in progress', async () => {
    const w = await createWorld();
    const runId = w.storeRun(ipColumn, ipRows);
    const service = w.service();
    const [a, b] = await Promise.all([service.enrichRun(runId, { providers: ['otx'] }), service.enrichRun(runId, { providers: ['otx'] })]);
    expect(a).toBe(b);
    expect(w.otx.requests.length).toBe(5);

    w.db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(runId);
    await expect(service.enrichRun(runId)).rejects.toThrow(`run ${runId} is still running`);
    await expect(service.enrichRun(9999)).rejects.toThrow('run not found: 9999');
  });
});
