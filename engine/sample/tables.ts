import type Database from 'better-sqlite3';
import type { ColumnType } from '../types.js';
import { sqlTypeOf } from '../../connectors/sources/local/local-db.js';

/**
 * The sample tables, shaped like the Microsoft Sentinel / Defender tables of
 * the same name (a subset of their columns), so that hunts written against
 * the samples read like hunts against the real thing.
 */

export type SampleTableName = 'SigninLogs' | 'SecurityEvent' | 'CommonSecurityLog' | 'DeviceProcessEvents';

export interface SampleTable {
  name: SampleTableName;
  columns: ReadonlyArray<readonly [name: string, type: ColumnType]>;
}

export const sampleTables: readonly SampleTable[] = [
  {
    name: 'SigninLogs',
    columns: [
      ['TimeGenerated', 'datetime'], ['UserPrincipalName', 'string'], ['UserDisplayName', 'string'], ['IPAddress', 'string'],
      ['Location', 'string'], ['AppDisplayName', 'string'], ['ClientAppUsed', 'string'],
      // Text, as in Sentinel: "0" is success, "50126" a bad password.
      ['ResultType', 'string'], ['ResultDescription', 'string'], ['UserAgent', 'string'],
      ['ConditionalAccessStatus', 'string'], ['CorrelationId', 'string'],
    ],
  },
  {
    name: 'SecurityEvent',
    columns: [
      ['TimeGenerated', 'datetime'], ['Computer', 'string'], ['EventID', 'int'], ['Activity', 'string'], ['Account', 'string'],
      ['AccountType', 'string'], ['LogonType', 'int'], ['IpAddress', 'string'], ['WorkstationName', 'string'],
      ['TargetUserName', 'string'], ['NewProcessName', 'string'], ['CommandLine', 'string'], ['ParentProcessName', 'string'],
      ['SubjectUserName', 'string'],
    ],
  },
  {
    name: 'CommonSecurityLog',
    columns: [
      ['TimeGenerated', 'datetime'], ['DeviceVendor', 'string'], ['DeviceProduct', 'string'], ['Activity', 'string'],
      ['SourceIP', 'string'], ['SourcePort', 'int'], ['DestinationIP', 'string'], ['DestinationPort', 'int'],
      ['DestinationHostName', 'string'], ['RequestURL', 'string'], ['Protocol', 'string'], ['DeviceAction', 'string'],
      ['SentBytes', 'long'], ['ReceivedBytes', 'long'],
    ],
  },
  {
    name: 'DeviceProcessEvents',
    columns: [
      ['Timestamp', 'datetime'], ['DeviceName', 'string'], ['AccountName', 'string'], ['AccountDomain', 'string'],
      ['FileName', 'string'], ['FolderPath', 'string'], ['ProcessCommandLine', 'string'], ['SHA256', 'string'],
      ['SHA1', 'string'], ['MD5', 'string'], ['InitiatingProcessFileName', 'string'], ['InitiatingProcessCommandLine', 'string'],
      ['ProcessId', 'long'],
    ],
  },
];

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Drops and recreates the sample tables and their metadata, so regenerating replaces rather than appends. */
export function createSampleTables(db: Database.Database): void {
  const setType = db.prepare('INSERT INTO _quarry_columns (table_name, column_name, type) VALUES (?, ?, ?)');
  for (const t of sampleTables) {
    db.exec(`DROP TABLE IF EXISTS ${quote(t.name)}`);
    db.prepare('DELETE FROM _quarry_columns WHERE table_name = ?').run(t.name);
    db.prepare('DELETE FROM _quarry_tables WHERE name = ?').run(t.name);
    db.exec(`CREATE TABLE ${quote(t.name)} (${t.columns.map(([n, ty]) => `${quote(n)} ${sqlTypeOf[ty]}`).join(', ')})`);
    for (const [n, ty] of t.columns) setType.run(t.name, n, ty);
  }
}

/** Inserts rows in order, times (epoch ms) written as ISO 8601 UTC text; the caller holds the transaction. */
export function insertRows(db: Database.Database, table: SampleTable, rows: readonly PendingRow[]): void {
  const cols = table.columns.map(([n]) => quote(n)).join(', ');
  const insert = db.prepare(`INSERT INTO ${quote(table.name)} (${cols}) VALUES (${table.columns.map(() => '?').join(', ')})`);
  const values: unknown[] = new Array(table.columns.length);
  for (const row of rows) {
    values[0] = new Date(row[0]).toISOString();
    for (let c = 1; c < row.length; c++) values[c] = row[c];
    insert.run(values);
  }
}

/** Row of a table under construction: time (epoch ms) first, the other columns in table order after it. */
export type PendingRow = [number, ...Array<string | number | null>];
