import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TdsTestServer } from '../fakes/tds/index.js';
import type { Source } from '../../../connectors/sources/types.js';
import { collect, failure, fakeSource, seedNumbers, startFake, until } from './helpers.js';

const ROWS = 100_000;

let server: TdsTestServer;
let source: Source;

beforeEach(async () => {
  // A slow server: a pause after every 500 rows, so a cancel lands mid-stream.
  server = await startFake({ slow: { everyRows: 500, delayMs: 5 } });
  seedNumbers(server, 'events', ROWS);
  source = fakeSource(server, { options: { batchRows: 1000 } });
});

afterEach(async () => {
  await source.close();
  await server.close();
});

describe('cancelling a SQL Server hunt', () => {
  it('stops mid-stream with an attention, reports "cancelled", and the connection keeps working', async () => {
    const controller = new AbortController();
    const err = await failure(
      collect(source, 'SELECT id, name FROM events ORDER BY id', {
        signal: controller.signal,
        onBatch: (_rows, collected) => {
          if (collected.batches.length === 2) controller.abort();
        },
      }),
    );
    expect(err.code).toBe('cancelled');
    expect(err.message).toBe('the run was cancelled');
    expect(server.stats.attentions).toBe(1);
    // The server stopped streaming rather than sending all of it.
    expect(server.stats.rowsSent).toBeLessThan(ROWS);

    // Same pooled connection (no new sign-in), back in a usable state after the attention acknowledgement.
    const signIns = server.stats.logins.length;
    server.setSlow(undefined);
    const after = await collect(source, 'SELECT COUNT(*) AS n, MAX(id) AS top FROM events');
    expect(after.rows).toEqual([[ROWS, ROWS]]);
    expect(server.stats.logins).toHaveLength(signIns);
  });

  it('cancels while the store is still writing a batch', async () => {
    const controller = new AbortController();
    const err = await failure(
      collect(source, 'SELECT id FROM events', {
        signal: controller.signal,
        onBatch: async () => {
          // The source is paused on this batch; the hunter cancels meanwhile.
          controller.abort();
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      }),
    );
    expect(err.code).toBe('cancelled');
    await until(() => server.stats.attentions === 1, 'the attention to reach the server');
    expect((await collect(source, 'SELECT 1 AS ok')).rows).toEqual([[1]]);
  });

  it('cancels a query that has not produced a row yet', async () => {
    const controller = new AbortController();
    const run = collect(source, "WAITFOR DELAY '00:01:00'; SELECT id FROM events", { signal: controller.signal });
    await until(() => server.stats.queries.some((q) => q.sql.startsWith('WAITFOR')), 'the query to reach the server');
    controller.abort();
    expect((await failure(run)).code).toBe('cancelled');
    expect(server.stats.attentions).toBe(1);
    expect((await collect(source, 'SELECT 1 AS ok')).rows).toEqual([[1]]);
  });

  it('does not start a run that was cancelled before it began', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await failure(collect(source, 'SELECT id FROM events', { signal: controller.signal }));
    expect(err.code).toBe('cancelled');
    expect(server.stats.queries.filter((q) => q.sql.includes('FROM events'))).toEqual([]);
  });
});
