import { randomUUID } from 'node:crypto';
import { sendJson, startHttpsServer, type RunningServer } from './https-server.js';

/**
 * A fake Microsoft Entra ID token service, enough for MSAL (through
 * @azure/identity) to sign in against it over TLS on loopback:
 * - GET  /common/discovery/instance                      instance discovery metadata
 * - GET  /{tenant}/v2.0/.well-known/openid-configuration  OpenID metadata
 * - POST /{tenant}/oauth2/v2.0/token                      client_credentials and device_code grants
 * - POST /{tenant}/oauth2/v2.0/devicecode                 device authorization
 * Errors use the AADSTS codes and body shape Entra sends.
 */

export interface IssuedToken {
  token: string;
  tenant: string;
  clientId: string;
  /** The user for delegated (device code) tokens; null for an app. */
  user: string | null;
  scope: string;
}

export interface EntraRequest {
  method: string;
  path: string;
  /** Form fields of token requests; client_secret is recorded so tests can check what was sent. */
  form: Record<string, string>;
}

export interface EntraFake extends RunningServer {
  /** Register an app (service principal) with its secret. */
  addApp(tenant: string, clientId: string, secret: string): void;
  /** Register a public client for device code sign-in; `pendingPolls` answers "authorization_pending" that many times first. */
  addPublicClient(tenant: string, clientId: string, user: string, pendingPolls?: number): void;
  readonly tokens: Map<string, IssuedToken>;
  readonly requests: EntraRequest[];
  /** Revoke every issued token (the query API then answers 401/403). */
  revokeAll(): void;
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
// MSAL decodes but does not verify id tokens from the token endpoint, so an unsigned JWT is enough.
const unsignedJwt = (claims: Record<string, unknown>): string => `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(claims)}.`;

function aadError(status: number, error: string, code: number, description: string) {
  const now = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${now}`,
      error_codes: [code],
      timestamp: now,
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

export async function startEntraFake(): Promise<EntraFake> {
  const apps = new Map<string, string>();
  const publicClients = new Map<string, { user: string; pending: number }>();
  const deviceCodes = new Map<string, { tenant: string; clientId: string; scope: string; pending: number; user: string }>();
  const tokens = new Map<string, IssuedToken>();
  const requests: EntraRequest[] = [];
  let base = '';

  const issue = (tenant: string, clientId: string, scope: string, user: string | null): IssuedToken => {
    const t: IssuedToken = { token: `fake-at-${randomUUID()}`, tenant, clientId, user, scope };
    tokens.set(t.token, t);
    return t;
  };

  const server = await startHttpsServer((req, url, body, res) => {
    const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    requests.push({ method: req.method ?? '', path: url.pathname, form });
    const parts = url.pathname.split('/').filter(Boolean);
    const tenant = parts[0] ?? '';

    if (url.pathname === '/common/discovery/instance') {
      const host = new URL(base).host;
      return sendJson(res, 200, {
        tenant_discovery_endpoint: `${base}/common/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
    }
    if (req.method === 'GET' && url.pathname === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      return sendJson(res, 200, {
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/${tenant}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}/oidc/userinfo`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'fake.example',
      });
    }
    if (req.method === 'POST' && url.pathname === `/${tenant}/oauth2/v2.0/devicecode`) {
      const pc = publicClients.get(`${tenant}/${form.client_id}`);
      if (!pc) {
        const e = aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.client_id}' was not found in the directory '${tenant}'.`);
        return sendJson(res, e.status, e.body);
      }
      const deviceCode = randomUUID();
      const userCode = deviceCode.slice(0, 9).toUpperCase();
      deviceCodes.set(deviceCode, { tenant, clientId: form.client_id!, scope: form.scope ?? '', pending: pc.pending, user: pc.user });
      return sendJson(res, 200, {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: `${base}/devicelogin`,
        expires_in: 900,
        interval: 1,
        message: `To sign in, use a web browser to open the page ${base}/devicelogin and enter the code ${userCode} to authenticate.`,
      });
    }
    if (req.method === 'POST' && url.pathname === `/${tenant}/oauth2/v2.0/token`) {
      if (form.grant_type === 'client_credentials') {
        const known = apps.get(`${tenant}/${form.client_id}`);
        if (known === undefined) {
          const e = aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.client_id}' was not found in the directory '${tenant}'.`);
          return sendJson(res, e.status, e.body);
        }
        if (known !== form.client_secret) {
          const e = aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
          return sendJson(res, e.status, e.body);
        }
        const t = issue(tenant, form.client_id!, form.scope ?? '', null);
        return sendJson(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: t.token });
      }
      if (form.grant_type === 'urn:ietf:params:oauth:grant-type:device_code' || form.grant_type === 'device_code') {
        const dc = deviceCodes.get(form.device_code ?? '');
        if (!dc) {
          const e = aadError(400, 'invalid_grant', 70000, 'The provided value for the device code is not valid.');
          return sendJson(res, e.status, e.body);
        }
        if (dc.pending > 0) {
          dc.pending--;
          const e = aadError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
          return sendJson(res, e.status, e.body);
        }
        deviceCodes.delete(form.device_code!);
        const oid = randomUUID();
        const now = Math.floor(Date.now() / 1000);
        const t = issue(tenant, dc.clientId, dc.scope, dc.user);
        return sendJson(res, 200, {
          token_type: 'Bearer',
          scope: dc.scope,
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: t.token,
          refresh_token: `fake-rt-${randomUUID()}`,
          id_token: unsignedJwt({
            aud: dc.clientId, iss: `${base}/${tenant}/v2.0`, iat: now, nbf: now, exp: now + 3600,
            name: dc.user, oid, preferred_username: dc.user, sub: oid, tid: tenant, ver: '2.0',
          }),
          client_info: b64url({ uid: oid, utid: tenant }),
        });
      }
      const e = aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${form.grant_type}'.`);
      return sendJson(res, e.status, e.body);
    }
    sendJson(res, 404, { error: 'not_found', error_description: `the Entra fake has no ${req.method} ${url.pathname}` });
  });
  base = server.url;

  return {
    ...server,
    addApp: (tenant, clientId, secret) => void apps.set(`${tenant}/${clientId}`, secret),
    addPublicClient: (tenant, clientId, user, pendingPolls = 1) => void publicClients.set(`${tenant}/${clientId}`, { user, pending: pendingPolls }),
    tokens,
    requests,
    revokeAll: () => tokens.clear(),
  };
}
