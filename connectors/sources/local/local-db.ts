import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ColumnType, Connection } from '../../../engine/types.js';
import { QuarryError } from '../../../engine/errors.js';

/**
 * A local connection is one SQLite file of imported logs. Next to the log
 * tables it keeps `_quarry_columns`, the Quarry type of each imported column
 * (SQLite itself cannot tell a datetime from text).
 */

export const localMetadataSql = `
  CREATE TABLE IF NOT EXISTS _quarry_tables (
    name TEXT PRIMARY KEY,
    source TEXT,
    imported_at TEXT NOT NULL,
    row_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS _quarry_columns (
    table_name TEXT NOT NULL,
    column_name TEXT NOT NULL,
    type TEXT NOT NULL,
    PRIMARY KEY (table_name, column_name)
  );
`;

/** The file of a local connection: `settings.file`, relative to the data dir unless absolute. */
export function localDbPath(connection: Connection, dataDir: string): string {
  const file = connection.settings.file;
  if (typeof file !== 'string' || file === '') {
    throw new QuarryError('invalid_input', `local connection "${connection.name}" has no file setting`);
  }
  return path.isAbsolute(file) ? file : path.join(dataDir, file);
}

export function openLocalDb(file: string, options: { readonly?: boolean } = {}): Database.Database {
  if (options.readonly) {
    if (!fs.existsSync(file)) throw new QuarryError('not_found', `local log database not found: ${file}`);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return db;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(localMetadataSql);
  return db;
}

export const sqlTypeOf: Record<ColumnType, string> = {
  string: 'TEXT', int: 'INTEGER', long: 'INTEGER', real: 'REAL', decimal: 'REAL', bool: 'INTEGER',
  datetime: 'TEXT', timespan: 'REAL', guid: 'TEXT', dynamic: 'TEXT',
};

export function readColumnTypes(db: Database.Database): Map<string, ColumnType> {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '_quarry_columns'").get();
  const map = new Map<string, ColumnType>();
  if (!hasMeta) return map;
  const rows = db.prepare('SELECT table_name, column_name, type FROM _quarry_columns').all() as Array<{
    table_name: string;
    column_name: string;
    type: ColumnType;
  }>;
  for (const r of rows) map.set(columnKey(r.table_name, r.column_name), r.type);
  return map;
}

export const columnKey = (table: string, column: string): string => `${table.toLowerCase()}\u0000${column.toLowerCase()}`;

export interface LocalTableInfo {
  name: string;
  rowCount: number;
  source: string | null;
  importedAt: string | null;
  columns: Array<{ name: string; type: ColumnType }>;
}

/** The log tables of a local database with their columns, for the CLI and the hunt editor. */
export function listLocalTables(db: Database.Database): LocalTableInfo[] {
  const types = readColumnTypes(db);
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_quarry%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name")
    .all() as Array<{ name: string }>;
  return tables.map(({ name }) => {
    const meta = db.prepare('SELECT source, imported_at, row_count FROM _quarry_tables WHERE name = ?').get(name) as
      | { source: string | null; imported_at: string; row_count: number }
      | undefined;
    const cols = db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(name) as Array<{ name: string; type: string }>;
    return {
      name,
      rowCount: meta?.row_count ?? 0,
      source: meta?.source ?? null,
      importedAt: meta?.imported_at ?? null,
      columns: cols.map((c) => ({ name: c.name, type: types.get(columnKey(name, c.name)) ?? declaredToType(c.type) })),
    };
  });
}

export function declaredToType(declared: string | null | undefined): ColumnType {
  const t = (declared ?? '').toUpperCase();
  if (t.includes('INT')) return 'long';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'string';
}
