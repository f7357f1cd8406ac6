import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

/** Opens (creating if needed) the main store in `dataDir`, in WAL mode, migrated to the latest version. */
export function openStore(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'quarry.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache (the default is 2 MiB): storing a large result touches many pages of the new table and its free-list.
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

/** Quotes an identifier for SQLite (table or column names that come from users or files). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
