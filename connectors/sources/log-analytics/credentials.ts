import { createHash } from 'node:crypto';
import type https from 'node:https';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { QuarryError, errorMessage } from '../../../engine/errors.js';
import type { SignInEvent } from '../types.js';
import type { LogAnalyticsSettings } from './settings.js';
import { tokenScope, usesInstanceDiscovery } from './settings.js';

export interface CredentialDeps {
  connectionId: string;
  connectionName: string;
  settings: LogAnalyticsSettings;
  /** Reads the client secret from the keychain (only for client-secret auth). */
  clientSecret: () => Promise<string | null>;
  /** Shows the device-code instructions ("open ... and enter code ...") to the hunter, then says how the sign-in ended. */
  onSignIn: (event: SignInEvent) => void;
  /**
   * Whether interactive browser sign-in may run. @azure/identity opens the
   * browser itself (the `open` package spawns a process), which the desktop
   * app's engine must not do outside main's guarded link opener: the app turns it off.
   */
  browserSignIn?: boolean;
  agent?: https.Agent;
}

/**
 * Credentials live for the engine's lifetime, keyed by connection and
 * settings (and a hash of the secret), so MSAL's in-memory token cache
 * spares a sign-in per run and device-code users are asked once, not per hunt.
 */
const cache = new Map<string, TokenCredential>();
const CACHE_LIMIT = 32;
/** Connections whose current getToken showed a device code: the next outcome of theirs is reported as `finished`. */
const prompted = new Set<string>();

let identityModule: Promise<typeof import('@azure/identity')> | null = null;
// Loaded on first use: @azure/identity and MSAL are large and most engine starts never sign in.
const loadIdentity = (): Promise<typeof import('@azure/identity')> => (identityModule ??= import('@azure/identity'));

export async function credentialFor(deps: CredentialDeps): Promise<TokenCredential> {
  const { settings } = deps;
  const secret = settings.auth === 'client-secret' ? await deps.clientSecret() : null;
  if (settings.auth === 'client-secret' && !secret) {
    throw new QuarryError(
      'invalid_input',
      `connection "${deps.connectionName}" signs in with a client secret, but none is set: store one with \`quarry connections set-secret ${deps.connectionName} clientSecret\``,
    );
  }
  if (settings.auth === 'interactive-browser' && deps.browserSignIn === false) {
    throw new QuarryError(
      'invalid_input',
      `connection "${deps.connectionName}" signs in with an interactive browser, which only the quarry CLI can do: in the app, switch it to device code sign-in (Edit, Sign-in method)`,
    );
  }
  const key = [deps.connectionId, JSON.stringify(settings), secret ? createHash('sha256').update(secret).digest('hex') : ''].join('|');
  const cached = cache.get(key);
  if (cached) return cached;

  const identity = await loadIdentity();
  const common = {
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    authorityHost: settings.authorityHost,
    disableInstanceDiscovery: !usesInstanceDiscovery(settings),
    ...(deps.agent ? { agent: deps.agent } : {}),
  };
  let credential: TokenCredential;
  switch (settings.auth) {
    case 'client-secret':
      credential = new identity.ClientSecretCredential(settings.tenantId, settings.clientId, secret!, common);
      break;
    case 'device-code':
      credential = new identity.DeviceCodeCredential({
        ...common,
        userPromptCallback: (info) => {
          prompted.add(deps.connectionId);
          deps.onSignIn({ state: 'waiting', connection: deps.connectionName, message: info.message, verificationUri: info.verificationUri, userCode: info.userCode });
        },
      });
      break;
    case 'interactive-browser':
      credential = new identity.InteractiveBrowserCredential({ ...common, redirectUri: settings.redirectUri ?? 'http://localhost' });
      break;
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, credential);
  return credential;
}

/** Forgets cached credentials of one connection (its settings or secret changed, or it was removed). */
export function forgetCredentials(connectionId: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${connectionId}|`)) cache.delete(key);
}

/** A bearer token for the query API, with sign-in failures turned into messages that name the connection and never the secret. */
export async function queryToken(deps: CredentialDeps, signal: AbortSignal): Promise<AccessToken> {
  const credential = await credentialFor(deps);
  const finished = (signedIn: boolean): void => {
    if (prompted.delete(deps.connectionId)) deps.onSignIn({ state: 'finished', connection: deps.connectionName, signedIn });
  };
  try {
    const token = await credential.getToken(tokenScope(deps.settings), { abortSignal: signal });
    if (!token) throw new Error('no token was returned');
    finished(true);
    return token;
  } catch (err) {
    finished(false);
    if (signal.aborted) throw err;
    throw new QuarryError(
      'connection_failed',
      `sign-in for "${deps.connectionName}" (${deps.settings.auth}, tenant ${deps.settings.tenantId}, ${deps.settings.authorityHost}) failed: ${authReason(err)}`,
    );
  }
}

/** The first meaningful line of an identity/MSAL error: the AADSTS code and text, without trace ids and timestamps. */
function authReason(err: unknown): string {
  const text = errorMessage(err)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(Trace ID|Correlation ID|Timestamp)/i.test(l) && !/^To troubleshoot/i.test(l))
    .join(' ');
  return text.replace(/^(ClientSecretCredential|DeviceCodeCredential|InteractiveBrowserCredential):?\s*/i, '').slice(0, 600);
}
