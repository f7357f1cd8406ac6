import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import type { BenchFigure } from './figure.js';
import { benchDir, medianMs, peakRssGrowthMiB } from './util.js';
import { openStore } from '../../engine/store/db.js';
import { insertRun } from '../../engine/runs/run-repo.js';
import { ResultWriter } from '../../engine/runs/result-store.js';
import { Engine } from '../../engine/engine.js';
import type { StoredValue } from '../../engine/types.js';

const ROWS = 500_000;
const BATCH = 5000;

function makeRows(): StoredValue[][] {
  const rows: StoredValue[][] = [];
  for (let i = 0; i < ROWS; i++) {
    rows.push([
      `2026-01-05T10:${String(i % 60).padStart(2, '0')}:00.000Z`, `user${i % 997}@contoso.com`, `10.${i % 255}.${i % 7}.1`, i, i % 3 === 0 ? 1 : 0,
      i * 1.5, 'SigninLogs', `host-${i % 300}`, 4624 + (i % 2), `payload ${i}`,
    ]);
  }
  return rows;
}

/** Storing a 500k x 10 result through ResultWriter vs a bare prepared insert in one transaction. */
async function resultStore(): Promise<BenchFigure> {
  const rows = makeRows();
  const dir = benchDir('store');
  let n = 0;
  const quarry = await medianMs(3, () => {
    const db = openStore(path.join(dir, `q${n++}`));
    const runId = insertRun(db, { huntId: 'h', huntName: 'bench', connection: 'local', language: 'sql', query: 'x', parameters: {}, startedAt: new Date().toISOString() });
    const w = new ResultWriter(db, runId);
    w.setColumns(Array.from({ length: 10 }, (_, i) => ({ name: `col${i}`, type: 'string' as const })));
    for (let i = 0; i < rows.length; i += BATCH) w.write(rows.slice(i, i + BATCH));
    db.close();
  });
  const bare = await medianMs(3, () => {
    const db = new Database(path.join(dir, `bare${n++}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE t (${Array.from({ length: 10 }, (_, i) => `c${i}`).join(', ')})`);
    const stmt = db.prepare(`INSERT INTO t VALUES (${Array(10).fill('?').join(', ')})`);
    db.transaction(() => { for (const r of rows) stmt.run(r); })();
    db.close();
  });
  fs.rmSync(dir, { recursive: true, force: true });
  const perSec = (ms: number) => ROWS / (ms / 1000);
  return {
    name: 'store 500k x 10 result', value: perSec(quarry), unit: 'rows/s', baselineName: 'bare better-sqlite3 insert, one transaction',
    baselineValue: perSec(bare), ratio: perSec(quarry) / perSec(bare), target: 0.5,
  };
}

/** Importing a CSV into the local source vs the sqlite3 shell's .import of the same file. */
async function csvImport(): Promise<BenchFigure[]> {
  const dir = benchDir('csv');
  const file = path.join(dir, 'signins.csv');
  const out = fs.createWriteStream(file);
  out.write('TimeGenerated,UserPrincipalName,IPAddress,ResultType,AppDisplayName,Location,Attempts,Latency,Success,UserAgent\n');
  for (let i = 0; i < ROWS; i++) {
    out.write(`2026-01-0${1 + (i % 7)}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z,user${i % 997}@contoso.com,10.${i % 255}.${i % 7}.1,${i % 5 ? 0 : 50126},"Office 365, Exchange",DE,${i % 9},${(i % 1000) / 7},${i % 2 === 0},Mozilla/5.0 (Windows NT 10.0)\n`);
  }
  await new Promise((resolve) => out.end(resolve));
  const mb = fs.statSync(file).size / 2 ** 20;
  let n = 0;
  let peak = 0;
  const quarry = await medianMs(3, async () => {
    const engine = await Engine.open({ dataDir: path.join(dir, `q${n++}`), sampleData: false });
    const { peakMiB } = await peakRssGrowthMiB(() => engine.importLogs({ file, table: 'SigninLogs' }));
    peak = Math.max(peak, peakMiB);
    engine.close();
  });
  const shell = await medianMs(3, () =>
    execFileSync('sqlite3', [path.join(dir, `s${n++}.db`), '-cmd', 'PRAGMA journal_mode=WAL;', '.mode csv', `.import ${file} SigninLogs`], { stdio: 'pipe' }),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  const rate = (ms: number) => ROWS / (ms / 1000);
  return [{
    name: `import ${mb.toFixed(0)} MB CSV (500k rows, types inferred)`, value: rate(quarry), unit: 'rows/s', baselineName: 'sqlite3 .import',
    baselineValue: rate(shell), ratio: rate(quarry) / rate(shell), target: 0.5, note: `peak RSS growth ${peak.toFixed(0)} MiB for a ${mb.toFixed(0)} MB file`,
  }];
}

export default async function foundationBench(): Promise<BenchFigure[]> {
  return [await resultStore(), ...(await csvImport())];
}
