import { z } from 'zod';

/** Public-cloud defaults; sovereign clouds and test fakes override both per connection. */
export const DEFAULT_ENDPOINT = 'https://api.loganalytics.io';
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** The service's own limit on `Prefer: wait=` (10 minutes). */
export const MAX_SERVER_TIMEOUT_SECONDS = 600;

/** Entra hosts MSAL knows; any other authority host (ADFS, fakes) skips instance discovery, which only those hosts answer. */
const KNOWN_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoft.com',
  'login.windows.net',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'sts.windows.net',
]);

const httpsUrl = z
  .string()
  .url()
  .refine((u) => new URL(u).protocol === 'https:', 'must be an https:// URL (Entra ID and the query API only take TLS)')
  .transform((u) => u.replace(/\/+$/, ''));

const workspaceId = z.string().trim().min(1, 'a workspace id is required');

/** The non-secret settings of a Log Analytics connection, as stored in SQLite. Unknown keys are rejected. */
export const logAnalyticsSettingsSchema = z
  .object({
    tenantId: z.string().trim().min(1, 'the Entra tenant id (or domain) is required'),
    clientId: z.string().trim().min(1, 'the application (client) id is required'),
    workspaceId,
    additionalWorkspaces: z.array(workspaceId).default([]),
    auth: z.enum(['client-secret', 'device-code', 'interactive-browser']).default('client-secret'),
    endpoint: httpsUrl.default(DEFAULT_ENDPOINT),
    authorityHost: httpsUrl.default(DEFAULT_AUTHORITY_HOST),
    /** Token audience; by default derived from the endpoint (see `tokenScope`). */
    audience: httpsUrl.optional(),
    /** Sent as `Prefer: wait=N`: how long the service may run the query. */
    serverTimeoutSeconds: z.number().int().min(1).max(MAX_SERVER_TIMEOUT_SECONDS).optional(),
    /** Client side: how long to wait with no bytes from the service before giving up. */
    requestTimeoutMs: z.number().int().min(100).max(3_600_000).optional(),
    /** Redirect URI registered for interactive browser sign-in (a loopback address). */
    redirectUri: z.string().url().optional(),
  })
  .strict();

export type LogAnalyticsSettings = z.output<typeof logAnalyticsSettingsSchema>;
export type LogAnalyticsSettingsInput = z.input<typeof logAnalyticsSettingsSchema>;

/** Every secret a Log Analytics connection may keep in the keychain. */
export const logAnalyticsSecretFields = ['clientSecret'] as const;

export function requiredLogAnalyticsSecrets(settings: LogAnalyticsSettings): string[] {
  return settings.auth === 'client-secret' ? ['clientSecret'] : [];
}

/**
 * The OAuth scope for the query API. api.loganalytics.io tokens are what the
 * public endpoints (including api.loganalytics.azure.com) accept; any other
 * endpoint (sovereign cloud, fake) is its own audience unless one is set.
 */
export function tokenScope(settings: LogAnalyticsSettings): string {
  if (settings.audience) return `${settings.audience}/.default`;
  const host = new URL(settings.endpoint).hostname;
  const publicCloud = host === 'api.loganalytics.io' || host === 'api.loganalytics.azure.com';
  return `${publicCloud ? DEFAULT_ENDPOINT : new URL(settings.endpoint).origin}/.default`;
}

export function usesInstanceDiscovery(settings: LogAnalyticsSettings): boolean {
  return KNOWN_AUTHORITY_HOSTS.has(new URL(settings.authorityHost).hostname);
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;
