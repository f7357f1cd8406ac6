import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TdsTestServer } from '../fakes/tds/index.js';
import { collect, fakeSource, seedNumbers, startFake, until } from './helpers.js';

const ROWS = 100_000;
const BATCH = 2000;
/** Wide rows (~420 bytes on the wire) so the result is far larger than what socket buffers can hold. */
const WIDTH = 200;

describe('streaming a large result from SQL Server', () => {
  let server: TdsTestServer;

  beforeAll(async () => {
    server = await startFake();
    seedNumbers(server, 'events', ROWS, WIDTH);
  });

  afterAll(async () => {
    await server.close();
  });

  it('delivers 100k rows complete and in order, in batches, holding the server back while the store is busy', async () => {
    const source = fakeSource(server, { options: { batchRows: BATCH } });
    const waitsBefore = server.stats.backpressureWaits;
    const sentBefore = server.stats.rowsSent;
    let sentWhileBlocked = -1;
    try {
      const out = await collect(source, 'SELECT id, name FROM events ORDER BY id', {
        onBatch: async (_rows, collected) => {
          if (collected.batches.length !== 1) return;
          // The store "stalls" on the first batch: the source must stop reading, so the server's socket fills
          // and it has to wait, long before it has sent the whole 40 MB result.
          await until(() => server.stats.backpressureWaits > waitsBefore, 'the server to feel backpressure');
          sentWhileBlocked = server.stats.rowsSent - sentBefore;
        },
      });
      expect(sentWhileBlocked).toBeGreaterThan(0);
      expect(sentWhileBlocked).toBeLessThan(ROWS / 2);
      expect(out.rows).toHaveLength(ROWS);
      out.rows.forEach((row, i) => {
        if (row[0] !== i + 1 || row[1] !== `row-${String(i + 1).padStart(WIDTH, '0')}`) throw new Error(`row ${i} is ${JSON.stringify(row)}`);
      });
      // Never more than one batch in the store at a time, and no batch larger than asked for.
      expect(out.maxInFlight).toBe(1);
      expect(Math.max(...out.batches)).toBeLessThanOrEqual(BATCH);
      expect(out.batches.reduce((a, b) => a + b, 0)).toBe(ROWS);
    } finally {
      await source.close();
    }
  });

  it('reads a response split into many packets of a small negotiated size', async () => {
    const small = await startFake({ packetSize: 512, columnTypes: { notes: { body: 'nvarchar(max)' } } });
    try {
      seedNumbers(small, 'events', 5000);
      small.db.exec('CREATE TABLE notes (body)');
      small.db.prepare('INSERT INTO notes VALUES (?)').run(`${'n'.repeat(3000)}end`);
      const source = fakeSource(small);
      try {
        const out = await collect(source, 'SELECT id, name FROM events ORDER BY id');
        expect(out.rows).toHaveLength(5000);
        expect(out.rows.at(-1)).toEqual([5000, 'row-5000']);
        const notes = await collect(source, 'SELECT body FROM notes');
        expect(notes.rows).toEqual([[`${'n'.repeat(3000)}end`]]);
      } finally {
        await source.close();
      }
      expect(small.stats.logins.every((l) => l.packetSize === 512)).toBe(true);
      expect(small.stats.largestPacket).toBeLessThanOrEqual(512);
      expect(small.stats.packets).toBeGreaterThan(100);
    } finally {
      await small.close();
    }
  });
});
