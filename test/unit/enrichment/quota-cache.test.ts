import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { openStore } from '../../../engine/store/db.js';
import { QuotaLedger } from '../../../engine/enrichment/quota.js';
import { EnrichmentCache } from '../../../engine/enrichment/cache.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { FakeClock } from './fake-clock.js';

const VT = { perMinute: 4, perDay: 500 };

describe('quota ledger', () => {
  it('allows 4 calls in any minute, then says when the oldest leaves the window', () => {
    const clock = new FakeClock('2026-03-10T12:00:00.000Z');
    const quota = new QuotaLedger(openStore(tempDir()), clock);
    for (let i = 0; i < 4; i++) {
      expect(quota.tryAcquire('virustotal', VT)).toEqual({ granted: true });
      clock.advance(10_000);
    }
    const denied = quota.tryAcquire('virustotal', VT);
    expect(denied).toEqual({ granted: false, reason: 'minute', retryAt: new Date('2026-03-10T12:01:00.000Z') });
    clock.set('2026-03-10T12:01:00.001Z');
    expect(quota.tryAcquire('virustotal', VT).granted).toBe(true);
    expect(quota.tryAcquire('virustotal', VT).granted).toBe(false);
  });

  it('counts the day per UTC date and resets at 00:00 UTC', () => {
    const clock = new FakeClock('2026-03-10T23:59:00.000Z');
    const quota = new QuotaLedger(openStore(tempDir()), clock);
    const limits = { perMinute: null, perDay: 3 };
    for (let i = 0; i < 3; i++) expect(quota.tryAcquire('virustotal', limits).granted).toBe(true);
    expect(quota.tryAcquire('virustotal', limits)).toEqual({ granted: false, reason: 'day', retryAt: new Date('2026-03-11T00:00:00.000Z') });
    expect(quota.status('virustotal', limits).perDay).toMatchObject({ limit: 3, used: 3, remaining: 0, resetsAt: '2026-03-11T00:00:00.000Z' });
    clock.set('2026-03-11T00:00:00.000Z');
    expect(quota.tryAcquire('virustotal', limits).granted).toBe(true);
    expect(quota.status('virustotal', limits).perDay.remaining).toBe(2);
  });

  it('survives a restart: a re-opened store remembers the calls made', () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const first = openStore(dir);
    const quota = new QuotaLedger(first, clock);
    for (let i = 0; i < 3; i++) quota.tryAcquire('virustotal', VT);
    first.close();

    const reopened = new QuotaLedger(openStore(dir), clock);
    const status = reopened.status('virustotal', VT);
    expect(status.perMinute).toMatchObject({ used: 3, remaining: 1 });
    expect(status.perDay).toMatchObject({ used: 3, remaining: 497 });
    expect(reopened.tryAcquire('virustotal', VT).granted).toBe(true);
    expect(reopened.tryAcquire('virustotal', VT)).toMatchObject({ granted: false, reason: 'minute' });
  });

  it('keeps providers apart and honours a 429 backoff until its time', () => {
    const clock = new FakeClock();
    const quota = new QuotaLedger(openStore(tempDir()), clock);
    quota.block('otx', new Date(clock.now().getTime() + 30_000));
    expect(quota.tryAcquire('otx', { perMinute: null, perDay: null })).toMatchObject({ granted: false, reason: 'backoff' });
    expect(quota.tryAcquire('xforce', { perMinute: null, perDay: null }).granted).toBe(true);
    expect(quota.status('otx', { perMinute: null, perDay: null }).blockedUntil).toBe('2026-03-10T12:00:30.000Z');
    clock.advance(30_000);
    expect(quota.tryAcquire('otx', { perMinute: null, perDay: null }).granted).toBe(true);
  });
});

describe('lookup cache', () => {
  it('answers within the TTL and not after', () => {
    const clock = new FakeClock();
    const cache = new EnrichmentCache(openStore(path.join(tempDir(), 'store')));
    const indicator = { type: 'domain' as const, value: 'bad-host.io' };
    cache.put('virustotal', indicator, { found: true, verdict: 'malicious', score: 40, link: 'https://vt/gui/domain/bad-host.io', raw: { data: 1 } }, clock.now(), 3_600_000);
    clock.advance(3_599_000);
    expect(cache.get('virustotal', indicator, clock.now())).toMatchObject({ found: true, verdict: 'malicious', score: 40 });
    expect(cache.get('otx', indicator, clock.now())).toBeNull();
    clock.advance(1_000);
    expect(cache.get('virustotal', indicator, clock.now())).toBeNull();
    expect(cache.raw('virustotal', indicator)).toEqual({ data: 1 });
  });
});
