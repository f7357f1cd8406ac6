/**
 * Enrichment: IOC extraction, threat-intel lookups (VirusTotal, IBM X-Force
 * Exchange, AlienVault OTX) with quotas and a cache, and per-run verdicts.
 * `createEnrichmentService` is the entry point; the rest is exported for the
 * API layer, the CLI and tests.
 */
export { createEnrichmentService, type EnrichmentService, type EnrichmentServiceDeps, type ProviderQuotaStatus } from './service.js';
export { extractIndicators, IndicatorScanner, type ExtractOptions, type ExtractedIndicator } from './extract.js';
export { refang } from './refang.js';
export { Allowlist, type AllowlistSettings } from './allowlist.js';
export {
  indicatorTypes, verdicts, maxVerdict, verdictRank, indicatorKey,
  type Indicator, type IndicatorType, type SkipReason, type Verdict,
} from './indicator.js';
export { extractRunIndicators, type RunExtraction, type RunIndicator } from './run-extraction.js';
export type { EnrichRunOptions, EnrichRunResult, EnrichProgress, ProviderRunOutcome, ProviderRunState } from './enrich-run.js';
export type { IndicatorLookup, ProviderLookupResult, LookupStatus } from './single-lookup.js';
export type { RunVerdicts, IndicatorVerdict, RowVerdict, ProviderLookup, RunVerdictQuery } from './run-verdicts.js';
export type { QuotaStatus, QuotaWindowStatus } from './quota.js';
export type { ProviderVerdict, CachedVerdict } from './cache.js';
export {
  enrichmentSettingsSchema, parseEnrichmentSettings, providerIds, providerNames,
  type EnrichmentSettings, type EnrichmentSettingsInput, type ProviderId,
} from './settings.js';
export { providerSecretAccount } from '../../connectors/enrichers/index.js';
