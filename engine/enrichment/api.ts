import { z } from 'zod';
import type { EnrichProgress } from './enrich-run.js';
import type { ExtractedIndicator } from './extract.js';
import { verdicts } from './indicator.js';
import type { RowVerdict } from './run-verdicts.js';
import type { ProviderQuotaStatus } from './service.js';
import { providerIds } from './settings.js';
import type { IndicatorLookup } from './single-lookup.js';
import type { EnrichmentRunSummary, EnrichmentSettingsView, ProviderKeyStatus, RunIndicators } from './engine-enrichment.js';

/**
 * The enrichment part of the engine API, spread into `apiSchemas` in
 * engine/api.ts. Provider keys only go in (setKey); nothing here returns one.
 */

const runRef = z.object({ runId: z.number().int().positive() });
const provider = z.enum(providerIds);
const credentialField = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'credential field names are letters, digits and _');

export const enrichmentApiSchemas = {
  /** Resolves when the enrichment stops (complete, out of quota, cancelled); progress comes as events meanwhile. */
  'enrichment.run': runRef.extend({
    providers: z.array(provider).min(1).optional(),
    reextract: z.boolean().optional(),
    /** Longest wait for a per-minute quota before stopping with `waiting_for_quota` (default 10 minutes; 0 never waits). */
    maxQuotaWaitMs: z.number().int().min(0).max(86_400_000).optional(),
  }),
  'enrichment.cancel': runRef,
  'enrichment.indicators': runRef.extend({ limit: z.number().int().positive().max(100_000).default(5000) }),
  'enrichment.rowVerdicts': runRef.extend({ atLeast: z.enum(verdicts).default('suspicious') }),
  'enrichment.lookup': z.object({ value: z.string().trim().min(1).max(8192), providers: z.array(provider).min(1).optional() }),
  'enrichment.extract': z.object({ text: z.string().max(64 * 1024 * 1024), includeSkipped: z.boolean().default(false) }),
  'enrichment.quota': z.object({}).default({}),
  'enrichment.getSettings': z.object({}).default({}),
  /** Merged into the stored settings (objects key by key), or replacing them with `replace`. */
  'enrichment.setSettings': z.object({ settings: z.record(z.unknown()), replace: z.boolean().default(false) }),
  'enrichment.keys': z.object({}).default({}),
  /** Write-only: stored in the OS keychain, never echoed back. */
  'enrichment.setKey': z.object({ provider, field: credentialField.default('apiKey'), value: z.string().min(1).max(4096) }),
  'enrichment.clearKey': z.object({ provider, field: credentialField.optional() }),
} as const;

export interface EnrichmentApiResults {
  'enrichment.run': EnrichmentRunSummary;
  'enrichment.cancel': { cancelled: boolean };
  'enrichment.indicators': RunIndicators;
  'enrichment.rowVerdicts': RowVerdict[];
  'enrichment.lookup': IndicatorLookup;
  'enrichment.extract': ExtractedIndicator[];
  'enrichment.quota': ProviderQuotaStatus[];
  'enrichment.getSettings': EnrichmentSettingsView;
  'enrichment.setSettings': EnrichmentSettingsView;
  'enrichment.keys': ProviderKeyStatus[];
  'enrichment.setKey': ProviderKeyStatus;
  'enrichment.clearKey': ProviderKeyStatus & { deleted: number };
}

export interface EnrichmentApiEvents {
  'enrichment.progress': EnrichProgress;
  'enrichment.finished': EnrichmentRunSummary;
}

export type { EnrichmentRunSummary, RunIndicators, ProviderKeyStatus, EnrichmentSettingsView };
