import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { BenchFigure } from './figure.js';
import { benchDir, medianMs } from './util.js';
import { openStore } from '../../engine/store/db.js';
import { insertRun } from '../../engine/runs/run-repo.js';
import { ResultWriter } from '../../engine/runs/result-store.js';
import type { ResultColumn } from '../../engine/types.js';
import { stopWriterThread } from '../../engine/runs/writer-thread.js';
import type { PackedRowSink } from '../../connectors/sources/types.js';
import { readLogsResponse } from '../../connectors/sources/log-analytics/read-response.js';

/**
 * A 500,000-row Log Analytics response (the service's row limit; ~90 MB,
 * near its ~100 MB size limit) read the way the source reads a response
 * body, in 64 KiB chunks: parsed, typed and stored with ResultWriter, against
 * JSON.parse of the same bytes. Peak memory of both is in the note.
 */

const ROWS = 500_000;
const CHUNK = 1 << 16;

const columns = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'UserPrincipalName', type: 'string' },
  { name: 'IPAddress', type: 'string' },
  { name: 'ResultType', type: 'string' },
  { name: 'AppDisplayName', type: 'string' },
  { name: 'IsInteractive', type: 'bool' },
  { name: 'DurationMs', type: 'long' },
  { name: 'RiskScore', type: 'real' },
  { name: 'CorrelationId', type: 'guid' },
  { name: 'LocationDetails', type: 'dynamic' },
];

/** SigninLogs-like rows as the service writes them (dynamic as JSON text, datetimes with 100 ns digits). */
function makeBody(): Buffer {
  const parts: string[] = [`{"tables":[{"name":"PrimaryResult","columns":${JSON.stringify(columns)},"rows":[`];
  for (let i = 0; i < ROWS; i++) {
    const row = [
      `2026-01-0${1 + (i % 7)}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}.${String(i % 9999999).padStart(7, '0')}Z`,
      `user${i % 997}@contoso.com`,
      `10.${i % 255}.${i % 7}.${i % 250}`,
      i % 5 ? '0' : '50126',
      i % 3 ? 'Microsoft Teams' : 'Office 365 Exchange Online',
      i % 2 === 0,
      i * 13,
      (i % 1000) / 7,
      `0b2f8a6e-1c4d-4f7a-9a1b-${String(i).padStart(12, '0')}`,
      JSON.stringify({ city: 'Berlin', countryOrRegion: 'DE', lat: 52.52 }),
    ];
    parts.push((i ? ',' : '') + JSON.stringify(row));
  }
  parts.push(']}]}');
  return Buffer.from(parts.join(''));
}

/** The body as a socket delivers it: chunk by chunk, each in its own turn of the event loop. */
async function* chunks(body: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += CHUNK) {
    await new Promise((resolve) => setImmediate(resolve));
    yield body.subarray(i, i + CHUNK);
  }
}

/** A full GC, so each memory reading starts from what is really live (bench.mjs runs without --expose-gc). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Peak RSS and heap growth over the start while `fn` runs, in MiB. */
async function peakMemory(fn: () => Promise<unknown>): Promise<{ rss: number; heap: number }> {
  collectGarbage();
  const start = process.memoryUsage();
  let rss = start.rss;
  let heap = start.heapUsed;
  const sample = (): void => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 10);
  try {
    await fn();
    sample();
  } finally {
    clearInterval(timer);
  }
  return { rss: (rss - start.rss) / 2 ** 20, heap: (heap - start.heapUsed) / 2 ** 20 };
}

const noWarnings = (m: string): void => {
  throw new Error(`unexpected warning: ${m}`);
};

export default async function logAnalyticsBench(): Promise<BenchFigure[]> {
  const body = makeBody();
  const mb = body.length / 2 ** 20;
  const dir = benchDir('la');
  const signal = new AbortController().signal;
  let stored = 0;
  // One store for every run, as in a running engine: its writer thread, started by the first run, stays up.
  const db = openStore(dir);

  const parseStore = async (): Promise<void> => {
    const runId = insertRun(db, { huntId: 'h', huntName: 'bench', connection: 'la', language: 'kql', query: 'SigninLogs', parameters: {}, startedAt: new Date().toISOString() });
    const writer = new ResultWriter(db, runId);
    const sink: PackedRowSink = {
      setColumns: (c: ResultColumn[]) => writer.setColumns(c),
      writePacked: (batch) => writer.writePacked(batch),
      warn: noWarnings,
    };
    await readLogsResponse(chunks(body), { connectionName: 'bench', signal }, sink);
    await writer.flushed();
    stored = writer.rowCount;
  };
  let parsedRows = 0;
  const parseOnly = async (): Promise<void> => {
    parsedRows = 0;
    const sink: PackedRowSink = { setColumns: () => undefined, writePacked: async (batch) => void (parsedRows += batch.rows), warn: noWarnings };
    await readLogsResponse(chunks(body), { connectionName: 'bench', signal }, sink);
  };
  let jsonRows = 0;
  const jsonParse = async (): Promise<void> => {
    jsonRows = (JSON.parse(body.toString('utf8')) as { tables: Array<{ rows: unknown[] }> }).tables[0]!.rows.length;
  };

  // The engine's writer thread is up before anything is measured, as in a running app.
  await parseStore();
  // Memory first, each on its own, before the timing runs leave garbage around.
  const memQuarry = await peakMemory(parseStore);
  const memJson = await peakMemory(jsonParse);
  const quarry = await medianMs(3, parseStore);
  const parse = await medianMs(3, parseOnly);
  const json = await medianMs(3, jsonParse);
  stopWriterThread(db);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (stored !== ROWS || parsedRows !== ROWS || jsonRows !== ROWS) throw new Error(`row counts differ: stored ${stored}, parsed ${parsedRows}, JSON.parse ${jsonRows}`);

  const rate = (ms: number): number => ROWS / (ms / 1000);
  const mem = `peak growth: Quarry RSS ${memQuarry.rss.toFixed(0)} MiB / heap ${memQuarry.heap.toFixed(0)} MiB, JSON.parse RSS ${memJson.rss.toFixed(0)} MiB / heap ${memJson.heap.toFixed(0)} MiB`;
  return [
    {
      name: `Log Analytics 500k-row response (${mb.toFixed(0)} MB) parsed + stored`,
      value: rate(quarry),
      unit: 'rows/s',
      baselineName: 'JSON.parse of the same body',
      baselineValue: rate(json),
      ratio: json / quarry,
      target: 0.4,
      note: `${quarry.toFixed(0)} ms vs ${json.toFixed(0)} ms; parsing+typing alone ${parse.toFixed(0)} ms, the rest is waiting for the writer thread; ${mem}`,
    },
    {
      name: 'Log Analytics 500k-row response parsed + typed (no store)',
      value: rate(parse),
      unit: 'rows/s',
      baselineName: 'JSON.parse of the same body',
      baselineValue: rate(json),
      ratio: json / parse,
      note: 'streaming scanner + batched JSON.parse + column conversion + packing, batches handed to a sink that keeps nothing',
    },
  ];
}
