import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import { openTestEngine, writeTempFile } from '../../helpers/engine.js';

let engine: Engine;
afterEach(() => engine?.close());

// 3 rows in the 10:00 hour, 1 at 11:30, 2 at 12:59:59 (one of them with milliseconds), 1 with no time.
const csv = [
  'TimeGenerated,Account',
  '2026-01-05T10:00:00Z,alice',
  '2026-01-05T10:20:00Z,bob',
  '2026-01-05T10:40:00Z,alice',
  '2026-01-05T11:30:00Z,carol',
  '2026-01-05T12:59:59Z,alice',
  '2026-01-05T12:59:59.500Z,bob',
  ',dave',
].join('\n');

async function runAll(): Promise<number> {
  await engine.importLogs({ file: writeTempFile('t.csv', csv), table: 'T' });
  const hunt = engine.hunts.save({ name: 'all', language: 'sql', connection: 'local', query: 'SELECT TimeGenerated, Account FROM T' });
  const run = await engine.runner.run({ hunt: hunt.id });
  expect(run.status).toBe('succeeded');
  return run.id;
}

describe('runs.histogram', () => {
  it('counts rows per time bucket of the first datetime column, in SQLite', async () => {
    engine = await openTestEngine();
    const runId = await runAll();
    const call = createDispatcher(engine);
    const h = (await call('runs.histogram', { runId, buckets: 3 })) as { column: string; start: string; end: string; bucketMs: number; counts: number[] };
    expect(h.column).toBe('TimeGenerated');
    expect(h.start).toBe('2026-01-05T10:00:00.000Z');
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(6); // the row without a time is not on the timeline
    expect(h.counts).toEqual([3, 1, 2]);
    expect(Date.parse(h.end) - Date.parse(h.start)).toBe(h.bucketMs * h.counts.length);
  });

  it('applies the grid filters and rejects an unknown column', async () => {
    engine = await openTestEngine();
    const runId = await runAll();
    const call = createDispatcher(engine);
    const h = (await call('runs.histogram', { runId, buckets: 3, filters: [{ column: 'Account', op: 'eq', value: 'alice' }] })) as { counts: number[] };
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3);
    await expect(call('runs.histogram', { runId, column: 'Nope', buckets: 3 })).rejects.toThrow(/column in run .* not found: Nope/);
  });

  it('returns an empty timeline for a result without a datetime column', async () => {
    engine = await openTestEngine();
    await engine.importLogs({ file: writeTempFile('n.csv', 'A,B\nx,1\ny,2\n'), table: 'N' });
    const hunt = engine.hunts.save({ name: 'n', language: 'sql', connection: 'local', query: 'SELECT A, B FROM N' });
    const run = await engine.runner.run({ hunt: hunt.id });
    const h = await createDispatcher(engine)('runs.histogram', { runId: run.id });
    expect(h).toEqual({ column: null, start: null, end: null, bucketMs: 0, counts: [] });
  });
});
