import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../../engine/errors.js';
import type { Source } from '../../../connectors/sources/types.js';
import type { TdsTestServer } from '../fakes/tds/index.js';
import { PASSWORD, collect, failure, fakeSource, seedNumbers, startFake } from './helpers.js';

let server: TdsTestServer;
let source: Source;
const messages: string[] = [];

/** Every failure's message is kept, to check at the end that none carries the password. */
async function fails(p: Promise<unknown>): Promise<QuarryError> {
  const err = await failure(p);
  expect(err).toBeInstanceOf(QuarryError);
  messages.push(err.message);
  return err as QuarryError;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

beforeAll(async () => {
  server = await startFake();
  seedNumbers(server, 'events', 10);
  source = fakeSource(server);
});

afterAll(async () => {
  await source.close();
  await server.close();
  expect(messages.length).toBeGreaterThan(5);
  for (const m of messages) expect(m).not.toContain(PASSWORD);
});

describe('SQL Server source failures', () => {
  it('names an unknown host', async () => {
    const s = fakeSource(server, { settings: { server: 'no-such-sql.invalid', port: 1433, connectTimeoutMs: 3000 } });
    const err = await fails(s.test());
    expect(err.code).toBe('connection_failed');
    expect(err.message).toContain('could not find the host "no-such-sql.invalid" for connection "onprem-sql"');
  });

  it('says when nothing listens on the port', async () => {
    const closed = net.createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const s = fakeSource(server, { settings: { port } });
    const err = await fails(collect(s, 'SELECT 1'));
    expect(err.code).toBe('connection_failed');
    expect(err.message).toContain(`nothing accepted a connection at 127.0.0.1:${port} for connection "onprem-sql" (connection refused)`);
  });

  it('gives up on a port that accepts but never answers, within connectTimeoutMs', async () => {
    const silent = net.createServer(() => undefined);
    const port = await listen(silent);
    try {
      const s = fakeSource(server, { settings: { port, connectTimeoutMs: 500 } });
      const err = await fails(s.test());
      expect(err.code).toBe('connection_failed');
      expect(err.message).toContain(`SQL Server at 127.0.0.1:${port} did not answer connection "onprem-sql" within 500 ms (connectTimeoutMs)`);
    } finally {
      silent.close();
    }
  });

  it('reports a T-SQL syntax error with its SQL Server error number and line', async () => {
    const err = await fails(collect(source, 'SELECT id\nFROM events\nWHERE id = = 1'));
    expect(err.code).toBe('query_failed');
    expect(err.message).toBe(`the query on "onprem-sql" failed with SQL Server error 102 at line 3: Incorrect syntax near '='.`);
  });

  it('reports an unknown table as error 208', async () => {
    const err = await fails(collect(source, 'SELECT TOP (5) * FROM SigninLogs'));
    expect(err.message).toContain("SQL Server error 208 at line 1: Invalid object name 'SigninLogs'.");
  });

  it('passes on errors the batch raises itself', async () => {
    const err = await fails(collect(source, "SELECT 1;\nTHROW 50001, N'hunt aborted: missing table', 1"));
    expect(err.message).toContain('SQL Server error 50001 at line 2: hunt aborted: missing table');
  });

  it('cancels a query that runs past the run timeout, and the connection keeps working', async () => {
    const attentions = server.stats.attentions;
    const err = await fails(collect(source, "WAITFOR DELAY '00:00:30'; SELECT 1", { timeoutMs: 300 }));
    expect(err.code).toBe('query_failed');
    expect(err.message).toBe('the query on "onprem-sql" did not finish within 300 ms and was cancelled');
    expect(server.stats.attentions).toBe(attentions + 1);
    const after = await collect(source, 'SELECT COUNT(*) AS n FROM events');
    expect(after.rows).toEqual([[10]]);
  });

  it('uses the connection requestTimeoutMs when the run gives none', async () => {
    const s = fakeSource(server, { settings: { requestTimeoutMs: 250 } });
    try {
      const err = await fails(collect(s, "WAITFOR DELAY '00:00:30'"));
      expect(err.message).toContain('did not finish within 250 ms');
    } finally {
      await s.close();
    }
  });

  it('refuses a hunt in another language', async () => {
    const err = await fails(
      source.run({ language: 'kql', query: 'SigninLogs | take 1', parameters: [], signal: new AbortController().signal }, {
        setColumns: () => undefined,
        writeRows: async () => undefined,
        writePacked: async () => undefined,
        warn: () => undefined,
      }),
    );
    expect(err.code).toBe('invalid_input');
  });
});
