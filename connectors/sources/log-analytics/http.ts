import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * HTTPS with the retry rules every connector needs: 429 and transient 5xx
 * retried with exponential backoff and jitter, honouring Retry-After (and
 * Azure's retry-after-ms), an idle timeout, cancellation, and an overall
 * deadline. Bodies of successful responses are streamed, never buffered.
 * Kept free of Log Analytics specifics so it can move to a shared place.
 */

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** No single wait is longer; a Retry-After beyond it ends the retries instead. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 60_000 };

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpClientOptions {
  agent?: https.Agent;
  retry: RetryPolicy;
  sleep: Sleep;
  /** No bytes for this long (waiting for headers or for the next chunk) fails the attempt. */
  idleTimeoutMs: number;
}

export type HttpResult =
  | { ok: true; status: number; headers: IncomingHttpHeaders; body: AsyncIterable<Buffer>; attempts: number }
  | { ok: false; status: number; headers: IncomingHttpHeaders; text: string; attempts: number };

/** Failures below HTTP: the message says which; `code` is Node's (ECONNREFUSED, ENOTFOUND, ...) or "TIMEOUT". */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503]);
// Errors worth a second try; refused connections and unknown hosts are configuration, not weather.
const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'TIMEOUT']);
const MAX_ERROR_BODY = 1 << 20;

/** Wait asked for by the server, in ms, from retry-after-ms, x-ms-retry-after-ms or Retry-After (seconds or a date). */
export function retryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | null {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = Number(headers[name]);
    if (headers[name] !== undefined && Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers['retry-after'];
  if (ra === undefined) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export async function sendWithRetry(req: HttpRequest, opts: HttpClientOptions, signal: AbortSignal): Promise<HttpResult> {
  for (let attempt = 1; ; attempt++) {
    let res: IncomingMessage;
    try {
      res = await sendOnce(req, opts, signal);
    } catch (err) {
      const code = err instanceof TransportError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'ERROR');
      if (signal.aborted || !RETRY_CODES.has(code) || attempt >= opts.retry.maxAttempts) {
        if (signal.aborted) throw err;
        throw new TransportError(code, (err as Error).message, attempt);
      }
      await opts.sleep(backoff(opts.retry, attempt), signal);
      continue;
    }
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      return { ok: true, status, headers: res.headers, body: idleGuard(res, opts.idleTimeoutMs), attempts: attempt };
    }
    const text = await readText(res, opts.idleTimeoutMs);
    if (RETRY_STATUSES.has(status) && attempt < opts.retry.maxAttempts) {
      const asked = retryAfterMs(res.headers);
      if (asked === null || asked <= opts.retry.maxDelayMs) {
        await opts.sleep(asked ?? backoff(opts.retry, attempt), signal);
        continue;
      }
    }
    return { ok: false, status, headers: res.headers, text, attempts: attempt };
  }
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

function sendOnce(req: HttpRequest, opts: HttpClientOptions, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const r = https.request(req.url, {
      method: req.method,
      agent: opts.agent,
      signal,
      headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    });
    // Until the headers arrive; the body has its own guard (see idleGuard), which pauses while we write rows.
    r.setTimeout(opts.idleTimeoutMs, () =>
      r.destroy(new TransportError('TIMEOUT', `no response within ${opts.idleTimeoutMs} ms`, 1)),
    );
    r.on('response', (res) => {
      r.setTimeout(0);
      resolve(res);
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** The body as chunks; fails if the server sends nothing for `idleMs` while we are waiting for it. */
async function* idleGuard(res: IncomingMessage, idleMs: number): AsyncGenerator<Buffer> {
  const it = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TransportError('TIMEOUT', `the response stalled for ${idleMs} ms`, 1)), idleMs);
      });
      try {
        const next = await Promise.race([it.next(), stalled]);
        if (next.done) return;
        yield next.value;
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    res.destroy();
  }
}

async function readText(res: IncomingMessage, idleMs: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of idleGuard(res, idleMs)) {
    if (size < MAX_ERROR_BODY) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY);
}
