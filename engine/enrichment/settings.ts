import { z } from 'zod';
import { invalidInput } from '../errors.js';

/** The threat-intel services Quarry knows, in the order lookups are shown. */
export const providerIds = ['virustotal', 'xforce', 'otx'] as const;
export type ProviderId = (typeof providerIds)[number];

export const providerNames: Record<ProviderId, string> = {
  virustotal: 'VirusTotal',
  xforce: 'IBM X-Force Exchange',
  otx: 'AlienVault OTX',
};

const HOUR = 3_600_000;

const baseUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http(s):// URL')
  .transform((u) => u.replace(/\/+$/, ''));

const limit = z.number().int().positive().nullable();

function providerSettings(defaults: { baseUrl: string; guiUrl: string; perMinute: number | null; perDay: number | null }) {
  return z
    .object({
      enabled: z.boolean().default(true),
      /** The API; overridden for on-prem mirrors, proxies and test fakes. */
      baseUrl: baseUrl.default(defaults.baseUrl),
      /** Where the provider's web pages live, for the reference link of each answer. */
      guiUrl: baseUrl.default(defaults.guiUrl),
      /** Calls in any 60 seconds; null for no limit. */
      perMinute: limit.default(defaults.perMinute),
      /** Calls per UTC day (reset at 00:00 UTC); null for no limit. */
      perDay: limit.default(defaults.perDay),
      /** Overrides the cache TTLs below for this provider. */
      cacheTtlHours: z.number().positive().optional(),
      notFoundTtlHours: z.number().positive().optional(),
    })
    .strict()
    .default({});
}

/**
 * The hunter's enrichment settings (non-secret; API keys live in the keychain).
 * Defaults follow the providers' free tiers: VirusTotal's public API allows 4
 * lookups a minute and 500 a day. IBM and AlienVault publish no fixed free
 * quota, so theirs are unlimited until the hunter sets one (429s still back off).
 */
export const enrichmentSettingsSchema = z
  .object({
    providers: z
      .object({
        virustotal: providerSettings({ baseUrl: 'https://www.virustotal.com', guiUrl: 'https://www.virustotal.com', perMinute: 4, perDay: 500 }),
        xforce: providerSettings({ baseUrl: 'https://api.xforce.ibmcloud.com', guiUrl: 'https://exchange.xforce.ibmcloud.com', perMinute: null, perDay: null }),
        otx: providerSettings({ baseUrl: 'https://otx.alienvault.com', guiUrl: 'https://otx.alienvault.com', perMinute: null, perDay: null }),
      })
      .strict()
      .default({}),
    /** How long an answer is trusted before it is asked again. */
    cacheTtlHours: z.number().positive().default(72),
    /** "Not found" is cached too, shorter: the provider may learn about it soon. */
    notFoundTtlHours: z.number().positive().default(12),
    /** The organisation's own domains and networks: never sent to any provider. */
    allowlist: z
      .object({ domains: z.array(z.string().trim().min(1)).default([]), cidrs: z.array(z.string().trim().min(1)).default([]) })
      .strict()
      .default({}),
    /** Per attempt; a slow provider fails the call, and the indicator stays queued. */
    requestTimeoutMs: z.number().int().min(100).max(300_000).default(15_000),
    /** VirusTotal engines that must call a file or address malicious before Quarry does (fewer make it suspicious). */
    virusTotalMaliciousThreshold: z.number().int().min(1).default(3),
    /**
     * Where Quarry runs in the background (the app, `quarry daemon`): enrich every
     * run when it finishes, with the providers that have keys, and resume queued
     * lookups on start. Off: only `quarry enrich` / the Enrich button do it.
     */
    autoEnrich: z.boolean().default(true),
  })
  .strict();

export type EnrichmentSettingsInput = z.input<typeof enrichmentSettingsSchema>;
export type EnrichmentSettings = z.output<typeof enrichmentSettingsSchema>;
export type ProviderSettings = EnrichmentSettings['providers'][ProviderId];

export function parseEnrichmentSettings(input: unknown = {}): EnrichmentSettings {
  const result = enrichmentSettingsSchema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalidInput(`enrichment settings: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

export function cacheTtlMs(settings: EnrichmentSettings, provider: ProviderId, found: boolean): number {
  const p = settings.providers[provider];
  const hours = found ? (p.cacheTtlHours ?? settings.cacheTtlHours) : (p.notFoundTtlHours ?? settings.notFoundTtlHours);
  return hours * HOUR;
}
