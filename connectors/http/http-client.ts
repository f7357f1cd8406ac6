import { setTimeout as delay } from 'node:timers/promises';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

/**
 * The one HTTP helper for connectors that talk JSON over fetch (enrichers,
 * ticketing and chat sinks): a timeout per attempt, retries with exponential
 * backoff and jitter on transient statuses and network failures, honouring
 * Retry-After, and cancellation through an AbortSignal. It never interprets
 * bodies and never puts headers (where credentials travel) in messages.
 */

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** No single wait is longer; a Retry-After beyond it ends the retries and hands the response back. */
  maxDelayMs: number;
  /** Statuses worth another attempt. Callers that treat 429 as a quota signal leave it out. */
  retryStatuses: readonly number[];
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  retryStatuses: [408, 429, 500, 502, 503, 504],
};

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string | URL;
  headers?: Record<string, string>;
  body?: string;
  /** Per attempt, headers and body included; default from the client. */
  timeoutMs?: number;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Attempts made, the first included. */
  attempts: number;
  /** The server's wait hint (Retry-After), in ms, when it sent one. */
  retryAfterMs: number | null;
}

/** No HTTP answer at all: refused, reset, unresolvable, timed out. `code` is Node's errno code or TIMEOUT. */
export class HttpTransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

export interface HttpClient {
  /** Resolves with the final response whatever its status; rejects only when no response came (or on abort). */
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientOptions {
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** For jitter; tests pass a constant. */
  random?: () => number;
  /** For Retry-After given as an HTTP date. */
  now?: () => number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Responses larger than this are cut (error pages, runaway bodies). */
  maxBodyBytes?: number;
  /** Proxy settings; by default HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) from the environment. */
  proxy?: ProxySettings;
}

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  /** Comma-separated hosts (and `.domain` suffixes) reached directly. */
  noProxy?: string;
}

const env = (name: string): string | undefined => process.env[name] || process.env[name.toLowerCase()] || undefined;

/** The environment's proxy; loopback (fakes, local services) is always reached directly. */
export function proxyFromEnvironment(): ProxySettings {
  const noProxy = [env('NO_PROXY'), 'localhost,127.0.0.1,[::1]'].filter(Boolean).join(',');
  return { httpProxy: env('HTTP_PROXY'), httpsProxy: env('HTTPS_PROXY'), noProxy };
}

/**
 * Node's global fetch ignores proxy variables; behind a corporate proxy every
 * lookup and ticket would fail. With a proxy set, requests go through undici's
 * fetch and a proxy agent that honours NO_PROXY.
 */
function proxiedFetch(settings: ProxySettings): typeof fetch | null {
  if (!settings.httpProxy && !settings.httpsProxy) return null;
  const dispatcher = new EnvHttpProxyAgent(settings);
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })) as unknown as typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BODY = 16 * 2 ** 20;

/** Wait asked for by Retry-After (seconds or an HTTP date), in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Exponential backoff with "equal jitter": half the cap fixed, half random, so retries from many clients spread out. */
export function backoffDelay(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Where a request went, for messages: no query string, no credentials. */
const describe = (method: string, url: URL): string => `${method} ${url.origin}${url.pathname}`;

export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const doFetch = opts.fetch ?? proxiedFetch(opts.proxy ?? proxyFromEnvironment()) ?? fetch;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;

  async function attempt(req: HttpRequest, url: URL, method: string, timeoutMs: number): Promise<Omit<HttpResponse, 'attempts' | 'retryAfterMs'>> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    try {
      // Redirects are not followed: fetch would carry API-key headers (x-apikey and the like) to wherever they point.
      const res = await doFetch(url, { method, headers: req.headers, body: req.body, signal, redirect: 'manual' });
      return { status: res.status, headers: res.headers, text: await readCapped(res, maxBody) };
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason ?? err;
      if (timeout.aborted) throw new HttpTransportError('TIMEOUT', `${describe(method, url)}: no complete response within ${timeoutMs} ms`, 1);
      const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
      const code = cause?.code ?? (err as NodeJS.ErrnoException).code ?? 'NETWORK';
      throw new HttpTransportError(code, `${describe(method, url)}: ${cause?.message ?? (err as Error).message}`, 1);
    }
  }

  return {
    async request(req) {
      const policy: RetryPolicy = { ...defaultRetryPolicy, ...opts.retry, ...req.retry };
      const url = typeof req.url === 'string' ? new URL(req.url) : req.url;
      const method = req.method ?? 'GET';
      const timeoutMs = req.timeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      for (let n = 1; ; n++) {
        let res: Omit<HttpResponse, 'attempts' | 'retryAfterMs'>;
        try {
          res = await attempt(req, url, method, timeoutMs);
        } catch (err) {
          if (!(err instanceof HttpTransportError)) throw err;
          if (n >= policy.maxAttempts) throw new HttpTransportError(err.code, err.message, n);
          await sleep(backoffDelay(policy, n, random), req.signal);
          continue;
        }
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
        const transient = policy.retryStatuses.includes(res.status);
        const waitable = retryAfterMs === null || retryAfterMs <= policy.maxDelayMs;
        if (!transient || !waitable || n >= policy.maxAttempts) return { ...res, attempts: n, retryAfterMs };
        await sleep(retryAfterMs ?? backoffDelay(policy, n, random), req.signal);
      }
    },
  };
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      size = maxBytes;
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
