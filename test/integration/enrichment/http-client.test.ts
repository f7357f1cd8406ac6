import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backoffDelay, createHttpClient, HttpTransportError, parseRetryAfter, type Sleep,
} from '../../../connectors/http/http-client.js';

/** A loopback server answering from a script: one entry per request, the last one repeated. */
async function scriptedServer(script: Array<{ status: number; headers?: Record<string, string>; body?: string; hang?: boolean }>) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const step = script[Math.min(seen.length - 1, script.length - 1)]!;
    if (step.hang) return;
    res.writeHead(step.status, step.headers);
    res.end(step.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms, signal) => { signal?.throwIfAborted(); waits.push(ms); } };
}

describe('connectors/http client', () => {
  it('retries 5xx with exponential backoff and jitter, then returns the answer', async () => {
    const srv = await scriptedServer([{ status: 503 }, { status: 502 }, { status: 200, body: '{"ok":true}' }]);
    const { sleep, waits } = recordingSleep();
    const client = createHttpClient({ sleep, random: () => 0.5, retry: { baseDelayMs: 100 } });
    const res = await client.request({ url: `${srv.url}/x` });
    expect(res).toMatchObject({ status: 200, text: '{"ok":true}', attempts: 3 });
    expect(waits).toEqual([75, 150]); // half the cap fixed, half jittered: 50+25, 100+50
  });

  it('waits exactly what Retry-After asks on a 429', async () => {
    const srv = await scriptedServer([{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }]);
    const { sleep, waits } = recordingSleep();
    const res = await createHttpClient({ sleep }).request({ url: srv.url });
    expect(res.status).toBe(200);
    expect(waits).toEqual([7000]);
  });

  it('hands a 429 back at once when the wait asked for is longer than it may wait, or when 429 is not retried', async () => {
    const srv = await scriptedServer([{ status: 429, headers: { 'retry-after': '3600' } }]);
    const { sleep, waits } = recordingSleep();
    const client = createHttpClient({ sleep });
    const long = await client.request({ url: srv.url });
    expect(long).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 3_600_000 });
    const notRetried = await client.request({ url: srv.url, retry: { retryStatuses: [503] } });
    expect(notRetried.attempts).toBe(1);
    expect(waits).toEqual([]);
  });

  it('gives up after the last attempt with the final response', async () => {
    const srv = await scriptedServer([{ status: 500, body: 'boom' }]);
    const { sleep } = recordingSleep();
    const res = await createHttpClient({ sleep, retry: { maxAttempts: 2 } }).request({ url: srv.url });
    expect(res).toMatchObject({ status: 500, text: 'boom', attempts: 2 });
    expect(srv.seen.length).toBe(2);
  });

  it('times out a silent server per attempt, and says where without the query string', async () => {
    const srv = await scriptedServer([{ status: 200, hang: true }]);
    const { sleep } = recordingSleep();
    const err = await createHttpClient({ sleep, retry: { maxAttempts: 2 } })
      .request({ url: `${srv.url}/slow?apikey=secret-in-query`, timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransportError);
    expect(err).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
    expect((err as Error).message).toBe(`GET ${srv.url}/slow: no complete response within 100 ms`);
  });

  it('reports a refused connection with its errno code', async () => {
    const srv = await scriptedServer([{ status: 200 }]);
    const port = new URL(srv.url).port;
    servers[0]!.closeAllConnections();
    await new Promise((r) => servers.shift()!.close(r));
    const { sleep } = recordingSleep();
    const err = await createHttpClient({ sleep }).request({ url: `http://127.0.0.1:${port}/` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'HttpTransportError', code: 'ECONNREFUSED', attempts: 3 });
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const srv = await scriptedServer([{ status: 200, hang: true }]);
    const controller = new AbortController();
    const { sleep, waits } = recordingSleep();
    const pending = createHttpClient({ sleep }).request({ url: srv.url, signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(new Error('hunter cancelled')), 20);
    await expect(pending).rejects.toThrow('hunter cancelled');
    expect(waits).toEqual([]);
  });

  it('does not follow redirects, so credentials in headers never travel to another host', async () => {
    const elsewhere = await scriptedServer([{ status: 200, body: 'stolen' }]);
    const srv = await scriptedServer([{ status: 302, headers: { location: `${elsewhere.url}/collect` } }]);
    const res = await createHttpClient().request({ url: srv.url, headers: { 'x-apikey': 'k' } });
    expect(res.status).toBe(302);
    expect(elsewhere.seen).toEqual([]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-10T12:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 10 Mar 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(backoffDelay({ baseDelayMs: 1000, maxDelayMs: 5000 }, 10, () => 1)).toBe(5000);
  });
});
