import type { Db } from '../store/db.js';
import { quoteIdent } from '../store/db.js';
import type { ResultColumn, StoredValue } from '../types.js';
import { QuarryError, notFound } from '../errors.js';
import { insertRows, prepareGroupedInsert } from '../store/grouped-insert.js';

/** Rows of one run live in their own table, columns named c0..cN so any column name from any source fits. */
export const resultsTableName = (runId: number): string => `results_${runId}`;
export const physical = (i: number): string => `c${i}`;

/** Writes a run's result table in batches, each batch in its own transaction. */
export class ResultWriter {
  private insert: ((rows: StoredValue[][]) => void) | null = null;
  private columnCount = 0;
  rowCount = 0;

  constructor(
    private readonly db: Db,
    readonly runId: number,
  ) {}

  get hasColumns(): boolean {
    return this.insert !== null;
  }

  setColumns(columns: ResultColumn[]): void {
    if (this.insert) throw new QuarryError('internal', 'result columns were already set for this run');
    const table = resultsTableName(this.runId);
    this.columnCount = columns.length;
    const cols = columns.map((_, i) => physical(i));
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE ${table} (${cols.join(', ')})`);
      const addColumn = this.db.prepare('INSERT INTO run_columns (run_id, ordinal, name, type) VALUES (?, ?, ?, ?)');
      columns.forEach((c, i) => addColumn.run(this.runId, i, c.name, c.type));
      this.db.prepare('UPDATE runs SET results_table = ? WHERE id = ?').run(table, this.runId);
    })();
    const grouped = prepareGroupedInsert(this.db, table, cols.length);
    this.insert = this.db.transaction((rows: StoredValue[][]) => insertRows(grouped, rows));
  }

  write(rows: StoredValue[][]): void {
    if (!this.insert) throw new QuarryError('internal', 'rows arrived before the result columns');
    if (rows.length === 0) return;
    if (rows[0]!.length !== this.columnCount) {
      throw new QuarryError('internal', `a row has ${rows[0]!.length} values for ${this.columnCount} columns`);
    }
    this.insert(rows);
    this.rowCount += rows.length;
  }

  /** Removes whatever was written: a failed run keeps no partial result. */
  discard(): void {
    discardResults(this.db, this.runId);
  }
}

export function discardResults(db: Db, runId: number): void {
  db.transaction(() => {
    db.exec(`DROP TABLE IF EXISTS ${resultsTableName(runId)}`);
    db.prepare('DELETE FROM run_columns WHERE run_id = ?').run(runId);
    db.prepare('UPDATE runs SET results_table = NULL, row_count = 0 WHERE id = ?').run(runId);
  })();
}

export function readColumns(db: Db, runId: number): ResultColumn[] {
  return db
    .prepare('SELECT name, type FROM run_columns WHERE run_id = ? ORDER BY ordinal')
    .all(runId) as ResultColumn[];
}

export type FilterOp = 'eq' | 'neq' | 'contains' | 'not_contains' | 'gt' | 'gte' | 'lt' | 'lte' | 'is_null' | 'not_null';

export interface RowFilter {
  column: string;
  op: FilterOp;
  value?: string | number | null;
}

export interface RowQuery {
  offset?: number;
  limit?: number;
  sort?: { column: string; descending?: boolean };
  filters?: RowFilter[];
}

const opSql: Record<FilterOp, (col: string) => string> = {
  eq: (c) => `${c} = ?`,
  neq: (c) => `(${c} IS NULL OR ${c} <> ?)`,
  contains: (c) => `instr(lower(${c}), lower(?)) > 0`,
  not_contains: (c) => `(${c} IS NULL OR instr(lower(${c}), lower(?)) = 0)`,
  gt: (c) => `${c} > ?`,
  gte: (c) => `${c} >= ?`,
  lt: (c) => `${c} < ?`,
  lte: (c) => `${c} <= ?`,
  is_null: (c) => `${c} IS NULL`,
  not_null: (c) => `${c} IS NOT NULL`,
};

/** Builds the WHERE/ORDER BY of a stored result query, with column names checked against the run's columns. */
export function compile(db: Db, runId: number, q: RowQuery): { table: string; where: string; order: string; args: unknown[] } {
  const table = tableOf(db, runId);
  const columns = readColumns(db, runId);
  const colRef = (name: string): string => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw notFound(`column in run ${runId}`, name);
    return physical(i);
  };
  const args: unknown[] = [];
  const clauses = (q.filters ?? []).map((f) => {
    const sql = opSql[f.op](colRef(f.column));
    if (f.op !== 'is_null' && f.op !== 'not_null') args.push(f.value ?? null);
    return sql;
  });
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const order = q.sort ? `ORDER BY ${colRef(q.sort.column)} ${q.sort.descending ? 'DESC' : 'ASC'}, rowid` : 'ORDER BY rowid';
  return { table, where, order, args };
}

function tableOf(db: Db, runId: number): string {
  const run = db.prepare('SELECT results_table FROM runs WHERE id = ?').get(runId) as
    | { results_table: string | null }
    | undefined;
  if (!run) throw notFound('run', String(runId));
  if (!run.results_table) throw new QuarryError('not_found', `run ${runId} has no stored results`);
  return run.results_table;
}

export function hasResults(db: Db, runId: number): boolean {
  const run = db.prepare('SELECT results_table FROM runs WHERE id = ?').get(runId) as
    | { results_table: string | null }
    | undefined;
  return Boolean(run?.results_table);
}

/**
 * What a finished run's stored result never stops being: counts per filter, and its rowid span. The
 * grid asks for a page per screenful while scrolling; counting 500k rows (and skipping up to 500k for
 * OFFSET) each time kept the engine busy for ~50-90 ms a page. Per connection, bounded, finished runs only.
 */
const finishedFacts = new WeakMap<Db, Map<string, number>>();
const MAX_FACTS = 500;

function remembered(db: Db, finished: boolean, key: string, compute: () => number): number {
  if (!finished) return compute();
  let facts = finishedFacts.get(db);
  if (!facts) finishedFacts.set(db, (facts = new Map()));
  const known = facts.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (facts.size >= MAX_FACTS) facts.delete(facts.keys().next().value!);
  facts.set(key, value);
  return value;
}

/** One page of stored rows, filtered and sorted in SQLite, plus the filtered total. */
export function readRows(db: Db, runId: number, q: RowQuery = {}): { total: number; rows: StoredValue[][] } {
  const { table, where, order, args } = compile(db, runId, q);
  const status = (db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status;
  const finished = status !== 'running';
  const countKey = `${table}\0count\0${where}\0${JSON.stringify(args)}`;
  const total = remembered(db, finished, countKey, () => (db.prepare(`SELECT count(*) AS n FROM ${table} ${where}`).get(...args) as { n: number }).n);
  const limit = Math.max(0, Math.min(q.limit ?? 1000, 100_000));
  const offset = Math.max(0, q.offset ?? 0);
  // Stored order with no filter over rowids 1..n with no gap (how the runner writes them): seek, don't skip.
  if (finished && !where && order === 'ORDER BY rowid') {
    const lastRowid = remembered(db, true, `${table}\0maxrowid`, () => (db.prepare(`SELECT max(rowid) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0);
    const firstRowid = remembered(db, true, `${table}\0minrowid`, () => (db.prepare(`SELECT min(rowid) AS m FROM ${table}`).get() as { m: number | null }).m ?? 1);
    if (lastRowid - firstRowid + 1 === total) {
      const rows = db.prepare(`SELECT * FROM ${table} WHERE rowid >= ? ORDER BY rowid LIMIT ?`).raw(true).all(firstRowid + offset, limit) as StoredValue[][];
      return { total, rows };
    }
  }
  const rows = db
    .prepare(`SELECT * FROM ${table} ${where} ${order} LIMIT ? OFFSET ?`)
    .raw(true)
    .all(...args, limit, offset) as StoredValue[][];
  return { total, rows };
}

/** Streams every stored row (filtered and sorted as asked) without holding the result in memory. */
export function* iterateRows(db: Db, runId: number, q: Omit<RowQuery, 'offset' | 'limit'> = {}): Generator<StoredValue[]> {
  const { table, where, order, args } = compile(db, runId, q);
  yield* db.prepare(`SELECT * FROM ${table} ${where} ${order}`).raw(true).iterate(...args) as Iterable<StoredValue[]>;
}

export { quoteIdent };
