import { describe, expect, it } from 'vitest';
import { createWorld } from './world.js';
import { extractRunIndicators } from '../../../engine/enrichment/run-extraction.js';
import { Allowlist } from '../../../engine/enrichment/allowlist.js';
import { QuarryError } from '../../../engine/errors.js';

describe('looking up one indicator', () => {
  it('asks every provider about a defanged URL and reports each answer with its link', async () => {
    const w = await createWorld();
    const url = 'https://malware-drop.net/stage2.bin';
    w.vt.setAnalysis('urls', url, { malicious: 9, harmless: 50 });
    w.otx.setPulses('url', url, 1);
    const result = await w.service().lookup('hxxps://malware-drop[.]net/stage2.bin');

    expect(result).toMatchObject({ indicator: { type: 'url', value: url }, skipped: null, verdict: 'malicious' });
    const byProvider = Object.fromEntries(result.results.map((r) => [r.provider, r]));
    expect(byProvider.virustotal).toMatchObject({ status: 'answered', fromCache: false, answer: { found: true, verdict: 'malicious' } });
    expect(byProvider.virustotal!.answer!.link).toMatch(/^https:\/\/www\.virustotal\.com\/gui\/url\/[0-9a-f]{64}$/);
    expect(byProvider.xforce).toMatchObject({ status: 'answered', answer: { found: false, verdict: 'unknown' } });
    expect(byProvider.xforce!.answer!.link).toBe(`https://exchange.xforce.ibmcloud.com/url/${encodeURIComponent(url)}`);
    expect(byProvider.otx).toMatchObject({ status: 'answered', answer: { found: true, verdict: 'suspicious' } });
    expect(byProvider.otx!.answer!.raw).toMatchObject({ pulse_info: { count: 1 } });
    // VirusTotal was sent the unpadded base64url id; the fake decoded it back.
    expect(w.vt.requests[0]!.path).toBe(`/api/v3/urls/${Buffer.from(url).toString('base64url')}`);
    expect(w.vt.indicatorsRequested()).toEqual([url]);
  });

  it('answers the second time from the cache, raw answer included, without a call', async () => {
    const w = await createWorld();
    w.xf.setMalware('275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', 'high', ['eicar']);
    const service = w.service();
    await service.lookup('275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F');
    const requests = w.sentAnywhere().length;
    const again = await service.lookup('275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f');
    expect(w.sentAnywhere().length).toBe(requests);
    const xf = again.results.find((r) => r.provider === 'xforce')!;
    expect(xf).toMatchObject({ status: 'answered', fromCache: true, answer: { verdict: 'malicious', score: 90 } });
    expect(xf.answer!.raw).toMatchObject({ malware: { risk: 'high', family: ['eicar'] } });
    // The raw answer outlives its TTL, for reports.
    w.clock.advance(30 * 24 * 3_600_000);
    expect(service.rawAnswer('xforce', again.indicator)).toMatchObject({ malware: { risk: 'high' } });
  });

  it.each([
    ['10.20.30.40', 'non_public'],
    ['fe80::1', 'non_public'],
    ['https://portal.contoso-corp.com/x', 'allowlisted'],
    ['52.10.9.9', 'allowlisted'],
  ])('refuses to send %s (%s) anywhere', async (value, reason) => {
    const w = await createWorld();
    const result = await w.service({ allowlist: { domains: ['contoso-corp.com'], cidrs: ['52.10.0.0/16'] } }).lookup(value);
    expect(result).toMatchObject({ skipped: reason, results: [] });
    expect(w.sentAnywhere()).toEqual([]);
  });

  it('says which providers cannot look up a mail address, and rejects what is no indicator', async () => {
    const w = await createWorld();
    const service = w.service();
    const mail = await service.lookup('ceo[@]ceo-fraud.biz');
    expect(mail.indicator).toEqual({ type: 'email', value: 'ceo@ceo-fraud.biz' });
    expect(mail.results.map((r) => r.status)).toEqual(['unsupported', 'unsupported', 'unsupported']);
    await expect(service.lookup('not an indicator')).rejects.toThrow(QuarryError);
    await expect(service.lookup('x', { providers: ['shodan' as never] })).rejects.toThrow(/unknown provider "shodan"/);
  });

  it('reports the quota left after lookups, per provider', async () => {
    const w = await createWorld();
    const service = w.service();
    await service.lookup('91.1.1.1');
    await service.lookup('91.1.1.2');
    const vt = service.quotaStatus().find((q) => q.provider === 'virustotal')!;
    expect(vt).toMatchObject({ name: 'VirusTotal', enabled: true, perMinute: { limit: 4, used: 2, remaining: 2 }, perDay: { limit: 500, used: 2, remaining: 498 } });
    expect(service.quotaStatus().find((q) => q.provider === 'otx')!.perDay).toMatchObject({ limit: null, used: 2, remaining: null });
  });
});

describe('column-aware extraction over a stored run', () => {
  it('reads mapped columns as their entity, scans the other text columns, and skips the rest', async () => {
    const w = await createWorld();
    const runId = w.storeRun(
      [
        { name: 'QueryName', type: 'string' },
        { name: 'Account', type: 'string' },
        { name: 'Message', type: 'string' },
        { name: 'Port', type: 'long' },
      ],
      [
        ['payload-host.sh', 'svc-backup.example-host.com', 'resolved payload-host.sh via 8.8.8.8', 443],
        ['payload-host.sh.', 'admin', 'see hxxp://second-stage[.]ru/x', 8080],
      ],
      [
        { entityType: 'DNS', fieldMappings: [{ identifier: 'DomainName', columnName: 'QueryName' }] },
        { entityType: 'Account', fieldMappings: [{ identifier: 'Name', columnName: 'Account' }] },
      ],
    );
    const extraction = await extractRunIndicators(w.db, runId, { allowlist: new Allowlist() });
    expect(extraction.columns.map((c) => c.name)).toEqual(['QueryName', 'Message']);
    expect(extraction.indicators.map((i) => [i.type, i.value, i.rowCount, i.rowIds])).toEqual([
      // A DNS column vouches for "payload-host.sh"; in free text it reads as a shell script and is left out.
      ['domain', 'payload-host.sh', 2, [1, 2]],
      ['domain', 'second-stage.ru', 1, [2]],
      ['ipv4', '8.8.8.8', 1, [1]],
      ['url', 'http://second-stage.ru/x', 1, [2]],
    ]);
  });

  it('can be given entity mappings for a run whose hunt has none', async () => {
    const w = await createWorld();
    const runId = w.storeRun([{ name: 'Host', type: 'string' }], [['payload-host.sh']]);
    expect((await extractRunIndicators(w.db, runId, { allowlist: new Allowlist() })).indicators).toEqual([]);
    const mapped = await extractRunIndicators(w.db, runId, {
      allowlist: new Allowlist(),
      entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'FullName', columnName: 'Host' }] }],
    });
    expect(mapped.indicators.map((i) => i.value)).toEqual(['payload-host.sh']);
  });
});
