import type Database from 'better-sqlite3';
import type { RpcParameter } from './requests.js';
import type { ColumnOut } from './tokens.js';
import { encoderFor, type TdsTypeName } from './type-encoders.js';
import { SqlSyntaxError, type Statement } from './translate.js';

/** Per table, per column: the SQL Server type the fake sends it as, e.g. `{ events: { ts: 'datetime2', id: 'bigint' } }`. */
export type ColumnTypeDeclarations = Record<string, Record<string, TdsTypeName>>;

/** Rows made up on the fly instead of read from SQLite: a bench asks for N rows without storing them. */
export interface GeneratedResult {
  columns: Array<{ name: string; type: TdsTypeName }>;
  rowCount: number;
  row(i: number): readonly unknown[];
  /**
   * The same rows every time this key is served: they are encoded once and the bytes replayed, so a
   * bench on a 2-core machine measures the client rather than the fake's encoder (a real SQL Server
   * encodes on its own cores).
   */
  replayKey?: string;
}

/** Looks at each query (translated SQL and its parameters); returning a result serves it instead of SQLite. */
export type RowHook = (sql: string, parameters: RpcParameter[]) => GeneratedResult | undefined;

/** An error the fake reports as an ERROR token: SQL Server's number, state, class (severity) and line. */
export class TdsQueryError extends Error {
  constructor(
    message: string,
    readonly number: number,
    readonly line: number,
    readonly severity = 16,
    readonly state = 1,
  ) {
    super(message);
  }
}

export type Outcome =
  | { kind: 'rows'; columns: ColumnOut[]; rows: Iterator<readonly unknown[]>; close(): void; replayKey?: string }
  | { kind: 'count'; rowCount: number };

/** SQLite's own declared types (when a test creates tables without SQL Server type names). */
const sqliteTypes: Record<string, TdsTypeName> = {
  integer: 'bigint',
  text: 'nvarchar(4000)',
  real: 'float',
  blob: 'varbinary',
  numeric: 'float',
  boolean: 'bit',
};

function inferType(v: unknown): TdsTypeName {
  if (typeof v === 'bigint') return v >= -2_147_483_648n && v <= 2_147_483_647n ? 'int' : 'bigint';
  if (typeof v === 'number') return Number.isInteger(v) ? (Math.abs(v) <= 2_147_483_647 ? 'int' : 'bigint') : 'float';
  if (typeof v === 'boolean') return 'bit';
  if (Buffer.isBuffer(v)) return 'varbinary';
  if (typeof v === 'string' && v.length > 4000) return 'nvarchar(max)';
  return 'nvarchar(4000)';
}

function declaredEncoder(declared: string | null): ColumnOut['encoder'] | null {
  if (!declared) return null;
  const t = declared.toLowerCase();
  try {
    return encoderFor(sqliteTypes[t] ?? t);
  } catch {
    return null;
  }
}

/**
 * SQLite values for the parameters as bound: bit as 0/1, datetimes as
 * `YYYY-MM-DDTHH:MM:SS.mmmZ` (the form seeded data uses, so they compare as text),
 * everything else as decoded.
 */
export function bindings(parameters: RpcParameter[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of parameters) {
    const v = p.value;
    if (typeof v === 'boolean') out[p.name] = v ? 1 : 0;
    else if (typeof v === 'string' && /^datetime/.test(p.sqlType)) out[p.name] = v.replace(/(\.\d{3})\d*Z$/, '$1Z');
    else out[p.name] = v;
  }
  return out;
}

/** Runs translated statements against SQLite and types the result columns for TDS. */
export class QueryExecutor {
  /** Encoded ROW tokens of generated results with a `replayKey`, per key and row token kind. */
  readonly replays = new Map<string, { bytes: Buffer; rowCount: number }>();

  constructor(
    private readonly db: Database.Database,
    private readonly declarations: () => ColumnTypeDeclarations,
    private readonly rowHook: () => RowHook | undefined,
  ) {}

  run(statement: Extract<Statement, { kind: 'query' }>, parameters: RpcParameter[]): Outcome {
    const generated = this.rowHook()?.(statement.sql, parameters);
    if (generated) return fromGenerated(generated);
    let stmt: Database.Statement;
    try {
      stmt = this.db.prepare(statement.sql);
    } catch (err) {
      throw toTdsError(err, statement);
    }
    const args = bindings(parameters);
    if (!stmt.reader) {
      try {
        return { kind: 'count', rowCount: stmt.run(args).changes };
      } catch (err) {
        throw toTdsError(err, statement);
      }
    }
    let iterator: IterableIterator<unknown[]>;
    let first: IteratorResult<unknown[]>;
    try {
      // Safe integers: a bigint column keeps all 64 bits on its way to the client.
      iterator = stmt.safeIntegers(true).raw(true).iterate(args) as IterableIterator<unknown[]>;
      first = iterator.next();
    } catch (err) {
      throw toTdsError(err, statement);
    }
    const declarations = lowerKeys(this.declarations());
    const columns = stmt.columns().map((c, i): ColumnOut => {
      const declared = c.table && c.column ? declarations[c.table.toLowerCase()]?.[c.column.toLowerCase()] : undefined;
      const encoder = declared ? encoderFor(declared) : (declaredEncoder(c.type) ?? encoderFor(inferType(first.done ? null : first.value[i])));
      // SQL Server leaves unaliased expressions (SELECT 1, COUNT(*)) unnamed; SQLite names them by their text.
      const unnamed = c.column === null && !/^[A-Za-z_#][\w@#$]*$/.test(c.name);
      return { name: unnamed ? '' : c.name, encoder };
    });
    let pendingFirst: IteratorResult<unknown[]> | null = first;
    const rows: Iterator<readonly unknown[]> = {
      next() {
        if (pendingFirst) {
          const r = pendingFirst;
          pendingFirst = null;
          return r;
        }
        try {
          return iterator.next();
        } catch (err) {
          throw toTdsError(err, statement);
        }
      },
    };
    return { kind: 'rows', columns, rows, close: () => void iterator.return?.() };
  }
}

function lowerKeys(d: ColumnTypeDeclarations): ColumnTypeDeclarations {
  return Object.fromEntries(
    Object.entries(d).map(([table, cols]) => [table.toLowerCase(), Object.fromEntries(Object.entries(cols).map(([c, t]) => [c.toLowerCase(), t]))]),
  );
}

function fromGenerated(g: GeneratedResult): Outcome {
  let i = 0;
  return {
    kind: 'rows',
    columns: g.columns.map((c) => ({ name: c.name, encoder: encoderFor(c.type) })),
    rows: { next: () => (i < g.rowCount ? { done: false, value: g.row(i++) } : { done: true, value: undefined }) },
    close: () => void (i = g.rowCount),
    replayKey: g.replayKey,
  };
}

/** The line (1-based, within the batch) where `token` first appears in the statement. */
function lineOf(statement: { original: string; line: number }, token: string): number {
  const at = token ? statement.original.toLowerCase().indexOf(token.toLowerCase()) : -1;
  return statement.line + (at < 0 ? 0 : (statement.original.slice(0, at).match(/\n/g)?.length ?? 0));
}

/** SQLite's complaint, reworded as the SQL Server error a hunter would have seen for the same mistake. */
export function toTdsError(err: unknown, statement: { original: string; line: number }): TdsQueryError {
  if (err instanceof TdsQueryError) return err;
  if (err instanceof SqlSyntaxError) return new TdsQueryError(err.message, err.number, statement.line, 15);
  const message = err instanceof Error ? err.message : String(err);
  let m = /near "([^"]*)": syntax error/.exec(message);
  if (m) return new TdsQueryError(`Incorrect syntax near '${m[1]}'.`, 102, lineOf(statement, m[1]!), 15);
  if (/incomplete input/.test(message)) return new TdsQueryError('Incorrect syntax near the end of the statement.', 102, statement.line, 15);
  m = /no such table: (?:\w+\.)?(.+)/.exec(message);
  if (m) return new TdsQueryError(`Invalid object name '${m[1]}'.`, 208, lineOf(statement, m[1]!));
  m = /no such column: (.+)/.exec(message);
  if (m) return new TdsQueryError(`Invalid column name '${m[1]}'.`, 207, lineOf(statement, m[1]!));
  m = /no such function: (.+)/.exec(message);
  if (m) return new TdsQueryError(`'${m[1]}' is not a recognized built-in function name.`, 195, lineOf(statement, m[1]!), 15);
  m = /Missing named parameter "(.+)"/.exec(message);
  if (m) return new TdsQueryError(`Must declare the scalar variable "@${m[1]}".`, 137, lineOf(statement, `@${m[1]}`), 15, 2);
  return new TdsQueryError(message, 50000, statement.line);
}
