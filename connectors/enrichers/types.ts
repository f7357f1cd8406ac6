import type { HttpClient, HttpResponse } from '../http/http-client.js';
import { HttpTransportError } from '../http/http-client.js';
import type { Indicator, IndicatorType } from '../../engine/enrichment/indicator.js';
import type { ProviderVerdict } from '../../engine/enrichment/cache.js';
import { providerNames, type ProviderId } from '../../engine/enrichment/settings.js';

export type { ProviderVerdict, ProviderId };

/** One threat-intel service, as the enrichment engine sees it. */
export interface EnrichmentProvider {
  readonly id: ProviderId;
  supports(type: IndicatorType): boolean;
  /** Asks the service about one indicator. Throws the errors below; "not found" is an answer, not an error. */
  lookup(indicator: Indicator, signal?: AbortSignal): Promise<ProviderVerdict>;
}

export interface ProviderConfig {
  baseUrl: string;
  guiUrl: string;
  http: HttpClient;
  timeoutMs: number;
}

/** The keychain fields each provider needs (accounts `enricher-<id>:<field>`). */
export const credentialFields: Record<ProviderId, readonly string[]> = {
  virustotal: ['apiKey'],
  xforce: ['apiKey', 'apiPassword'],
  otx: ['apiKey'],
};

export const credentialOwner = (id: ProviderId): string => `enricher-${id}`;

/** Base of the errors a lookup can end in; the message names the provider and never holds a credential. */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderId,
    message: string,
  ) {
    super(`${providerNames[provider]}: ${message}`);
    this.name = 'ProviderError';
  }
}

/** 401/403: the key is wrong, revoked or lacks the right; nothing more will work until the hunter fixes it. */
export class ProviderAuthError extends ProviderError {
  constructor(provider: ProviderId, status: number) {
    super(provider, `the API credentials were rejected (HTTP ${status}); check the key stored for ${providerNames[provider]}`);
    this.name = 'ProviderAuthError';
  }
}

/** 429 (or X-Force's 402): come back later; `quotaExhausted` when the provider says the day or month is spent. */
export class ProviderRateLimitError extends ProviderError {
  constructor(
    provider: ProviderId,
    readonly retryAfterMs: number | null,
    readonly quotaExhausted: boolean,
    detail: string,
  ) {
    super(provider, `rate limited (${detail})`);
    this.name = 'ProviderRateLimitError';
  }
}

/** No usable answer: network down, timeout, 5xx after retries. The lookup stays queued. */
export class ProviderUnavailableError extends ProviderError {
  constructor(provider: ProviderId, detail: string) {
    super(provider, `unavailable: ${detail}`);
    this.name = 'ProviderUnavailableError';
  }
}

/** The provider refused this one indicator (400 and the like); asking again will not help. */
export class ProviderRejectedError extends ProviderError {
  constructor(
    provider: ProviderId,
    readonly status: number,
    detail: string,
  ) {
    super(provider, `rejected the lookup (HTTP ${status}): ${detail}`);
    this.name = 'ProviderRejectedError';
  }
}

/**
 * Sends one GET and maps transport failures and the common statuses to the
 * errors above; returns 2xx and 404 responses for the provider to read.
 * 429 is not retried by the HTTP helper: it is a quota signal the engine
 * answers by requeueing, with the wait the provider asked for.
 */
export async function getJson(
  provider: ProviderId,
  config: ProviderConfig,
  url: URL,
  headers: Record<string, string>,
  errorDetail: (res: HttpResponse) => string,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  let res: HttpResponse;
  try {
    res = await config.http.request({
      url,
      headers: { accept: 'application/json', ...headers },
      timeoutMs: config.timeoutMs,
      signal,
      retry: { retryStatuses: [500, 502, 503, 504] },
    });
  } catch (err) {
    if (err instanceof HttpTransportError) throw new ProviderUnavailableError(provider, `${err.message} (after ${err.attempts} attempts)`);
    throw err;
  }
  if ((res.status >= 200 && res.status < 300) || res.status === 404) return res;
  if (res.status === 401 || res.status === 403) throw new ProviderAuthError(provider, res.status);
  if (res.status === 429) throw new ProviderRateLimitError(provider, res.retryAfterMs, false, errorDetail(res));
  if (res.status >= 500) throw new ProviderUnavailableError(provider, `HTTP ${res.status} after ${res.attempts} attempts: ${errorDetail(res)}`);
  throw new ProviderRejectedError(provider, res.status, errorDetail(res));
}

/** JSON body, or null when it is not JSON (an HTML error page from a proxy). */
export function parseBody(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    return null;
  }
}

export const clampScore = (n: number): number => Math.max(0, Math.min(100, Math.round(n)));

/** Reads a nested field without trusting the shape of a third party's JSON. */
export function field(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export const numberOr = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
