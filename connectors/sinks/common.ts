import { z } from 'zod';
import { HttpTransportError, type HttpRequest, type HttpResponse } from '../http/http-client.js';
import type { SinkContext } from './types.js';

/**
 * What every sink shares: how an HTTP outcome becomes "delivered", "try again
 * later" or "give up", and settings that every sink takes.
 */

/**
 * A failed delivery. `permanent` ones (bad request, bad credentials, not
 * found) are not retried: trying again cannot help until the user changes
 * something. Messages never carry secrets (webhook URLs, tokens).
 */
export class SinkError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

/** Transient statuses; every other non-2xx is permanent. 3xx too: redirects are not followed (they would carry credentials). */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);
export const isTransientStatus = (status: number): boolean => TRANSIENT.has(status) || status >= 500;

export interface SinkCall extends Omit<HttpRequest, 'retry'> {
  /** What to call the endpoint in messages ("ServiceNow", "the Slack webhook"): never the URL, which may be a secret. */
  label: string;
  /** Extracts the service's own error text from a failed response. */
  errorText?: (res: HttpResponse) => string | null;
}

/**
 * One request, one attempt: the outbox owns retries (durably, across
 * restarts), so the HTTP helper's in-process retries are off. Resolves with
 * a 2xx response; throws SinkError otherwise.
 */
export async function sinkRequest(ctx: SinkContext<unknown>, call: SinkCall): Promise<HttpResponse> {
  let res: HttpResponse;
  try {
    res = await ctx.http.request({ ...call, retry: { maxAttempts: 1 } });
  } catch (err) {
    if (err instanceof HttpTransportError) {
      // err.message names the URL, which for webhooks is the secret itself: only the code goes out.
      const what = err.code === 'TIMEOUT' ? 'no answer in time' : `connection failed (${err.code})`;
      throw new SinkError(`${call.label}: ${what}`, false);
    }
    throw err;
  }
  if (res.status >= 200 && res.status < 300) return res;
  const text = clip(call.errorText?.(res) ?? plainError(res.text));
  const message = `${call.label} answered ${res.status}${text ? `: ${text}` : ''}`;
  throw new SinkError(message, !isTransientStatus(res.status), res.status, res.retryAfterMs);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A short body is shown as is (Slack's "invalid_payload"); HTML error pages and long bodies are not. */
function plainError(text: string): string | null {
  const t = text.trim();
  if (!t || t.startsWith('<') || t.length > 300) return null;
  return t;
}

const clip = (s: string | null): string | null => (s === null ? null : s.length > 300 ? `${s.slice(0, 299)}…` : s);

export const basicAuth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function requireSecret(ctx: SinkContext<unknown>, field: string, label: string): Promise<string> {
  const value = await ctx.secret(field);
  if (!value) throw new SinkError(`${label}: the secret "${field}" is not set in the keychain`, true);
  return value;
}

/** https, or plain http only to this machine (test fakes, local proxies): credentials never cross a network in clear. */
export function isAllowedServiceUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export const serviceUrl = z
  .string()
  .refine(isAllowedServiceUrl, 'must be an https:// URL (plain http only to localhost), without credentials in it')
  .transform((s) => s.replace(/\/+$/, ''));

/** Settings every sink takes: message templates and the per-request timeout. */
export const commonSinkSettings = {
  titleTemplate: z.string().min(1).max(1000).optional(),
  descriptionTemplate: z.string().min(1).max(20_000).optional(),
  /** Where {{reportLink}} points, e.g. "https://wiki.example/quarry/{{findingId}}"; default quarry://findings/<id>. */
  reportLinkTemplate: z.string().min(1).max(1000).optional(),
  /** Kept well under the outbox lease (5 min), so no request outlives its claim on the delivery. */
  timeoutMs: z.number().int().min(100).max(120_000).default(30_000),
};

/** Joins base and path without letting a path escape the configured host. */
export function endpoint(base: string, path: string, query?: Record<string, string>): URL {
  const url = new URL(base.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return url;
}
