import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import type { ExportProgressEvent, ReportExportResult } from '../../../engine/reports/api.js';
import { setPdfPrinter } from '../../../engine/reports/pdf.js';
import { openTestEngine, writeTempFile } from '../../helpers/engine.js';
import { tempDir } from '../../helpers/temp-dir.js';

let engine: Engine | undefined;
afterEach(() => engine?.close());

const ROWS = 40_000;

/** A run of 40,000 rows (about 6 MB as CSV: many 64 KiB chunks), and the export events the engine emits. */
async function bigRun(): Promise<{ e: Engine; runId: number; events: ExportProgressEvent[]; call: ReturnType<typeof createDispatcher> }> {
  const e = await openTestEngine();
  engine = e;
  const lines = ['TimeGenerated,Account,Detail'];
  for (let i = 0; i < ROWS; i++) lines.push(`${new Date(Date.UTC(2026, 0, 5) + i * 1000).toISOString()},user${i % 500}@contoso.example,${'x'.repeat(120)}${i}`);
  await e.importLogs({ file: writeTempFile('big.csv', `${lines.join('\n')}\n`), table: 'Big' });
  const hunt = e.hunts.save({ name: 'everything', language: 'sql', connection: 'local', query: 'SELECT * FROM Big' });
  const run = await e.runner.run({ hunt: hunt.id });
  expect(run.rowCount).toBe(ROWS);
  const events: ExportProgressEvent[] = [];
  e.events.on('export.progress', (p: ExportProgressEvent) => events.push(p));
  return { e, runId: run.id, events, call: createDispatcher(e) };
}

describe('export progress and cancel', () => {
  it('reports rows written of the run’s rows while a CSV export streams', async () => {
    const { runId, events, call } = await bigRun();
    const file = path.join(tempDir('quarry-export-'), 'rows.csv');
    const result = (await call('reports.export', { target: { runId }, format: 'csv', path: file, exportId: 'csv-1' })) as ReportExportResult;
    expect(result.rows).toBe(ROWS);
    expect(events[0]).toEqual({ exportId: 'csv-1', phase: 'preparing', rows: 0, total: null });
    const rows = events.filter((p) => p.phase === 'rows');
    expect(rows.length).toBeGreaterThan(0);
    for (const p of rows) expect(p).toMatchObject({ exportId: 'csv-1', total: ROWS });
    const counts = rows.map((p) => p.rows);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(Math.max(...counts)).toBeLessThanOrEqual(ROWS);
  });

  it('stops a CSV export when cancelled and leaves no file, whole or partial', async () => {
    const { runId, events, call } = await bigRun();
    const dir = tempDir('quarry-export-');
    const file = path.join(dir, 'rows.csv');
    const cancelled: Array<Promise<unknown>> = [];
    events.push = (p: ExportProgressEvent): number => {
      if (p.phase === 'rows' && !cancelled.length) cancelled.push(call('reports.cancel', { exportId: 'csv-2' }));
      return Array.prototype.push.call(events, p);
    };
    await expect(call('reports.export', { target: { runId }, format: 'csv', path: file, exportId: 'csv-2' })).rejects.toMatchObject({ code: 'cancelled' });
    expect(await cancelled[0]).toEqual({ cancelled: true });
    expect(fs.readdirSync(dir)).toEqual([]);
    // Stopped early: no progress event claims the whole run was written.
    expect(Math.max(...events.filter((p) => p.phase === 'rows').map((p) => p.rows))).toBeLessThan(ROWS);
    // The id is free again, and an unknown id cancels nothing.
    expect(await call('reports.cancel', { exportId: 'csv-2' })).toEqual({ cancelled: false });
    const again = (await call('reports.export', { target: { runId }, format: 'jsonl', path: path.join(dir, 'rows.jsonl'), exportId: 'csv-2' })) as ReportExportResult;
    expect(again.rows).toBe(ROWS);
  });

  it('a PDF cancelled while it prints is not written', async () => {
    const { e, runId, events, call } = await bigRun();
    const dir = tempDir('quarry-export-');
    let printed = 0;
    setPdfPrinter(e, async () => {
      printed++;
      expect(await call('reports.cancel', { exportId: 'pdf-1' })).toEqual({ cancelled: true });
      return Buffer.from('%PDF-1.7\n%%EOF\n');
    });
    await expect(call('reports.export', { target: { runId }, format: 'pdf', path: path.join(dir, 'report.pdf'), exportId: 'pdf-1' })).rejects.toMatchObject({ code: 'cancelled' });
    expect(printed).toBe(1);
    expect(events.map((p) => p.phase)).toEqual(['preparing', 'rendering', 'printing', 'cancelling']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
