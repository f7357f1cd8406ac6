import type Database from 'better-sqlite3';
import { migrations } from './migrations/index.js';

export { migrations };

/** Applies pending migrations in order, each in its own transaction; `PRAGMA user_version` records the last. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
