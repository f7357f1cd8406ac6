import type { HttpClient } from '../http/http-client.js';
import type { SecretStore } from '../../engine/secrets/secret-store.js';
import { secretAccount } from '../../engine/secrets/secret-store.js';
import type { EnrichmentSettings, ProviderId } from '../../engine/enrichment/settings.js';
import { createVirusTotalProvider } from './virustotal/virustotal.js';
import { createXForceProvider } from './xforce/xforce.js';
import { createOtxProvider } from './otx/otx.js';
import { credentialFields, credentialOwner, type EnrichmentProvider } from './types.js';

export * from './types.js';

/** Keychain account of one credential field, e.g. "enricher-virustotal:apiKey". */
export const providerSecretAccount = (id: ProviderId, field: string): string => secretAccount(credentialOwner(id), field);

/** The keys stored for a provider, or null when any is missing. Read on use, never kept longer than a lookup session. */
export async function readProviderCredentials(secrets: SecretStore, id: ProviderId): Promise<Record<string, string> | null> {
  const values: Record<string, string> = {};
  for (const f of credentialFields[id]) {
    const v = await secrets.get(providerSecretAccount(id, f));
    if (!v) return null;
    values[f] = v;
  }
  return values;
}

/** Builds a provider from its settings and keys; null when it is disabled or has no keys. */
export async function openProvider(
  id: ProviderId,
  settings: EnrichmentSettings,
  secrets: SecretStore,
  http: HttpClient,
): Promise<EnrichmentProvider | null> {
  const p = settings.providers[id];
  if (!p.enabled) return null;
  const creds = await readProviderCredentials(secrets, id);
  if (!creds) return null;
  const config = { baseUrl: p.baseUrl, guiUrl: p.guiUrl, http, timeoutMs: settings.requestTimeoutMs };
  switch (id) {
    case 'virustotal':
      return createVirusTotalProvider({ ...config, apiKey: creds.apiKey!, maliciousThreshold: settings.virusTotalMaliciousThreshold });
    case 'xforce':
      return createXForceProvider({ ...config, apiKey: creds.apiKey!, apiPassword: creds.apiPassword! });
    case 'otx':
      return createOtxProvider({ ...config, apiKey: creds.apiKey! });
  }
}
