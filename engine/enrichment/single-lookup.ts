import type { Clock } from '../clock.js';
import {
  ProviderAuthError, ProviderRateLimitError, ProviderRejectedError, ProviderUnavailableError, type EnrichmentProvider,
} from '../../connectors/enrichers/types.js';
import type { EnrichmentCache, ProviderVerdict } from './cache.js';
import type { Classified } from './classify.js';
import type { Indicator, SkipReason, Verdict } from './indicator.js';
import { maxVerdict } from './indicator.js';
import type { QuotaLedger } from './quota.js';
import { cacheTtlMs, type EnrichmentSettings, type ProviderId } from './settings.js';

/** `quarry ioc lookup`: one indicator, each provider once, no queue and no waiting for quota. */

export type LookupStatus =
  | 'answered'
  | 'not_configured'
  | 'unsupported'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'auth_error'
  | 'unavailable'
  | 'rejected';

export interface ProviderLookupResult {
  provider: ProviderId;
  status: LookupStatus;
  fromCache: boolean;
  /** The normalised answer (raw included) when status is answered. */
  answer: ProviderVerdict | null;
  /** When a call may be made again (rate_limited, quota_exhausted). */
  retryAt: string | null;
  message: string | null;
}

export interface IndicatorLookup {
  indicator: Indicator;
  /** Set when the indicator must not leave the machine: nothing was sent. */
  skipped: SkipReason | null;
  /** The most severe verdict among the answers. */
  verdict: Verdict;
  results: ProviderLookupResult[];
}

export interface SingleLookupDeps {
  clock: Clock;
  settings: EnrichmentSettings;
  quota: QuotaLedger;
  cache: EnrichmentCache;
  openProviders: (ids: readonly ProviderId[]) => Promise<EnrichmentProvider[]>;
}

const DEFAULT_BACKOFF_MS = 60_000;

export async function lookupIndicator(deps: SingleLookupDeps, c: Classified, wanted: ProviderId[], signal?: AbortSignal): Promise<IndicatorLookup> {
  const indicator: Indicator = { type: c.type, value: c.value };
  if (c.skip) return { indicator, skipped: c.skip, verdict: 'unknown', results: [] };
  const providers = await deps.openProviders(wanted);
  const results = await Promise.all(
    wanted.map((id) => {
      const provider = providers.find((p) => p.id === id);
      if (!provider) return result(id, 'not_configured', { message: 'disabled, or no API key stored' });
      if (!provider.supports(indicator.type)) return result(id, 'unsupported', { message: `does not look up ${indicator.type} indicators` });
      return askOne(deps, provider, indicator, signal);
    }),
  );
  const verdict = maxVerdict(results.flatMap((r) => (r.answer ? [r.answer.verdict] : [])));
  return { indicator, skipped: null, verdict, results };
}

function result(provider: ProviderId, status: LookupStatus, extra: Partial<ProviderLookupResult> = {}): ProviderLookupResult {
  return { provider, status, fromCache: false, answer: null, retryAt: null, message: null, ...extra };
}

async function askOne(deps: SingleLookupDeps, provider: EnrichmentProvider, indicator: Indicator, signal?: AbortSignal): Promise<ProviderLookupResult> {
  const id = provider.id;
  const cached = deps.cache.get(id, indicator, deps.clock.now(), { withRaw: true });
  if (cached) return result(id, 'answered', { fromCache: true, answer: cached });
  const limits = { perMinute: deps.settings.providers[id].perMinute, perDay: deps.settings.providers[id].perDay };
  const decision = deps.quota.tryAcquire(id, limits);
  if (!decision.granted) {
    return result(id, decision.reason === 'day' ? 'quota_exhausted' : 'rate_limited', {
      retryAt: decision.retryAt.toISOString(),
      message: decision.reason === 'day' ? 'the daily quota is used up' : 'the per-minute quota is used up; try again shortly',
    });
  }
  try {
    const answer = await provider.lookup(indicator, signal);
    deps.cache.put(id, indicator, answer, deps.clock.now(), cacheTtlMs(deps.settings, id, answer.found));
    return result(id, 'answered', { answer });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ProviderRateLimitError) {
      const until = new Date(deps.clock.now().getTime() + (err.retryAfterMs ?? DEFAULT_BACKOFF_MS));
      if (err.quotaExhausted) deps.quota.exhaustDay(id, limits);
      else deps.quota.block(id, until);
      return result(id, err.quotaExhausted ? 'quota_exhausted' : 'rate_limited', { retryAt: until.toISOString(), message });
    }
    if (err instanceof ProviderAuthError) return result(id, 'auth_error', { message });
    if (err instanceof ProviderUnavailableError) return result(id, 'unavailable', { message });
    if (err instanceof ProviderRejectedError) return result(id, 'rejected', { message });
    throw err;
  }
}
