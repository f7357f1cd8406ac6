import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { detectFormat, importLogFile } from '../../../connectors/sources/local/import/log-importer.js';
import {
  automaticFormatText,
  fileNameOf,
  formatByExtension,
  importedText,
  importProgressText,
  isValidTableName,
  tableNameFromFile,
} from '../../../renderer/src/connections/log-import.js';

/** Whether the importer itself takes `table` as a name: it checks the name before it looks for the file. */
async function importerAcceptsName(table: string): Promise<boolean> {
  const db = new Database(':memory:');
  try {
    await importLogFile(db, { file: '/nonexistent/quarry-test.csv', table });
    return true;
  } catch (err) {
    return !/invalid table name/.test((err as Error).message);
  } finally {
    db.close();
  }
}

describe('the table name a picked file suggests', () => {
  it.each([
    ['/home/ana/Downloads/SigninLogs.csv', 'SigninLogs'],
    ['C:\\Users\\ana\\Downloads\\SigninLogs.csv.gz', 'SigninLogs'],
    ['/tmp/SigninLogs 2026-01 (export).jsonl', 'SigninLogs_2026_01_export'],
    ['/tmp/Anmeldungen März.tsv', 'Anmeldungen_Marz'],
    ['/tmp/2026-01-05-firewall.log', 'Logs_2026_01_05_firewall'],
    ['/tmp/sqlite_master.csv', 'Logs_sqlite_master'],
    ['/tmp/_quarry_tables.csv', 'quarry_tables'],
    ['/tmp/日本語.csv', 'Logs'],
    ['/tmp/.csv', 'Logs'],
    ['/tmp/dns.events.ndjson.gz', 'dns_events'],
  ])('%s -> %s', (file, name) => {
    expect(tableNameFromFile(file)).toBe(name);
  });

  it('always suggests a name the importer accepts, and the form flags the ones it refuses', async () => {
    const files = ['/a/9.csv', '/a/sqlite_x.csv', '/a/-.json', '/a/' + 'x'.repeat(300) + '.csv', '/a/ünïcödé.tsv', '/a/a b c.csv'];
    for (const f of files) expect(await importerAcceptsName(tableNameFromFile(f)), f).toBe(true);
    for (const name of ['SigninLogs', '_t', 'a1', '1a', 'a-b', 'sqlite_x', '_quarry_columns', 'a b', '']) {
      expect(isValidTableName(name), name).toBe(await importerAcceptsName(name));
    }
  });
});

describe('the format the importer picks by itself', () => {
  it.each(['x.csv', 'x.CSV.gz', 'x.tsv', 'x.tab.gz', 'x.jsonl', 'x.ndjson.gz', 'x.txt', 'x'])('matches the importer for %s', (file) => {
    expect(formatByExtension(file)).toBe(detectFormat(file));
  });

  it('says what Automatic will do once a file is picked', () => {
    expect(automaticFormatText(null)).toBe('Automatic (from the file name)');
    expect(automaticFormatText('/a/x.tsv.gz')).toBe('Automatic: TSV');
    expect(automaticFormatText('/a/x.json')).toBe('Automatic: JSON or JSON Lines');
  });
});

describe('what the dialog and toast say', () => {
  it('shows rows so far and the share of the file read', () => {
    expect(importProgressText(null, false)).toBe('Reading the file…');
    expect(importProgressText({ importId: 'i', rows: 12345, bytesRead: 340, totalBytes: 1000 }, false)).toBe('12,345 rows imported · 34% of the file read');
    expect(importProgressText({ importId: 'i', rows: 1, bytesRead: 0, totalBytes: 0 }, false)).toBe('1 row imported · 0% of the file read');
    expect(importProgressText(null, true)).toBe('Cancelling…');
  });

  it('tells a new table from rows appended to one', () => {
    expect(importedText({ rows: 1234, table: 'SigninLogs', created: true })).toBe('Imported 1,234 rows into SigninLogs.');
    expect(importedText({ rows: 1, table: 'SigninLogs', created: false })).toBe('Appended 1 row to SigninLogs.');
  });

  it('names a file by the last part of its path on any OS', () => {
    expect(fileNameOf('C:\\logs\\a.csv')).toBe('a.csv');
    expect(fileNameOf('/var/log/b.jsonl')).toBe('b.jsonl');
  });
});
