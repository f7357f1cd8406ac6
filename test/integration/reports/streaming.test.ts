import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { writeExport } from '../../../engine/reports/export.js';
import { openTestEngine, writeTempFile } from '../../helpers/engine.js';

let engine: Engine | undefined;
afterEach(() => engine?.close());

/** A slow consumer that keeps only sizes: every write waits a turn, so the exporter must respect backpressure. */
function slowSink(): { out: Writable; writes: number[]; drains: () => number } {
  const writes: number[] = [];
  let drains = 0;
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.length);
      setImmediate(done);
    },
  });
  out.on('drain', () => drains++);
  return { out, writes, drains: () => drains };
}

describe('large exports', () => {
  it('stream rows in bounded chunks with backpressure instead of building the file in memory', async () => {
    engine = await openTestEngine();
    const lines = ['TimeGenerated,Account,Detail'];
    const pad = 'x'.repeat(120);
    for (let i = 0; i < 40_000; i++) lines.push(`${new Date(Date.UTC(2026, 0, 5) + i * 1000).toISOString()},user${i % 500}@contoso.example,${pad}${i}`);
    await engine.importLogs({ file: writeTempFile('big.csv', `${lines.join('\n')}\n`), table: 'Big' });
    const hunt = engine.hunts.save({ name: 'everything', language: 'sql', connection: 'local', query: 'SELECT * FROM Big' });
    const run = await engine.runner.run({ hunt: hunt.id });
    expect(run.rowCount).toBe(40_000);

    for (const format of ['csv', 'jsonl', 'timesketch'] as const) {
      const sink = slowSink();
      const reader = engine.openReader();
      try {
        const outcome = await writeExport({ db: reader, clock: engine.clock }, { kind: 'run', runId: run.id }, format, sink.out);
        expect(outcome.rows).toBe(40_000);
      } finally {
        reader.close();
      }
      const total = sink.writes.reduce((a, b) => a + b, 0);
      expect(total, format).toBeGreaterThan(5_000_000);
      // Many writes of about 64 KiB each, none holding more than a chunk and a row.
      expect(sink.writes.length, format).toBeGreaterThan(60);
      expect(Math.max(...sink.writes), format).toBeLessThan(128 * 1024);
      expect(sink.drains(), format).toBeGreaterThan(10);
    }
  });
});
