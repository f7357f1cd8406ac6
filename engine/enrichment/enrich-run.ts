import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { EntityMapping } from '../types.js';
import { notFound, QuarryError } from '../errors.js';
import type { Sleep } from '../../connectors/http/http-client.js';
import {
  ProviderAuthError, ProviderRateLimitError, ProviderRejectedError, ProviderUnavailableError, type EnrichmentProvider,
} from '../../connectors/enrichers/types.js';
import type { Allowlist } from './allowlist.js';
import type { EnrichmentCache } from './cache.js';
import type { Indicator, Verdict } from './indicator.js';
import type { QuotaLedger } from './quota.js';
import { extractRunIndicators } from './run-extraction.js';
import { completeLookup, extractionSummary, failLookup, keepHome, lookupCounts, nextQueuedLookup, queueLookups, saveExtraction } from './run-store.js';
import { reasonToKeepHome } from './classify.js';
import { cacheTtlMs, providerIds, type EnrichmentSettings, type ProviderId } from './settings.js';

/**
 * Progressive enrichment of one run: extract once, queue a lookup per
 * indicator and provider, then work each provider's queue most frequent
 * indicator first, answering from the cache where it can and calling within
 * the quota where it must. Everything is persisted as it happens, so a
 * restart, a cancelled run or a dropped network resumes where it stopped.
 */

export type ProviderRunState =
  | 'complete' // nothing left queued
  | 'waiting_for_quota' // the minute budget or a 429 backoff asks for a longer wait than allowed; run again later
  | 'quota_exhausted' // the day's (or plan's) budget is spent
  | 'network_error' // no answer from the provider; the indicator stays queued
  | 'auth_error' // the key was rejected
  | 'not_configured' // disabled, or no key in the keychain
  | 'cancelled';

export interface ProviderRunOutcome {
  provider: ProviderId;
  state: ProviderRunState;
  /** Calls made to the provider in this enrichment. */
  calls: number;
  queued: number;
  done: number;
  failed: number;
  /** Lookups answered from the cache (in this run, over all its enrichments). */
  fromCache: number;
  /** When to try again, for waiting_for_quota and quota_exhausted. */
  retryAt: string | null;
  message: string | null;
}

export interface EnrichRunResult {
  runId: number;
  rowsScanned: number;
  indicators: number;
  /** Indicators that may be sent; the rest are non-public or allowlisted. */
  sendable: number;
  providers: ProviderRunOutcome[];
}

export interface EnrichProgress {
  runId: number;
  provider: ProviderId;
  indicator: Indicator;
  verdict: Verdict;
  fromCache: boolean;
  /** Lookups of this provider finished so far, and in all (queued included). */
  done: number;
  total: number;
}

export interface EnrichRunOptions {
  /** Default: every provider. */
  providers?: ProviderId[];
  signal?: AbortSignal;
  onProgress?: (p: EnrichProgress) => void;
  /** Extract again even though the run was extracted before (e.g. after the allowlist changed). */
  reextract?: boolean;
  /** Overrides the hunt's entity mappings. */
  entityMappings?: EntityMapping[];
  /** Longest wait for a minute budget or a 429 backoff before returning `waiting_for_quota` (default 10 minutes; 0 never waits). */
  maxQuotaWaitMs?: number;
}

export interface EnrichRunDeps {
  db: Db;
  clock: Clock;
  settings: EnrichmentSettings;
  allowlist: Allowlist;
  quota: QuotaLedger;
  cache: EnrichmentCache;
  sleep: Sleep;
  /** The providers with keys, built for this enrichment; absent ones are reported not_configured. */
  openProviders: (ids: readonly ProviderId[]) => Promise<EnrichmentProvider[]>;
}

/** A 429 without Retry-After: VirusTotal's minute window is the usual reason, so wait that long. */
const DEFAULT_BACKOFF_MS = 60_000;
const DEFAULT_MAX_QUOTA_WAIT_MS = 10 * 60_000;

export async function enrichRun(deps: EnrichRunDeps, runId: number, opts: EnrichRunOptions = {}): Promise<EnrichRunResult> {
  const { db, clock } = deps;
  const run = db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string } | undefined;
  if (!run) throw notFound('run', String(runId));
  // Rows still arriving would be missed by an extraction made now.
  if (run.status === 'running') throw new QuarryError('conflict', `run ${runId} is still running; enrich it once it has finished`);
  if (opts.reextract || !extractionSummary(db, runId)) {
    const extraction = await extractRunIndicators(db, runId, { allowlist: deps.allowlist, entityMappings: opts.entityMappings });
    saveExtraction(db, extraction, clock.now());
  }
  const summary = extractionSummary(db, runId)!;
  const sendable = (db.prepare('SELECT count(*) AS n FROM enrichment_run_indicators WHERE run_id = ? AND skip_reason IS NULL').get(runId) as { n: number }).n;

  const wanted = opts.providers ?? [...providerIds];
  const providers = await deps.openProviders(wanted);
  for (const p of providers) queueLookups(db, runId, p.id, (t) => p.supports(t), clock.now());
  const outcomes = await Promise.all(
    wanted.map((id) => {
      const provider = providers.find((p) => p.id === id);
      return provider ? workQueue(deps, runId, provider, opts) : Promise.resolve(outcome(db, runId, id, 'not_configured', 0, null, 'disabled, or no API key stored'));
    }),
  );
  return { runId, rowsScanned: summary.rowsScanned, indicators: summary.indicatorCount, sendable, providers: outcomes };
}

function outcome(db: Db, runId: number, provider: ProviderId, state: ProviderRunState, calls: number, retryAt: Date | null, message: string | null): ProviderRunOutcome {
  return { provider, state, calls, ...lookupCounts(db, runId, provider), retryAt: retryAt?.toISOString() ?? null, message };
}

async function workQueue(deps: EnrichRunDeps, runId: number, provider: EnrichmentProvider, opts: EnrichRunOptions): Promise<ProviderRunOutcome> {
  const { db, clock, cache, quota, settings } = deps;
  const id = provider.id;
  const limits = { perMinute: settings.providers[id].perMinute, perDay: settings.providers[id].perDay };
  const maxWait = opts.maxQuotaWaitMs ?? DEFAULT_MAX_QUOTA_WAIT_MS;
  const start = lookupCounts(db, runId, id);
  const total = start.queued + start.done + start.failed;
  let done = start.done + start.failed;
  let calls = 0;
  const end = (state: ProviderRunState, retryAt: Date | null = null, message: string | null = null) =>
    outcome(db, runId, id, state, calls, retryAt, message);

  for (;;) {
    if (opts.signal?.aborted) return end('cancelled');
    const item = nextQueuedLookup(db, runId, id);
    if (!item) return end('complete');
    const indicator: Indicator = { type: item.type, value: item.value };
    const keep = reasonToKeepHome(indicator, { allowlist: deps.allowlist });
    if (keep) {
      keepHome(db, item.indicatorId, keep);
      continue;
    }

    const cached = cache.get(id, indicator, clock.now());
    if (cached) {
      completeLookup(db, item.indicatorId, id, cached, true, clock.now());
      opts.onProgress?.({ runId, provider: id, indicator, verdict: cached.verdict, fromCache: true, done: ++done, total });
      continue;
    }

    const decision = quota.tryAcquire(id, limits);
    if (!decision.granted) {
      if (decision.reason === 'day') return end('quota_exhausted', decision.retryAt, 'the daily quota is used up; it resets at 00:00 UTC');
      const waitMs = decision.retryAt.getTime() - clock.now().getTime();
      if (waitMs > maxWait) {
        const why = decision.reason === 'backoff' ? 'the provider asked to wait (HTTP 429)' : 'the per-minute quota is used up';
        return end('waiting_for_quota', decision.retryAt, `${why}; calls resume at ${decision.retryAt.toISOString()}`);
      }
      try {
        await deps.sleep(Math.max(0, waitMs), opts.signal);
      } catch {
        return end('cancelled');
      }
      continue;
    }

    calls++;
    try {
      const answer = await provider.lookup(indicator, opts.signal);
      const now = clock.now();
      cache.put(id, indicator, answer, now, cacheTtlMs(settings, id, answer.found));
      completeLookup(db, item.indicatorId, id, answer, false, now);
      opts.onProgress?.({ runId, provider: id, indicator, verdict: answer.verdict, fromCache: false, done: ++done, total });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (opts.signal?.aborted) return end('cancelled');
      if (err instanceof ProviderRejectedError) {
        failLookup(db, item.indicatorId, id, message, true, clock.now());
        opts.onProgress?.({ runId, provider: id, indicator, verdict: 'unknown', fromCache: false, done: ++done, total });
        continue;
      }
      failLookup(db, item.indicatorId, id, message, false, clock.now());
      if (err instanceof ProviderRateLimitError) {
        if (err.quotaExhausted) quota.exhaustDay(id, limits);
        else quota.block(id, new Date(clock.now().getTime() + (err.retryAfterMs ?? DEFAULT_BACKOFF_MS)));
        continue;
      }
      if (err instanceof ProviderAuthError) return end('auth_error', null, message);
      if (err instanceof ProviderUnavailableError) return end('network_error', null, message);
      throw err;
    }
  }
}
