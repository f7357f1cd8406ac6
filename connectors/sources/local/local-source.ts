import type Database from 'better-sqlite3';
import type { Connection, ColumnType, ResultColumn, StoredValue } from '../../../engine/types.js';
import { QuarryError, errorMessage } from '../../../engine/errors.js';
import type { BoundParameter } from '../../../engine/runs/parameters.js';
import type { ResultSink, Source, SourceContext, SourceQuery } from '../types.js';
import { columnKey, declaredToType, listLocalTables, localDbPath, openLocalDb, readColumnTypes } from './local-db.js';
import { sqlParameterNames } from './sql-parameters.js';

const BATCH_ROWS = 5000;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Hunts over imported logs: SQLite SQL against the connection's file, opened read-only. */
export function createLocalSource(connection: Connection, ctx: SourceContext): Source {
  const file = localDbPath(connection, ctx.dataDir);
  return {
    async run(q, sink) {
      const db = openLocalDb(file, { readonly: true });
      try {
        await runQuery(db, connection.name, q, sink);
      } finally {
        db.close();
      }
    },
    async test() {
      const db = openLocalDb(file, { readonly: true });
      try {
        const tables = listLocalTables(db);
        return `${file}: ${tables.length} table(s)${tables.length ? `: ${tables.map((t) => t.name).join(', ')}` : ''}`;
      } finally {
        db.close();
      }
    },
    async close() {},
  };
}

async function runQuery(db: Database.Database, connectionName: string, q: SourceQuery, sink: ResultSink): Promise<void> {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare(q.query);
  } catch (err) {
    throw new QuarryError('query_failed', `query on "${connectionName}" failed: ${errorMessage(err)}`);
  }
  if (!stmt.reader) throw new QuarryError('invalid_input', 'a hunt on a local source must be a query that returns rows (SELECT or WITH ... SELECT)');
  const args = bindArgs(q, sqlParameterNames(q.query));
  const known = readColumnTypes(db);
  const declared = stmt.columns();
  const started = Date.now();
  let columnsSet = false;
  let batch: StoredValue[][] = [];
  const setColumnsOnce = (): void => {
    if (!columnsSet) sink.setColumns(typeColumns(declared, known, batch));
    columnsSet = true;
  };
  // A sync iterator cannot be interrupted mid-statement, so cancel and timeout are checked between batches.
  const checkpoint = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    if (q.signal.aborted) throw new QuarryError('cancelled', 'the run was cancelled');
    if (q.timeoutMs && Date.now() - started > q.timeoutMs) {
      throw new QuarryError('query_failed', `query on "${connectionName}" timed out after ${q.timeoutMs} ms`);
    }
  };
  try {
    for (const row of stmt.raw(true).iterate(args) as Iterable<StoredValue[]>) {
      batch.push(row);
      if (batch.length < BATCH_ROWS) continue;
      setColumnsOnce();
      await sink.writeRows(batch);
      batch = [];
      await checkpoint();
    }
  } catch (err) {
    if (err instanceof QuarryError) throw err;
    throw new QuarryError('query_failed', `query on "${connectionName}" failed: ${errorMessage(err)}`);
  }
  setColumnsOnce();
  if (batch.length) await sink.writeRows(batch);
}

function bindArgs(q: SourceQuery, used: Set<string>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const all: BoundParameter[] = [...q.parameters];
  if (q.window) {
    all.push({ name: 'start', type: 'datetime', value: q.window.start }, { name: 'end', type: 'datetime', value: q.window.end });
  }
  for (const p of all) if (used.has(p.name)) args[p.name] = p.type === 'bool' && p.value !== null ? (p.value ? 1 : 0) : p.value;
  for (const name of used) {
    if (!(name in args)) throw new QuarryError('invalid_input', `the query uses @${name} but the hunt declares no parameter "${name}"`);
  }
  return args;
}

/** Column types from Quarry's import metadata where the column comes from a table, else from the values. */
function typeColumns(
  declared: Database.ColumnDefinition[],
  known: Map<string, ColumnType>,
  sample: StoredValue[][],
): ResultColumn[] {
  return declared.map((c, i) => {
    const fromMeta = c.table && c.column ? known.get(columnKey(c.table, c.column)) : undefined;
    if (fromMeta) return { name: c.name, type: fromMeta };
    if (c.type) return { name: c.name, type: declaredToType(c.type) };
    return { name: c.name, type: inferFromValues(sample, i) };
  });
}

function inferFromValues(rows: StoredValue[][], i: number): ColumnType {
  let type: ColumnType | null = null;
  for (const row of rows) {
    const v = row[i];
    if (v === null || v === undefined) continue;
    const t: ColumnType =
      typeof v === 'bigint' ? 'long'
      : typeof v === 'number' ? (Number.isInteger(v) ? 'long' : 'real')
      : typeof v === 'string' && ISO_UTC.test(v) ? 'datetime'
      : 'string';
    if (type === null || type === t) type = t;
    else if ((type === 'long' || type === 'real') && (t === 'long' || t === 'real')) type = 'real';
    else return 'string';
  }
  return type ?? 'string';
}
