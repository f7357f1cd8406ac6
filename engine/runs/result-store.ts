import type { Db } from '../store/db.js';
import { quoteIdent } from '../store/db.js';
import type { ResultColumn, StoredValue } from '../types.js';
import { QuarryError, notFound } from '../errors.js';
import { insertRows, prepareGroupedInsert } from '../store/grouped-insert.js';
import { insertPackedRows } from './packed-insert.js';
import type { PackedRows } from './packed-rows.js';
import { writerThreadFor, type WriterThread } from './writer-thread.js';

/** Rows of one run live in their own table, columns named c0..cN so any column name from any source fits. */
export const resultsTableName = (runId: number): string => `results_${runId}`;
export const physical = (i: number): string => `c${i}`;

/** A result this large is worth the writer thread; smaller results never start it. */
const THREAD_MIN_ROWS = 2000;
/** Packed batches on their way to the writer thread at once: the source reads the next while these are stored. */
const MAX_IN_FLIGHT = 2;

/**
 * Writes a run's result table in batches, each batch in its own transaction.
 * Rows given as arrays are written here, on the engine's thread. Packed
 * batches of a large result go to the store's writer thread (writer-thread.ts),
 * so storing overlaps reading; batches stay in order because once a result
 * uses the thread, all its later batches do.
 */
export class ResultWriter {
  private insert: ((rows: StoredValue[][]) => void) | null = null;
  private insertPacked: ((batch: PackedRows) => void) | null = null;
  private columnCount = 0;
  /** Rows committed so far. */
  rowCount = 0;
  /** Batches the writer thread stored (the rest were written on this thread). */
  threadBatches = 0;
  private thread: WriterThread | null = null;
  private releaseThread: () => void = () => undefined;
  private threadStart: Promise<boolean> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;

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
    this.insertPacked = this.db.transaction((batch: PackedRows) => insertPackedRows(grouped, batch));
  }

  write(rows: StoredValue[][]): void {
    if (!this.insert) throw new QuarryError('internal', 'rows arrived before the result columns');
    if (rows.length === 0) return;
    if (rows[0]!.length !== this.columnCount) {
      throw new QuarryError('internal', `a row has ${rows[0]!.length} values for ${this.columnCount} columns`);
    }
    if (this.thread) throw new QuarryError('internal', 'rows as arrays after packed rows went to the writer thread');
    this.insert(rows);
    this.rowCount += rows.length;
  }

  /**
   * Stores a packed batch. Resolves when the writer can take another (at most
   * MAX_IN_FLIGHT are on their way); rejects with the first failure to store.
   * `flushed` waits for the last of them.
   */
  async writePacked(batch: PackedRows): Promise<void> {
    if (!this.insertPacked) throw new QuarryError('internal', 'rows arrived before the result columns');
    if (batch.rows === 0) return;
    if (batch.width !== this.columnCount) throw new QuarryError('internal', `a row has ${batch.width} values for ${this.columnCount} columns`);
    if (this.failure) throw this.failure;
    if (!this.thread && this.rowCount + batch.rows >= THREAD_MIN_ROWS) this.startThread();
    if (!this.thread) {
      // Until the thread has opened the store, batches are written here; written now, they stay in order.
      this.insertPacked(batch);
      this.rowCount += batch.rows;
      return;
    }
    const rows = batch.rows;
    const stored = this.thread.write(resultsTableName(this.runId), batch).then(
      () => {
        this.rowCount += rows;
        this.threadBatches++;
      },
      (err: unknown) => void (this.failure ??= new QuarryError('internal', `storing the result failed: ${err instanceof Error ? err.message : String(err)}`)),
    );
    this.inFlight.add(stored);
    void stored.finally(() => this.inFlight.delete(stored));
    while (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }

  /** Waits until every batch given is committed, the result being complete (the writer thread is let go); rejects if one could not be. */
  async flushed(): Promise<void> {
    await this.settled();
    if (this.failure) throw this.failure;
  }

  /** Removes whatever was written: a failed run keeps no partial result. Waits for batches still being stored first. */
  async discard(): Promise<void> {
    await this.settled();
    this.thread?.forget(resultsTableName(this.runId));
    discardResults(this.db, this.runId);
  }

  /** Resolves once the writer thread asked for by a large batch is taking batches: true, or false when there is none. */
  threadStarted(): Promise<boolean> {
    return this.threadStart ?? Promise.resolve(false);
  }

  /** Every batch given has been stored or has failed; the writer thread is let go. */
  private async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
    this.releaseThread();
  }

  private startThread(): void {
    if (this.threadStart) return;
    const thread = writerThreadFor(this.db);
    if (!thread) {
      this.threadStart = Promise.resolve(false);
      return;
    }
    this.releaseThread = thread.hold();
    if (thread.isReady) {
      this.thread = thread;
      this.threadStart = Promise.resolve(true);
      return;
    }
    // A thread that cannot start (or an in-memory store) leaves every batch to this thread, as before.
    this.threadStart = thread.started().then(
      () => {
        this.thread = thread;
        return true;
      },
      () => false,
    );
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
