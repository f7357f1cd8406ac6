import type { Db } from '../store/db.js';
import { systemClock, type Clock } from '../clock.js';
import { invalidInput } from '../errors.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { createHttpClient, realSleep, type HttpClient, type Sleep } from '../../connectors/http/http-client.js';
import { openProvider } from '../../connectors/enrichers/index.js';
import type { EnrichmentProvider } from '../../connectors/enrichers/types.js';
import { Allowlist } from './allowlist.js';
import { EnrichmentCache } from './cache.js';
import { classifyValue } from './classify.js';
import { enrichRun, type EnrichRunOptions, type EnrichRunResult } from './enrich-run.js';
import { extractIndicators, type ExtractedIndicator } from './extract.js';
import { lookupIndicator, type IndicatorLookup } from './single-lookup.js';
import { QuotaLedger, type QuotaStatus } from './quota.js';
import { refang } from './refang.js';
import { indicatorRowIds, readRunVerdicts, type RunVerdictQuery, type RunVerdicts } from './run-verdicts.js';
import { parseEnrichmentSettings, providerIds, providerNames, type EnrichmentSettings, type EnrichmentSettingsInput, type ProviderId } from './settings.js';
import type { Indicator } from './indicator.js';

export interface EnrichmentServiceDeps {
  db: Db;
  secrets: SecretStore;
  clock?: Clock;
  /** Parsed with defaults; see enrichmentSettingsSchema. */
  settings?: EnrichmentSettingsInput | EnrichmentSettings;
  /** Tests pass one whose waits advance a fake clock. */
  sleep?: Sleep;
  http?: HttpClient;
}

export interface ProviderQuotaStatus extends QuotaStatus {
  provider: ProviderId;
  name: string;
  enabled: boolean;
}

export interface EnrichmentService {
  readonly settings: EnrichmentSettings;
  /** Extracts (once) and looks up a run's indicators progressively; resumes whatever an earlier call left queued. */
  enrichRun(runId: number, opts?: EnrichRunOptions): Promise<EnrichRunResult>;
  /** Runs with lookups still queued (after a restart, a quota stop or a network failure). */
  pendingRuns(): number[];
  /** Resumes every pending run, one after the other. */
  resumePending(opts?: Omit<EnrichRunOptions, 'reextract' | 'entityMappings'>): Promise<EnrichRunResult[]>;
  /** One indicator, every configured provider; private and allowlisted values are refused without a call. */
  lookup(value: string, opts?: { providers?: ProviderId[]; signal?: AbortSignal }): Promise<IndicatorLookup>;
  /** The indicators in a text, after refanging and filtering (`includeSkipped` adds the filtered ones, with the reason). */
  extractFromText(text: string, opts?: { includeSkipped?: boolean }): ExtractedIndicator[];
  quotaStatus(): ProviderQuotaStatus[];
  verdictsForRun(runId: number, query?: RunVerdictQuery): RunVerdicts;
  rowsWithIndicator(runId: number, indicator: Indicator): number[];
  /** A provider's last answer about an indicator as received (kept past its TTL), for reports; null if never asked. */
  rawAnswer(provider: ProviderId, indicator: Indicator): unknown;
}

/**
 * The enrichment engine behind the API and the CLI: one per engine, sharing
 * its store, keychain and clock. Providers are built per call from the
 * current keys, so a key set in settings applies to the next lookup.
 */
export function createEnrichmentService(deps: EnrichmentServiceDeps): EnrichmentService {
  const { db, secrets } = deps;
  const clock = deps.clock ?? systemClock;
  const settings = parseEnrichmentSettings(deps.settings ?? {});
  const allowlist = new Allowlist(settings.allowlist);
  const quota = new QuotaLedger(db, clock);
  const cache = new EnrichmentCache(db);
  const sleep = deps.sleep ?? realSleep;
  const http = deps.http ?? createHttpClient({ sleep, timeoutMs: settings.requestTimeoutMs, now: () => clock.now().getTime() });

  const openProviders = async (ids: readonly ProviderId[]): Promise<EnrichmentProvider[]> => {
    const opened = await Promise.all(ids.map((id) => openProvider(id, settings, secrets, http)));
    return opened.filter((p): p is EnrichmentProvider => p !== null);
  };
  const runDeps = { db, clock, settings, allowlist, quota, cache, sleep, openProviders };
  const limitsOf = (id: ProviderId) => ({ perMinute: settings.providers[id].perMinute, perDay: settings.providers[id].perDay });
  const checkProviders = (ids: ProviderId[] | undefined): void => {
    for (const id of ids ?? []) {
      if (!providerIds.includes(id)) throw invalidInput(`unknown provider "${id}"; known: ${providerIds.join(', ')}`);
    }
  };

  // One enrichment per run at a time in this engine: a second request joins the first rather than racing it for the queue.
  const running = new Map<number, Promise<EnrichRunResult>>();
  const enrichOnce = (runId: number, opts: EnrichRunOptions): Promise<EnrichRunResult> => {
    const current = running.get(runId);
    if (current) return current;
    const started = enrichRun(runDeps, runId, opts).finally(() => running.delete(runId));
    running.set(runId, started);
    return started;
  };

  const service: EnrichmentService = {
    settings,
    async enrichRun(runId, opts = {}) {
      checkProviders(opts.providers);
      return enrichOnce(runId, opts);
    },
    pendingRuns() {
      return db.prepare("SELECT DISTINCT run_id FROM enrichment_run_lookups WHERE state = 'queued' ORDER BY run_id").pluck().all() as number[];
    },
    async resumePending(opts = {}) {
      const results: EnrichRunResult[] = [];
      for (const runId of service.pendingRuns()) {
        if (opts.signal?.aborted) break;
        results.push(await enrichOnce(runId, opts));
      }
      return results;
    },
    async lookup(value, opts = {}) {
      checkProviders(opts.providers);
      const [indicator] = classifyValue(refang(value), { allowlist });
      if (!indicator) throw invalidInput(`"${value.slice(0, 200)}" is not an IP address, domain, URL, file hash or mail address`);
      const wanted = opts.providers ?? [...providerIds];
      return lookupIndicator({ clock, settings, quota, cache, openProviders }, indicator, wanted, opts.signal);
    },
    extractFromText(text, opts = {}) {
      return extractIndicators(text, { allowlist, includeSkipped: opts.includeSkipped });
    },
    quotaStatus() {
      return providerIds.map((id) => ({
        provider: id,
        name: providerNames[id],
        enabled: settings.providers[id].enabled,
        ...quota.status(id, limitsOf(id)),
      }));
    },
    verdictsForRun(runId, query) {
      return readRunVerdicts(db, runId, query);
    },
    rowsWithIndicator(runId, indicator) {
      return indicatorRowIds(db, runId, indicator);
    },
    rawAnswer(provider, indicator) {
      return cache.raw(provider, indicator);
    },
  };
  return service;
}
