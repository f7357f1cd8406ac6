import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Connection as TediousConnection, Request as TediousRequest } from 'tedious';
import type { BenchFigure } from './figure.js';
import { benchDir } from './util.js';
import { openStore } from '../../engine/store/db.js';
import { insertRun } from '../../engine/runs/run-repo.js';
import { ResultWriter, resultsTableName } from '../../engine/runs/result-store.js';
import { stopWriterThread } from '../../engine/runs/writer-thread.js';
import type { Db } from '../../engine/store/db.js';
import { createSqlServerSource } from '../../connectors/sources/sql-server/sql-server-source.js';

/**
 * SQL Server rows per second through Quarry (mssql streaming, type mapping,
 * ResultWriter into a real store, through its writer thread) against raw
 * tedious counting the same rows from the same TDS test server in the same
 * run. Both sides connect, run the query and read every row. The fake runs in
 * a worker thread and replays the rows it encoded on the first query: a real
 * SQL Server encodes on its own machine, and on two cores the fake's encoding
 * would otherwise take the core Quarry stores on.
 */

const ROWS = 300_000;
const RUNS = 5;
const QUERY = 'SELECT id, TimeGenerated, UserPrincipalName, IPAddress, ResultType, IsInteractive, RiskScore, CorrelationId FROM bench_signins';
const LOGIN = { user: 'bench', password: 'Bench-Only-Pw1' };

const here = path.dirname(fileURLToPath(import.meta.url));

/** The worker: registers tsx, starts the fake with a row hook that makes up SigninLogs-like rows. Plain JS, run with eval. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsxApi);
  register();
  const { TdsTestServer } = await import(workerData.fake);
  const columns = [
    { name: 'id', type: 'bigint' }, { name: 'TimeGenerated', type: 'datetime2(7)' },
    { name: 'UserPrincipalName', type: 'nvarchar(100)' }, { name: 'IPAddress', type: 'nvarchar(45)' },
    { name: 'ResultType', type: 'int' }, { name: 'IsInteractive', type: 'bit' },
    { name: 'RiskScore', type: 'float' }, { name: 'CorrelationId', type: 'uniqueidentifier' },
  ];
  const users = Array.from({ length: 997 }, (_, i) => 'user' + i + '@contoso.com');
  const ips = Array.from({ length: 1000 }, (_, i) => '10.' + (i % 255) + '.' + (i % 7) + '.' + (i % 250));
  const start = Date.UTC(2026, 0, 1);
  const row = (i) => [
    i + 1, start + i * 1000, users[i % 997], ips[i % 1000], i % 5 ? 0 : 50126, i % 2, (i % 1000) / 7,
    '0b2f8a6e-1c4d-4f7a-9a1b-' + String(i).padStart(12, '0'),
  ];
  const server = await TdsTestServer.start({
    logins: { [workerData.user]: workerData.password },
    rowHook: (sql) => (/\\bbench_signins\\b/i.test(sql) ? { columns, rowCount: workerData.rows, row, replayKey: 'bench_signins' } : undefined),
  });
  parentPort.on('message', async () => {
    await server.close();
    parentPort.postMessage('closed');
  });
  parentPort.postMessage({ port: server.port });
})().catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

async function startFakeWorker(): Promise<{ port: number; stop(): Promise<void> }> {
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      // The ESM entry: tsx's CommonJS build cannot register its loader from inside a worker.
      tsxApi: import.meta.resolve('tsx/esm/api'),
      fake: pathToFileURL(path.join(here, '../integration/fakes/tds/index.ts')).href,
      rows: ROWS,
      ...LOGIN,
    },
  });
  const first = await new Promise<{ port?: number; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (!first.port) throw new Error(`the TDS test server did not start: ${first.error}`);
  return {
    port: first.port,
    async stop() {
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

async function quarryRun(port: number, db: Db, dir: string): Promise<Timing> {
  const runId = insertRun(db, { huntId: 'bench', huntName: 'bench', connection: 'bench-sql', language: 'tsql', query: QUERY, parameters: {}, startedAt: new Date().toISOString() });
  const writer = new ResultWriter(db, runId);
  const source = createSqlServerSource(
    {
      id: 'bench',
      name: 'bench-sql',
      kind: 'sql-server',
      settings: { server: '127.0.0.1', port, database: 'hunting', encrypt: false, user: LOGIN.user },
      createdAt: '',
      updatedAt: '',
    },
    { dataDir: dir, secret: async () => LOGIN.password },
  );
  const t0 = process.hrtime.bigint();
  const elu0 = performance.eventLoopUtilization();
  try {
    await source.run(
      { language: 'tsql', query: QUERY, parameters: [], signal: new AbortController().signal },
      {
        setColumns: (c) => writer.setColumns(c),
        writeRows: async (rows) => writer.write(rows),
        writePacked: (batch) => writer.writePacked(batch),
        warn: () => undefined,
      },
    );
    await writer.flushed();
  } finally {
    await source.close();
  }
  const timing = { ms: Number(process.hrtime.bigint() - t0) / 1e6, busyMs: performance.eventLoopUtilization(elu0).active };
  if (writer.rowCount !== ROWS) throw new Error(`Quarry stored ${writer.rowCount} of ${ROWS} rows`);
  const stored = (db.prepare(`SELECT count(*) AS n FROM ${resultsTableName(runId)}`).get() as { n: number }).n;
  if (stored !== ROWS) throw new Error(`the store holds ${stored} of ${ROWS} rows`);
  return timing;
}

async function rawTediousRun(port: number): Promise<Timing> {
  const t0 = process.hrtime.bigint();
  const elu0 = performance.eventLoopUtilization();
  const connection = new TediousConnection({
    server: '127.0.0.1',
    authentication: { type: 'default', options: { userName: LOGIN.user, password: LOGIN.password } },
    options: { port, database: 'hunting', encrypt: false, trustServerCertificate: true },
  });
  await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
  const rows = await new Promise<number>((resolve, reject) => {
    let n = 0;
    const request = new TediousRequest(QUERY, (err) => (err ? reject(err) : resolve(n)));
    request.on('row', () => n++);
    connection.execSql(request);
  });
  const timing = { ms: Number(process.hrtime.bigint() - t0) / 1e6, busyMs: performance.eventLoopUtilization(elu0).active };
  await new Promise<void>((resolve) => {
    connection.once('end', () => resolve());
    connection.close();
  });
  if (rows !== ROWS) throw new Error(`tedious read ${rows} of ${ROWS} rows`);
  return timing;
}

/** Wall time, and how much of it this thread (the engine's, in the app) was busy rather than waiting. */
interface Timing {
  ms: number;
  busyMs: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<BenchFigure[]> {
  const fake = await startFakeWorker();
  const dir = benchDir('sqlserver');
  // One store for every run, as in a running engine: its writer thread, started by the warm-up run, stays up.
  const db = openStore(dir);
  try {
    // Warm both paths once (JIT, first TLS-less sign-in), then alternate so drift hits both alike.
    await rawTediousRun(fake.port);
    await quarryRun(fake.port, db, dir);
    const quarry: Timing[] = [];
    const raw: Timing[] = [];
    for (let i = 1; i <= RUNS; i++) {
      raw.push(await rawTediousRun(fake.port));
      quarry.push(await quarryRun(fake.port, db, dir));
    }
    const perSec = (ms: number) => ROWS / (ms / 1000);
    const q = perSec(median(quarry.map((t) => t.ms)));
    const r = perSec(median(raw.map((t) => t.ms)));
    const busy = (ts: Timing[]) => Math.round(median(ts.map((t) => t.busyMs)));
    return [
      {
        name: `SQL Server ${ROWS / 1000}k x 8 rows into the store`,
        value: q,
        unit: 'rows/s',
        baselineName: 'raw tedious reading the same rows',
        baselineValue: r,
        ratio: q / r,
        target: 0.8,
        note:
          `median of ${RUNS}; both connect, query and read every row; TDS test server in a worker thread, replaying encoded rows; ` +
          `reading thread busy ${busy(quarry)} ms (Quarry, storing on the writer thread) vs ${busy(raw)} ms (raw)`,
      },
    ];
  } finally {
    stopWriterThread(db);
    db.close();
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
