import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SECRET, FORBIDDEN_WORKSPACE, oneApiError, startAzureFakes, type AzureFakes } from '../fakes/log-analytics/index.js';
import { collect, failure, laSource } from './helpers.js';

let fakes: AzureFakes;
beforeAll(async () => {
  fakes = await startAzureFakes();
});
afterAll(async () => {
  await fakes.close();
});

const table = { columns: [{ name: 'n', type: 'int' }], rows: [[1], [2]] };
const throttled = (headers: Record<string, string>) => ({
  status: 429,
  headers,
  body: oneApiError('ThrottledError', 'Your request was throttled. Please wait and try again.'),
});

/** Every failure names the connection and never carries the client secret. */
function expectClear(err: Error & { code?: string }, code: string): void {
  expect(err.name).toBe('QuarryError');
  expect(err.code).toBe(code);
  expect(err.message).toContain('"sentinel-prod"');
  expect(err.message).not.toContain(CLIENT_SECRET);
}

describe('Log Analytics failures', () => {
  it('reports a KQL syntax error with the innermost message and the position in the hunt', async () => {
    fakes.logs.on('| wher EventID', {
      status: 400,
      body: oneApiError('BadArgumentError', 'The request had some invalid properties', {
        code: 'SyntaxError',
        message: 'A recognition error occurred in the query.',
        innererror: { code: 'SYN0002', message: "Query could not be parsed at 'wher' on line [3,17]", line: 3, pos: 17, token: 'wher' },
      }),
    });
    // With one parameter, Quarry adds one line of `let` statements: line 3 of the request is line 2 of the hunt.
    const err = await failure(
      collect(laSource(fakes), 'SecurityEvent\n| wher EventID == 4625', { parameters: [{ name: 'min', type: 'int', value: 5 }] }),
    );
    expectClear(err, 'query_failed');
    expect(err.message).toContain("Query could not be parsed at 'wher' on line [2,17]");
    expect(err.message).toContain('(line 2, position 17)');
    expect(err.message).toContain('BadArgumentError/SYN0002');
    expect(fakes.logs.requests.filter((r) => r.body.query?.includes('| wher'))).toHaveLength(1); // not retried
  });

  it('explains a 401 from the query API as a sign-in problem', async () => {
    fakes.logs.on('Unauthorized', { status: 401, body: oneApiError('InvalidTokenError', 'The provided authentication is not valid for this resource') });
    const err = await failure(collect(laSource(fakes), 'Unauthorized'));
    expectClear(err, 'connection_failed');
    expect(err.message).toMatch(/did not accept the sign-in.*not valid for this resource.*HTTP 401/);
  });

  it('explains a 403 as no access to the workspace, naming it', async () => {
    const err = await failure(collect(laSource(fakes, { settings: { workspaceId: FORBIDDEN_WORKSPACE } }), 'SigninLogs'));
    expectClear(err, 'connection_failed');
    expect(err.message).toContain(`no access to workspace ${FORBIDDEN_WORKSPACE}`);
    expect(err.message).toContain('HTTP 403');
    expect(err.message).toContain('Log Analytics Reader');
  });

  it('reports a wrong client secret as a failed sign-in, without the secret', async () => {
    const wrong = 'Wrong~Secret.value-123';
    const err = await failure(collect(laSource(fakes, { secret: wrong }), 'SigninLogs'));
    expectClear(err, 'connection_failed');
    expect(err.message).toContain('AADSTS7000215');
    expect(err.message).not.toContain(wrong);
    expect(err.message).not.toMatch(/Trace ID|Correlation ID/);
  });

  it('says how to store a missing client secret', async () => {
    const err = await failure(collect(laSource(fakes, { secret: null }), 'SigninLogs'));
    expect(err.message).toMatch(/"sentinel-prod" signs in with a client secret, but none is set/);
  });

  it('retries 429 after the Retry-After the service asks for, then keeps the rows', async () => {
    const sleeps: number[] = [];
    fakes.logs.on('Throttled-then-ok', [throttled({ 'retry-after': '2' }), throttled({ 'retry-after-ms': '250' }), { table }]);
    const r = await collect(laSource(fakes, { sleeps }), 'Throttled-then-ok');
    expect(r.rows).toEqual([[1], [2]]);
    expect(sleeps).toEqual([2000, 250]);
    expect(fakes.logs.requests.filter((q) => q.body.query === 'Throttled-then-ok')).toHaveLength(3);
  });

  it('gives up on endless throttling with a clear message', async () => {
    const sleeps: number[] = [];
    fakes.logs.on('Always-throttled', throttled({ 'retry-after': '1' }));
    const err = await failure(collect(laSource(fakes, { sleeps, options: { retry: { maxAttempts: 3 } } }), 'Always-throttled'));
    expectClear(err, 'query_failed');
    expect(err.message).toMatch(/throttling .*HTTP 429 ThrottledError.*after 3 attempts/);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('retries a 503 with exponential backoff and jitter', async () => {
    const sleeps: number[] = [];
    const unavailable = { status: 503, body: oneApiError('ServiceUnavailableError', 'The service is temporarily unavailable') };
    fakes.logs.on('Flaky', [unavailable, unavailable, { table }]);
    const r = await collect(laSource(fakes, { sleeps, options: { retry: { baseDelayMs: 100 } } }), 'Flaky');
    expect(r.rows).toHaveLength(2);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('reports a 504 as the service time limit, without retrying the heavy query', async () => {
    fakes.logs.on('TooSlow', { status: 504, body: oneApiError('GatewayTimeout', 'The query exceeded the allowed execution time') });
    const err = await failure(collect(laSource(fakes, { settings: { serverTimeoutSeconds: 30 } }), 'TooSlow'));
    expectClear(err, 'query_failed');
    expect(err.message).toMatch(/ran past the service's time limit \(Prefer: wait=30\)/);
    expect(err.message).toContain('HTTP 504');
    expect(fakes.logs.requests.filter((q) => q.body.query === 'TooSlow')).toHaveLength(1);
  });

  it('times out a response that does not start within requestTimeoutMs', async () => {
    fakes.logs.on('Slow-start', { table, delayMs: 3000 });
    const err = await failure(collect(laSource(fakes, { settings: { requestTimeoutMs: 200 }, options: { retry: { maxAttempts: 1 } } }), 'Slow-start'));
    expectClear(err, 'query_failed');
    expect(err.message).toMatch(/did not answer "sentinel-prod" in time: no response within 200 ms/);
  });

  it('times out a body that stalls mid-way, keeping no partial rows', async () => {
    fakes.logs.on('Stalls', { table: { columns: table.columns, rows: Array.from({ length: 3000 }, (_, i) => [i]) }, chunkRows: 100, stallAfterRows: 1000 });
    const err = await failure(collect(laSource(fakes, { settings: { requestTimeoutMs: 300 } }), 'Stalls'));
    expectClear(err, 'query_failed');
    expect(err.message).toMatch(/stalled for 300 ms/);
  });

  it("honours the run's own timeout", async () => {
    fakes.logs.on('Run-deadline', { table, delayMs: 3000 });
    const err = await failure(collect(laSource(fakes), 'Run-deadline', { timeoutMs: 300 }));
    expectClear(err, 'query_failed');
    expect(err.message).toMatch(/did not finish within 300 ms/);
    expect(fakes.logs.requests.at(-1)!.prefer).toBe('wait=1');
  });

  it('cancels a running query', async () => {
    fakes.logs.on('Cancel-me', { table, delayMs: 3000 });
    const controller = new AbortController();
    const pending = collect(laSource(fakes), 'Cancel-me', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const err = await failure(pending);
    expect((err as { code?: string }).code).toBe('cancelled');
  });

  it('reports an unreachable endpoint as a connection failure', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await failure(collect(laSource(fakes, { settings: { endpoint: `https://127.0.0.1:${port}` } }), 'SigninLogs'));
    expectClear(err, 'connection_failed');
    expect(err.message).toMatch(new RegExp(`could not reach Log Analytics at https://127.0.0.1:${port}.*ECONNREFUSED`));
  });
});
