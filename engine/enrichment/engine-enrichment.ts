import type { Engine } from '../engine.js';
import { errorMessage, invalidInput } from '../errors.js';
import type { HttpClient, Sleep } from '../../connectors/http/http-client.js';
import { credentialFields, providerSecretAccount } from '../../connectors/enrichers/index.js';
import { credentialOwner } from '../../connectors/enrichers/types.js';
import { secretAccount } from '../secrets/secret-store.js';
import { findingsService } from '../findings/service.js';
import { createEnrichmentService, type EnrichmentService } from './service.js';
import type { EnrichProgress, EnrichRunResult } from './enrich-run.js';
import type { Verdict } from './indicator.js';
import type { IndicatorVerdict, RowVerdict } from './run-verdicts.js';
import type { ExtractionSummary } from './run-store.js';
import { providerIds, providerNames, type EnrichmentSettings, type ProviderId } from './settings.js';
import {
  enrichmentSettingsFile, enrichmentSettingsVersion, mergeSettings, readEnrichmentSettings, readStoredEnrichmentSettings,
  writeStoredEnrichmentSettings,
} from './settings-file.js';

/**
 * Enrichment as the engine offers it to the API and the CLI: one service per
 * engine built from `<dataDir>/enrichment.json` (rebuilt when that file
 * changes), progress and completion as engine events, findings refreshed when
 * verdicts arrive, and provider keys that only go into the keychain.
 */

export interface EnrichmentRunSummary extends EnrichRunResult {
  /** Open findings of the run whose verdict or severity the new answers changed. */
  findingsUpdated: number[];
}

export interface RunIndicators {
  runId: number;
  /** null when the run was never enriched. */
  extraction: ExtractionSummary | null;
  /** An enrichment of the run is in progress in this engine. */
  enriching: boolean;
  /** All indicators of the run; `indicators` holds the first `limit`, most frequent first. */
  total: number;
  indicators: IndicatorVerdict[];
}

export interface ProviderKeyStatus {
  provider: ProviderId;
  name: string;
  enabled: boolean;
  /** Which credential fields are stored: names only, never a value. */
  fields: Array<{ field: string; set: boolean }>;
  /** Every field is set, so lookups can be made. */
  configured: boolean;
}

export interface EnrichmentSettingsView {
  settings: EnrichmentSettings;
  /** Where they are stored. */
  file: string;
}

export interface EnrichmentRunOptions {
  providers?: ProviderId[];
  reextract?: boolean;
  maxQuotaWaitMs?: number;
}

/** Test seams: an HTTP client (a fake's CA) and a sleep that advances a fake clock. */
export interface EnrichmentSeams {
  http?: HttpClient;
  sleep?: Sleep;
}

/** Progress events are throttled per run and provider; the last of each provider is always sent. */
const PROGRESS_INTERVAL_MS = 200;

export class EngineEnrichment {
  private built: { service: EnrichmentService; version: number } | null = null;
  private seams: EnrichmentSeams = {};
  private readonly running = new Map<number, { controller: AbortController; done: Promise<EnrichmentRunSummary> }>();

  constructor(private readonly engine: Engine) {}

  configure(seams: EnrichmentSeams): this {
    this.seams = { ...this.seams, ...seams };
    this.built = null;
    return this;
  }

  /** The service for the current settings; a changed settings file applies to the next call. */
  get service(): EnrichmentService {
    const version = enrichmentSettingsVersion(this.engine.dataDir);
    if (!this.built || this.built.version !== version) {
      const { db, secrets, clock, dataDir } = this.engine;
      const service = createEnrichmentService({ db, secrets, clock, settings: readEnrichmentSettings(dataDir), ...this.seams });
      this.built = { service, version };
    }
    return this.built.service;
  }

  /**
   * Enriches a run (resuming what an earlier call left queued), announcing
   * progress as `enrichment.progress` and the result as `enrichment.finished`,
   * then raises the run's findings the verdicts call for. A second call for a
   * run being enriched joins the first.
   */
  run(runId: number, opts: EnrichmentRunOptions = {}): Promise<EnrichmentRunSummary> {
    const current = this.running.get(runId);
    if (current) return current.done;
    const controller = new AbortController();
    const service = this.service;
    const { events } = this.engine;
    const lastSent = new Map<ProviderId, number>();
    const onProgress = (p: EnrichProgress): void => {
      const now = Date.now();
      if (p.done < p.total && now - (lastSent.get(p.provider) ?? 0) < PROGRESS_INTERVAL_MS) return;
      lastSent.set(p.provider, now);
      events.emit('enrichment.progress', p);
    };
    const done = (async () => {
      try {
        const result = await service.enrichRun(runId, { ...opts, signal: controller.signal, onProgress });
        const summary: EnrichmentRunSummary = { ...result, findingsUpdated: this.refreshFindings(runId) };
        events.emit('enrichment.finished', summary);
        return summary;
      } finally {
        this.running.delete(runId);
      }
    })();
    this.running.set(runId, { controller, done });
    return done;
  }

  /** Stops a run's enrichment; what is still queued stays queued for the next `run`. */
  cancel(runId: number): boolean {
    const current = this.running.get(runId);
    if (!current) return false;
    current.controller.abort();
    return true;
  }

  isRunning(runId: number): boolean {
    return this.running.has(runId);
  }

  indicators(runId: number, limit: number): RunIndicators {
    const v = this.service.verdictsForRun(runId, { rowsAtLeast: null });
    return { runId, extraction: v.extraction, enriching: this.isRunning(runId), total: v.indicators.length, indicators: v.indicators.slice(0, limit) };
  }

  rowVerdicts(runId: number, atLeast: Verdict): RowVerdict[] {
    return this.service.verdictsForRun(runId, { rowsAtLeast: atLeast }).rows;
  }

  settings(): EnrichmentSettingsView {
    return { settings: readEnrichmentSettings(this.engine.dataDir), file: enrichmentSettingsFile(this.engine.dataDir) };
  }

  /** Merges `patch` into the stored settings (or replaces them), validates, writes. Running enrichments keep their settings. */
  setSettings(patch: Record<string, unknown>, replace = false): EnrichmentSettingsView {
    const { dataDir } = this.engine;
    const stored = replace ? patch : mergeSettings(readStoredEnrichmentSettings(dataDir), patch);
    writeStoredEnrichmentSettings(dataDir, stored);
    this.built = null;
    return this.settings();
  }

  async keyStatus(): Promise<ProviderKeyStatus[]> {
    const settings = this.service.settings;
    return Promise.all(providerIds.map(async (id) => {
      // Account names only: the keychain is asked which entries exist, never for their values.
      const stored = new Set(await this.engine.secrets.accounts(secretAccount(credentialOwner(id), '')));
      const fields = credentialFields[id].map((field) => ({ field, set: stored.has(providerSecretAccount(id, field)) }));
      return { provider: id, name: providerNames[id], enabled: settings.providers[id].enabled, fields, configured: fields.every((f) => f.set) };
    }));
  }

  /** Stores one credential of a provider in the keychain (apiKey unless named; X-Force also has apiPassword). */
  async setKey(provider: ProviderId, value: string, field = 'apiKey'): Promise<ProviderKeyStatus> {
    checkField(provider, field);
    await this.engine.secrets.set(providerSecretAccount(provider, field), value);
    return this.statusOf(provider);
  }

  /** Removes a provider's credentials (one field, or all of them). */
  async clearKey(provider: ProviderId, field?: string): Promise<ProviderKeyStatus & { deleted: number }> {
    if (field) checkField(provider, field);
    let deleted = 0;
    for (const f of field ? [field] : credentialFields[provider]) {
      if (await this.engine.secrets.delete(providerSecretAccount(provider, f))) deleted++;
    }
    return { ...(await this.statusOf(provider)), deleted };
  }

  private async statusOf(provider: ProviderId): Promise<ProviderKeyStatus> {
    return (await this.keyStatus()).find((s) => s.provider === provider)!;
  }

  /** Findings must never break an enrichment: a failure here is only reported. */
  private refreshFindings(runId: number): number[] {
    try {
      return findingsService(this.engine).refreshVerdicts(runId);
    } catch (err) {
      this.engine.events.emit('findings.error', { runId, message: errorMessage(err) });
      return [];
    }
  }
}

function checkField(provider: ProviderId, field: string): void {
  const fields = credentialFields[provider];
  if (!fields.includes(field)) throw invalidInput(`${providerNames[provider]} has no credential "${field}"; it takes ${fields.join(' and ')}`);
}

const instances = new WeakMap<Engine, EngineEnrichment>();

/** The engine's enrichment, created on first use. */
export function enrichmentFor(engine: Engine): EngineEnrichment {
  let e = instances.get(engine);
  if (!e) {
    e = new EngineEnrichment(engine);
    instances.set(engine, e);
  }
  return e;
}
