import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { openTestEngine, writeTempFile } from '../../helpers/engine.js';
import { readColumns, readRows } from '../../../engine/runs/result-store.js';
import { listRuns, markInterruptedRuns } from '../../../engine/runs/run-repo.js';

let engine: Engine;
afterEach(() => engine?.close());

const csv = [
  'TimeGenerated,Account,IpAddress,EventID,Success',
  ...Array.from({ length: 12_000 }, (_, i) =>
    `2026-01-05T${String(Math.floor(i / 600) % 24).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}:00Z,user${i % 50},10.0.${i % 7}.1,${i % 3 ? 4625 : 4624},${i % 3 === 0}`),
].join('\n');

async function withLogons(): Promise<void> {
  await engine.importLogs({ file: writeTempFile('logons.csv', csv), table: 'Logons' });
}

function saveHunt(query: string, extra: Record<string, unknown> = {}) {
  return engine.hunts.save({ name: `h-${Math.random()}`, language: 'sql', connection: 'local', query, ...extra });
}

describe('running hunts', () => {
  it('stores the whole result with typed columns, in batches, and can reopen, sort and filter it', async () => {
    engine = await openTestEngine();
    await withLogons();
    const hunt = saveHunt('SELECT TimeGenerated, Account, EventID, Success, EventID * 1.5 AS Score FROM Logons WHERE EventID = @id', {
      parameters: [{ name: 'id', type: 'int', default: 4625 }],
    });
    const progress: number[] = [];
    engine.events.on('run.progress', (p: { rows: number }) => progress.push(p.rows));
    const run = await engine.runner.run({ hunt: hunt.id });
    expect(run.status).toBe('succeeded');
    expect(run.rowCount).toBe(8000);
    expect(run.parameters).toEqual({ id: 4625 });
    expect(progress.length).toBeGreaterThan(1); // written in more than one batch
    expect(readColumns(engine.db, run.id)).toEqual([
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Account', type: 'string' },
      { name: 'EventID', type: 'long' },
      { name: 'Success', type: 'bool' },
      { name: 'Score', type: 'real' },
    ]);
    const page = readRows(engine.db, run.id, {
      filters: [{ column: 'Account', op: 'eq', value: 'user1' }],
      sort: { column: 'TimeGenerated', descending: true },
      limit: 5,
    });
    expect(page.total).toBe(160);
    expect(page.rows).toHaveLength(5);
    expect(page.rows.every((r) => r[1] === 'user1' && r[2] === 4625)).toBe(true);
    expect(String(page.rows[0]![0]) >= String(page.rows[4]![0])).toBe(true);
  });

  it('binds parameters given at run time and rejects unknown ones', async () => {
    engine = await openTestEngine();
    await withLogons();
    const hunt = saveHunt('SELECT count(*) AS n FROM Logons WHERE Account = @account', { parameters: [{ name: 'account', type: 'string' }] });
    const run = await engine.runner.run({ hunt: hunt.name, params: { account: "user3' OR '1'='1" } });
    expect(readRows(engine.db, run.id).rows).toEqual([[0]]); // bound, not pasted into the SQL
    expect(() => engine.runner.start({ hunt: hunt.id, params: { account: 'x', other: 1 } })).toThrowError(/unknown parameter "other"/);
  });

  it('records a failed query with the engine message and keeps no rows', async () => {
    engine = await openTestEngine();
    await withLogons();
    const hunt = saveHunt('SELECT Account, NoSuchColumn FROM Logons');
    const run = await engine.runner.run({ hunt: hunt.id });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/no such column: NoSuchColumn/);
    expect(run.rowCount).toBe(0);
    expect(engine.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'results_%'").get()).toEqual({ n: 0 });
  });

  it('drops a half-written result when the query fails midway', async () => {
    engine = await openTestEngine();
    await withLogons();
    // json() fails on the row where Account is user49, long after the first batches were stored.
    const hunt = saveHunt("SELECT rowid, CASE WHEN rowid > 11000 THEN json('not json') ELSE Account END AS a FROM Logons ORDER BY rowid");
    const run = await engine.runner.run({ hunt: hunt.id });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/malformed JSON/);
    expect(run.rowCount).toBe(0);
    expect(readColumns(engine.db, run.id)).toEqual([]);
  });

  it('cancels a running query', async () => {
    engine = await openTestEngine();
    await withLogons();
    const hunt = saveHunt('SELECT a.Account FROM Logons a, Logons b LIMIT 2000000');
    const { runId, done } = engine.runner.start({ hunt: hunt.id });
    engine.events.once('run.progress', () => engine.runner.cancel(runId));
    const run = await done;
    expect(run.status).toBe('cancelled');
    expect(run.rowCount).toBe(0);
  });

  it('explains a hunt in the wrong language for its connection, or with no connection', async () => {
    engine = await openTestEngine();
    const kql = engine.hunts.save({ name: 'kql hunt', language: 'kql', connection: 'local', query: 'SigninLogs | take 1' });
    expect(() => engine.runner.start({ hunt: kql.id })).toThrowError(/written in KQL but connection "local" \(local\) takes SQL/);
    const none = engine.hunts.save({ name: 'orphan', language: 'sql', query: 'SELECT 1' });
    expect(() => engine.runner.start({ hunt: none.id })).toThrowError(/has no connection/);
    expect(() => engine.runner.start({ hunt: 'no such hunt' })).toThrowError(/hunt not found: no such hunt/);
  });

  it('marks runs of a dead process as interrupted on the next start, and drops their partial rows', async () => {
    engine = await openTestEngine();
    await withLogons();
    const hunt = saveHunt('SELECT Account FROM Logons');
    const done = await engine.runner.run({ hunt: hunt.id });
    engine.db.prepare("UPDATE runs SET status = 'running', owner_pid = 999999999 WHERE id = ?").run(done.id);
    const ids = markInterruptedRuns(engine.db, new Date(), () => false);
    expect(ids).toEqual([done.id]);
    const [run] = listRuns(engine.db);
    expect(run).toMatchObject({ id: done.id, status: 'interrupted', rowCount: 0 });
    expect(readColumns(engine.db, done.id)).toEqual([]);
  });
});
