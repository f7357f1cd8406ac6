import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import type { StoredValue } from '../../../engine/types.js';
import { openTestEngine } from '../../helpers/engine.js';
import { ResultWriter, readRows, resultsTableName } from '../../../engine/runs/result-store.js';
import { finishRun, insertRun } from '../../../engine/runs/run-repo.js';

let engine: Engine;
afterEach(() => engine?.close());

const ROWS = 12_000;
const row = (i: number): StoredValue[] => [i, `user${i % 50}`, i % 3 ? 4625 : 4624];

/** A stored result written the way the runner writes it, left running or finished. */
function storedRun(rows: number, finish: boolean): { runId: number; writer: ResultWriter } {
  const runId = insertRun(engine.db, { huntId: 'h', huntName: 'pages', connection: 'local', language: 'sql', query: 'x', parameters: {}, startedAt: new Date().toISOString() });
  const writer = new ResultWriter(engine.db, runId);
  writer.setColumns([{ name: 'N', type: 'long' }, { name: 'Account', type: 'string' }, { name: 'EventID', type: 'long' }]);
  for (let i = 0; i < rows; i += 1000) writer.write(Array.from({ length: Math.min(1000, rows - i) }, (_, k) => row(i + k)));
  if (finish) finishRun(engine.db, runId, { status: 'succeeded', endedAt: new Date(), rowCount: writer.rowCount, warnings: [] });
  return { runId, writer };
}

/** The page as plain LIMIT/OFFSET over the table reads it: what every fast path must agree with. */
const reference = (runId: number, offset: number, limit: number): StoredValue[][] =>
  engine.db.prepare(`SELECT * FROM ${resultsTableName(runId)} ORDER BY rowid LIMIT ? OFFSET ?`).raw(true).all(limit, offset) as StoredValue[][];

describe('pages of a stored result', () => {
  it('gives the same pages and totals at any offset, sorted, filtered or not', async () => {
    engine = await openTestEngine();
    const { runId } = storedRun(ROWS, true);
    for (const offset of [0, 1, 199, 5_000, 11_990, 11_999, 12_000, 13_000]) {
      const page = readRows(engine.db, runId, { offset, limit: 200 });
      expect(page.total).toBe(ROWS);
      expect(page.rows, `offset ${offset}`).toEqual(reference(runId, offset, 200));
    }
    expect(readRows(engine.db, runId, { offset: 11_990, limit: 200 }).rows.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, k) => 11_990 + k));
    // Each filter keeps its own total, asked in any order and again.
    const logons = { filters: [{ column: 'EventID', op: 'eq' as const, value: 4624 }] };
    const failures = { filters: [{ column: 'EventID', op: 'eq' as const, value: 4625 }] };
    for (let pass = 0; pass < 2; pass++) {
      expect(readRows(engine.db, runId, { ...logons, limit: 1 }).total).toBe(4_000);
      expect(readRows(engine.db, runId, { ...failures, limit: 1 }).total).toBe(8_000);
      expect(readRows(engine.db, runId, { limit: 1 }).total).toBe(ROWS);
    }
    expect(readRows(engine.db, runId, { ...failures, offset: 2, limit: 2 }).rows.map((r) => r[0])).toEqual([4, 5]);
    expect(readRows(engine.db, runId, { sort: { column: 'N', descending: true }, offset: 1, limit: 2 }).rows.map((r) => r[0])).toEqual([11_998, 11_997]);
  });

  it('reads a result with a gap in its rowids by position, not by rowid', async () => {
    engine = await openTestEngine();
    const { runId } = storedRun(1_000, true);
    engine.db.prepare(`DELETE FROM ${resultsTableName(runId)} WHERE rowid = 3`).run(); // N = 2 is gone: the 11th row left is N = 11, while rowid 11 holds N = 10
    const page = readRows(engine.db, runId, { offset: 10, limit: 3 });
    expect(page.total).toBe(999);
    expect(page.rows.map((r) => r[0])).toEqual([11, 12, 13]);
  });

  it('counts a result still being written afresh on every read', async () => {
    engine = await openTestEngine();
    const { runId, writer } = storedRun(500, false);
    expect(readRows(engine.db, runId, { limit: 1 }).total).toBe(500);
    writer.write(Array.from({ length: 300 }, (_, k) => row(500 + k)));
    expect(readRows(engine.db, runId, { offset: 790, limit: 50 })).toEqual({ total: 800, rows: reference(runId, 790, 50) });
    finishRun(engine.db, runId, { status: 'succeeded', endedAt: new Date(), rowCount: writer.rowCount, warnings: [] });
    expect(readRows(engine.db, runId, { offset: 799, limit: 5 }).rows.map((r) => r[0])).toEqual([799]);
  });
});
