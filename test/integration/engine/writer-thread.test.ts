import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import type { StoredValue } from '../../../engine/types.js';
import { ResultWriter, readRows, resultsTableName } from '../../../engine/runs/result-store.js';
import { insertRun } from '../../../engine/runs/run-repo.js';
import { packRows } from '../../../engine/runs/packed-rows.js';
import { setWriterThreadIdleMs } from '../../../engine/runs/writer-thread.js';
import { migrate } from '../../../engine/store/migrations.js';
import type { Db } from '../../../engine/store/db.js';
import { openTestEngine } from '../../helpers/engine.js';
import { MemorySecretStore } from '../../../engine/secrets/secret-store.js';
import { PASSWORD, fakeSettings, seedNumbers, startFake } from '../sql-server/helpers.js';

let engine: Engine | undefined;
afterEach(() => {
  engine?.close();
  engine = undefined;
});

const row = (i: number): StoredValue[] => [i, `user${i % 97}@contoso.com`, i % 5 ? null : 'héllo', BigInt(i) * 2n ** 40n];
const rowsFrom = (start: number, n: number): StoredValue[][] => Array.from({ length: n }, (_, k) => row(start + k));

function newWriter(db: Db): ResultWriter {
  const runId = insertRun(db, { huntId: 'h', huntName: 'writer thread', connection: 'sql', language: 'tsql', query: 'x', parameters: {}, startedAt: new Date().toISOString() });
  const writer = new ResultWriter(db, runId);
  writer.setColumns([{ name: 'N', type: 'long' }, { name: 'Account', type: 'string' }, { name: 'Note', type: 'string' }, { name: 'Big', type: 'long' }]);
  return writer;
}

const stored = (db: Db, runId: number): StoredValue[][] =>
  db.prepare(`SELECT * FROM ${resultsTableName(runId)} ORDER BY rowid`).safeIntegers(false).raw(true).all() as StoredValue[][];

describe('the store writer thread', () => {
  it('stores a large packed result on its own thread, complete, in order and readable from the engine', async () => {
    engine = await openTestEngine();
    const writer = newWriter(engine.db);
    const batches = 20;
    for (let b = 0; b < batches; b++) {
      await writer.writePacked(packRows(rowsFrom(b * 2500, 2500), 4));
      if (b === 0) expect(await writer.threadStarted()).toBe(true);
    }
    await writer.flushed();
    expect(writer.rowCount).toBe(batches * 2500);
    // The first batch is written here while the thread starts; the rest go to the thread.
    expect(writer.threadBatches).toBe(batches - 1);
    const all = engine.db.prepare(`SELECT * FROM ${resultsTableName(writer.runId)} ORDER BY rowid`).safeIntegers(true).raw(true).all() as unknown[][];
    expect(all).toHaveLength(batches * 2500);
    all.forEach((r, i) => {
      const want = row(i);
      if (r[0] !== i || r[1] !== want[1] || r[2] !== want[2] || r[3] !== want[3]) throw new Error(`row ${i} is ${r.map((v) => `${typeof v} ${String(v)}`).join(", ")}`);
    });
    expect(readRows(engine.db, writer.runId, { offset: 49_990, limit: 5 }).rows.map((r) => r[0])).toEqual([49_990, 49_991, 49_992, 49_993, 49_994]);
  });

  it('writes small results on the engine thread without starting the writer thread', async () => {
    engine = await openTestEngine();
    const writer = newWriter(engine.db);
    await writer.writePacked(packRows(rowsFrom(0, 10), 4));
    await writer.writePacked(packRows(rowsFrom(10, 5), 4));
    await writer.flushed();
    expect(writer.threadBatches).toBe(0);
    expect(stored(engine.db, writer.runId).map((r) => r[0])).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });

  it('writes everything on the engine thread for a store no other connection can open', async () => {
    const db = new Database(':memory:');
    migrate(db);
    try {
      const writer = newWriter(db);
      for (let b = 0; b < 4; b++) await writer.writePacked(packRows(rowsFrom(b * 3000, 3000), 4));
      expect(await writer.threadStarted()).toBe(false);
      await writer.flushed();
      expect(writer.threadBatches).toBe(0);
      expect(stored(db, writer.runId)).toHaveLength(12_000);
    } finally {
      db.close();
    }
  });

  it('fails the result when the thread cannot store a batch, and discards what was written', async () => {
    engine = await openTestEngine();
    const writer = newWriter(engine.db);
    await writer.writePacked(packRows(rowsFrom(0, 2500), 4));
    await writer.threadStarted();
    for (let b = 1; b < 3; b++) await writer.writePacked(packRows(rowsFrom(b * 2500, 2500), 4));
    await writer.flushed();
    expect(writer.threadBatches).toBe(2);
    // The table goes away behind the writer's back: the thread's next insert fails.
    engine.db.exec(`DROP TABLE ${resultsTableName(writer.runId)}`);
    const failed = (async () => {
      for (let b = 3; b < 8; b++) await writer.writePacked(packRows(rowsFrom(b * 2500, 2500), 4));
      await writer.flushed();
    })();
    await expect(failed).rejects.toThrow(/storing the result failed: no such table/);
    await writer.discard();
    expect(engine.db.prepare('SELECT results_table FROM runs WHERE id = ?').get(writer.runId)).toEqual({ results_table: null });
  });

  it('keeps the thread for a result whose rows pause for longer than the idle time, and stops it once idle', async () => {
    setWriterThreadIdleMs(50);
    try {
      engine = await openTestEngine();
      const writer = newWriter(engine.db);
      await writer.writePacked(packRows(rowsFrom(0, 2500), 4));
      expect(await writer.threadStarted()).toBe(true);
      await writer.writePacked(packRows(rowsFrom(2500, 2500), 4));
      await new Promise((resolve) => setTimeout(resolve, 200)); // a slow server
      await writer.writePacked(packRows(rowsFrom(5000, 2500), 4));
      await writer.flushed();
      expect(writer.threadBatches).toBe(2);
      expect(stored(engine.db, writer.runId)).toHaveLength(7500);
      // Let go and idle, the thread stops; the next large result starts another.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const next = newWriter(engine.db);
      await next.writePacked(packRows(rowsFrom(0, 2500), 4));
      expect(await next.threadStarted()).toBe(true);
      await next.writePacked(packRows(rowsFrom(2500, 2500), 4));
      await next.flushed();
      expect(next.threadBatches).toBe(1);
    } finally {
      setWriterThreadIdleMs(60_000);
    }
  });

  it('refuses rows as arrays once a result went to the thread, so batches cannot overtake each other', async () => {
    engine = await openTestEngine();
    const writer = newWriter(engine.db);
    await writer.writePacked(packRows(rowsFrom(0, 2500), 4));
    await writer.threadStarted();
    await writer.writePacked(packRows(rowsFrom(2500, 2500), 4));
    await writer.flushed();
    expect(() => writer.write(rowsFrom(7500, 1))).toThrow(/after packed rows went to the writer thread/);
  });

  it('stores a T-SQL hunt\'s 60k-row result through the engine, and a failed one leaves nothing behind', async () => {
    const tds = await startFake();
    try {
      seedNumbers(tds, 'events', 60_000);
      engine = await openTestEngine({ secrets: new MemorySecretStore() });
      await engine.connections.add('sql-server', 'onprem', fakeSettings(tds), { password: PASSWORD });
      const hunt = engine.hunts.save({ name: 'all events', language: 'tsql', connection: 'onprem', query: 'SELECT id, name FROM events ORDER BY id' });
      const progress: number[] = [];
      engine.events.on('run.progress', (p: { rows: number }) => progress.push(p.rows));
      const run = await engine.runner.run({ hunt: hunt.id });
      expect(run.status).toBe('succeeded');
      expect(run.rowCount).toBe(60_000);
      expect(progress.at(-1)).toBe(60_000);
      const rows = stored(engine.db, run.id);
      expect(rows).toHaveLength(60_000);
      rows.forEach((r, i) => {
        if (r[0] !== i + 1 || r[1] !== `row-${i + 1}`) throw new Error(`row ${i} is ${String(r)}`);
      });

      // The batch fails after its rows were stored: the run fails and keeps none of them.
      const broken = engine.hunts.save({ name: 'breaks late', language: 'tsql', connection: 'onprem', query: "SELECT id, name FROM events ORDER BY id; THROW 51000, 'the hunt gave up', 1;" });
      const failed = await engine.runner.run({ hunt: broken.id });
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/the hunt gave up/);
      expect(failed.rowCount).toBe(0);
      expect(engine.db.prepare(`SELECT name FROM sqlite_master WHERE name = ?`).get(resultsTableName(failed.id))).toBeUndefined();
    } finally {
      await tds.close();
    }
  });
});
