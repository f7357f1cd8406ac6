import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import { openTestEngine, writeTempFile } from '../../helpers/engine.js';

let engine: Engine;
afterEach(() => engine?.close());

const localDb = (name = 'local') => new Database(path.join(engine.dataDir, 'local', `${name}.db`), { readonly: true });

describe('importing logs into a local connection', () => {
  it('imports CSV with inferred types and timestamps normalised to UTC', async () => {
    engine = await openTestEngine();
    const file = writeTempFile('fw.csv', 'ts,src,port,bytes,blocked,msg\n05/Jan/2026:11:00:00 +0100,45.146.164.110,443,1.5e3,true,"a, b"\n2026-01-05 10:01:00,10.0.0.1,80,12,false,\n');
    const r = await engine.importLogs({ file, table: 'Firewall' });
    expect(r).toMatchObject({ table: 'Firewall', rows: 2, created: true, connection: 'local', format: 'csv' });
    expect(r.columns).toEqual([
      { name: 'ts', type: 'datetime' }, { name: 'src', type: 'string' }, { name: 'port', type: 'long' },
      { name: 'bytes', type: 'real' }, { name: 'blocked', type: 'bool' }, { name: 'msg', type: 'string' },
    ]);
    const db = localDb();
    expect(db.prepare('SELECT * FROM Firewall').raw(true).all()).toEqual([
      ['2026-01-05T10:00:00.000Z', '45.146.164.110', 443, 1500, 1, 'a, b'],
      ['2026-01-05T10:01:00.000Z', '10.0.0.1', 80, 12, 0, ''],
    ]);
    db.close();
  });

  it('imports JSON Lines and JSON arrays (also gzipped), adding columns that appear late', async () => {
    engine = await openTestEngine();
    const lines = Array.from({ length: 1500 }, (_, i) => JSON.stringify({ t: '2026-01-05T10:00:00Z', n: i, obj: { k: i } }));
    lines.push(JSON.stringify({ t: '2026-01-05T11:00:00Z', n: 1500, late: 'new column' }));
    const r1 = await engine.importLogs({ file: writeTempFile('events.jsonl.gz', zlib.gzipSync(lines.join('\n'))), table: 'Events', format: 'jsonl' });
    expect(r1.rows).toBe(1501);
    expect(r1.columns).toEqual([
      { name: 't', type: 'datetime' }, { name: 'n', type: 'long' }, { name: 'obj', type: 'dynamic' }, { name: 'late', type: 'string' },
    ]);
    const arr = JSON.stringify([{ t: '2026-01-06T00:00:00Z', n: 1, obj: [1, 2] }]);
    const r2 = await engine.importLogs({ file: writeTempFile('more.json', arr), table: 'Events' });
    expect(r2).toMatchObject({ rows: 1, created: false, format: 'json' });
    const db = localDb();
    expect(db.prepare('SELECT count(*) AS n, max(late) AS late FROM Events').get()).toEqual({ n: 1502, late: 'new column' });
    expect(db.prepare("SELECT json_extract(obj, '$.k') AS k FROM Events WHERE n = 7").get()).toEqual({ k: 7 });
    db.close();
  });

  it('appends by default and replaces on request', async () => {
    engine = await openTestEngine();
    const file = writeTempFile('a.csv', 'x,y\n1,a\n2,b\n');
    await engine.importLogs({ file, table: 'T' });
    await engine.importLogs({ file: writeTempFile('b.csv', 'y,z\nc,true\n'), table: 'T' });
    let db = localDb();
    expect(db.prepare('SELECT x, y, z FROM T ORDER BY rowid').raw(true).all()).toEqual([[1, 'a', null], [2, 'b', null], [null, 'c', 1]]);
    db.close();
    await engine.importLogs({ file, table: 'T', replace: true });
    db = localDb();
    expect(db.prepare('SELECT count(*) AS n FROM T').get()).toEqual({ n: 2 });
    db.close();
  });

  it('leaves the database exactly as it was when a file fails, and names the file and line', async () => {
    engine = await openTestEngine();
    await engine.importLogs({ file: writeTempFile('good.csv', 'x\n1\n2\n'), table: 'T' });
    const bad = writeTempFile('bad.csv', `x\n${Array.from({ length: 3000 }, (_, i) => i).join('\n')}\n3,extra\n`);
    await expect(engine.importLogs({ file: bad, table: 'T' })).rejects.toThrowError(`${bad}:3002: expected 1 fields (as in the header), found 2`);
    await expect(engine.importLogs({ file: bad, table: 'Fresh' })).rejects.toThrowError(/:3002:/);
    const db = localDb();
    expect(db.prepare('SELECT count(*) AS n FROM T').get()).toEqual({ n: 2 });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'Fresh'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('rejects bad table names and missing files clearly', async () => {
    engine = await openTestEngine();
    const file = writeTempFile('a.csv', 'x\n1\n');
    await expect(engine.importLogs({ file, table: 'drop table;' })).rejects.toThrowError(/invalid table name/);
    await expect(engine.importLogs({ file: '/nope/missing.csv', table: 'T' })).rejects.toThrowError('file not found: /nope/missing.csv');
    await expect(engine.importLogs({ file: writeTempFile('e.csv', ''), table: 'T' })).rejects.toThrowError(/empty/);
  });

  it('creates a new local connection for a case when asked', async () => {
    engine = await openTestEngine();
    const r = await engine.importLogs({ file: writeTempFile('a.csv', 'x\n1\n'), table: 'T', connection: 'case-4711' });
    expect(r.connection).toBe('case-4711');
    expect(engine.connection('case-4711')).toMatchObject({ kind: 'local', settings: { file: 'local/case-4711.db' } });
  });
});
