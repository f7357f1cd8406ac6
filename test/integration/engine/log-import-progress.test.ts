import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../engine/engine.js';
import type { LogImportProgressEvent } from '../../../engine/api.js';
import { createDispatcher } from '../../../engine/dispatch.js';
import type { LocalTableInfo } from '../../../connectors/sources/local/local-db.js';
import { openTestEngine, writeTempFile } from '../../helpers/engine.js';

let engine: Engine | undefined;
afterEach(() => engine?.close());

const ROWS = 60_000;

/** About 9 MB of sign-ins: many 1 MiB chunks, so progress comes more than once and a cancel lands mid-file. */
function bigCsv(): string {
  const lines = ['TimeGenerated,UserPrincipalName,IPAddress,Detail'];
  for (let i = 0; i < ROWS; i++) lines.push(`${new Date(Date.UTC(2026, 0, 5) + i * 1000).toISOString()},user${i % 500}@contoso.example,10.0.${i % 250}.${i % 200},${'x'.repeat(100)}${i}`);
  return `${lines.join('\n')}\n`;
}

async function world(): Promise<{ e: Engine; call: ReturnType<typeof createDispatcher>; events: LogImportProgressEvent[] }> {
  const e = await openTestEngine();
  engine = e;
  const events: LogImportProgressEvent[] = [];
  e.events.on('logs.progress', (p: LogImportProgressEvent) => events.push(p));
  return { e, call: createDispatcher(e), events };
}

/** Calls `logs.cancel` once, on the first progress event: mid-file, between two chunks. */
function cancelOnFirstProgress(events: LogImportProgressEvent[], call: ReturnType<typeof createDispatcher>, importId: string): Array<Promise<unknown>> {
  const cancels: Array<Promise<unknown>> = [];
  events.push = (p: LogImportProgressEvent): number => {
    if (!cancels.length) cancels.push(call('logs.cancel', { importId }));
    return Array.prototype.push.call(events, p);
  };
  return cancels;
}

const tableNames = (e: Engine): string[] => {
  const db = new Database(path.join(e.dataDir, 'local', 'local.db'), { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_quarry%' ESCAPE '\\'").all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('log import progress and cancel', () => {
  it('reports rows imported and bytes read of the file while a large CSV streams in', async () => {
    const { call, events } = await world();
    const file = writeTempFile('SigninLogs.csv', bigCsv());
    const result = (await call('logs.import', { file, table: 'SigninLogs', importId: 'imp-1' })) as { rows: number };
    expect(result.rows).toBe(ROWS);
    expect(events.length).toBeGreaterThan(0);
    const size = fs.statSync(file).size;
    for (const p of events) expect(p).toMatchObject({ importId: 'imp-1', totalBytes: size });
    const rows = events.map((p) => p.rows);
    const bytes = events.map((p) => p.bytesRead);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(Math.max(...bytes)).toBeLessThanOrEqual(size);
    expect(Math.max(...rows)).toBeLessThanOrEqual(ROWS);
  });

  it('reports bytes of the compressed file for a .gz, so the share read is right', async () => {
    const { call, events } = await world();
    const file = writeTempFile('SigninLogs.csv.gz', zlib.gzipSync(bigCsv()));
    await call('logs.import', { file, table: 'SigninLogs', importId: 'imp-gz' });
    expect(events.length).toBeGreaterThan(0);
    for (const p of events) expect(p.bytesRead).toBeLessThanOrEqual(p.totalBytes);
    expect(events[0]!.totalBytes).toBe(fs.statSync(file).size);
  });

  it('a cancelled import of a new table leaves no table, whole or partial', async () => {
    const { e, call, events } = await world();
    await call('logs.import', { file: writeTempFile('other.csv', 'x\n1\n'), table: 'Other' });
    const cancels = cancelOnFirstProgress(events, call, 'imp-2');
    await expect(call('logs.import', { file: writeTempFile('SigninLogs.csv', bigCsv()), table: 'SigninLogs', importId: 'imp-2' })).rejects.toMatchObject({
      code: 'cancelled',
      message: 'import of SigninLogs.csv cancelled',
    });
    expect(await cancels[0]).toEqual({ cancelled: true });
    expect(tableNames(e)).toEqual(['Other']);
    expect(((await call('logs.tables', {})) as LocalTableInfo[]).map((t) => t.name)).toEqual(['Other']);
    // Stopped early: no event claims the whole file was read.
    expect(Math.max(...events.map((p) => p.bytesRead))).toBeLessThan(events[0]!.totalBytes);
  });

  it('a cancelled replace leaves the previous table as it was', async () => {
    const { call, events } = await world();
    await call('logs.import', { file: writeTempFile('first.csv', 'TimeGenerated,UserPrincipalName\n2026-01-05T10:00:00Z,ana@contoso.example\n2026-01-05T10:01:00Z,bo@contoso.example\n'), table: 'SigninLogs' });
    const before = (await call('logs.tables', {})) as LocalTableInfo[];
    const cancels = cancelOnFirstProgress(events, call, 'imp-3');
    await expect(call('logs.import', { file: writeTempFile('big.csv', bigCsv()), table: 'SigninLogs', replace: true, importId: 'imp-3' })).rejects.toMatchObject({ code: 'cancelled' });
    expect(await cancels[0]).toEqual({ cancelled: true });
    expect(await call('logs.tables', {})).toEqual(before);
    expect(before[0]).toMatchObject({ name: 'SigninLogs', rowCount: 2, columns: [{ name: 'TimeGenerated' }, { name: 'UserPrincipalName' }] });
  });

  it('frees the id when an import ends, refuses a second import under a running id, and cancels nothing unknown', async () => {
    const { call } = await world();
    expect(await call('logs.cancel', { importId: 'nope' })).toEqual({ cancelled: false });
    const file = writeTempFile('SigninLogs.csv', bigCsv());
    const first = call('logs.import', { file, table: 'A', importId: 'same' });
    await expect(call('logs.import', { file, table: 'B', importId: 'same' })).rejects.toMatchObject({ code: 'conflict' });
    await first;
    expect(await call('logs.cancel', { importId: 'same' })).toEqual({ cancelled: false });
    await expect(call('logs.import', { file: writeTempFile('t.csv', 'x\n1\n'), table: 'C', importId: 'same' })).resolves.toMatchObject({ rows: 1 });
  });
});
