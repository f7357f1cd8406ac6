import { randomUUID } from 'node:crypto';
import type { Db } from './store/db.js';
import type { Connection } from './types.js';
import { QuarryError, notFound } from './errors.js';

/** The embedded default log source every install has: sample data and the hunter's own imports. */
export const DEFAULT_LOCAL_CONNECTION = 'local';

interface ConnectionRow {
  id: string;
  name: string;
  kind: string;
  settings: string;
  created_at: string;
  updated_at: string;
}

export const connectionFromRow = (r: ConnectionRow): Connection => ({
  id: r.id,
  name: r.name,
  kind: r.kind as Connection['kind'],
  settings: JSON.parse(r.settings),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function findConnection(db: Db, nameOrId: string): Connection | undefined {
  const row = db.prepare('SELECT * FROM connections WHERE name = ? OR id = ? ORDER BY name = ? DESC LIMIT 1').get(nameOrId, nameOrId, nameOrId) as
    | ConnectionRow
    | undefined;
  return row ? connectionFromRow(row) : undefined;
}

export function getConnection(db: Db, nameOrId: string): Connection {
  const c = findConnection(db, nameOrId);
  if (!c) throw notFound('connection', nameOrId);
  return c;
}

/**
 * Returns the local connection with this name, creating it (file
 * `local/<name>.db` in the data dir) if there is none. `created` says which.
 */
export function ensureLocalConnection(db: Db, name: string, now: Date): { connection: Connection; created: boolean } {
  const existing = findConnection(db, name);
  if (existing) {
    if (existing.kind !== 'local') {
      throw new QuarryError('invalid_input', `connection "${name}" is a ${existing.kind} connection, not a local log source`);
    }
    return { connection: existing, created: false };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new QuarryError('invalid_input', `invalid connection name "${name}": use letters, digits, -, _ and .`);
  }
  const ts = now.toISOString();
  db.prepare('INSERT INTO connections (id, name, kind, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    randomUUID(), name, 'local', JSON.stringify({ file: `local/${name}.db` }), ts, ts,
  );
  return { connection: getConnection(db, name), created: true };
}

export function listConnections(db: Db): Connection[] {
  return (db.prepare('SELECT * FROM connections ORDER BY name').all() as ConnectionRow[]).map(connectionFromRow);
}
