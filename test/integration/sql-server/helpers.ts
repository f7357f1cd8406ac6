import { randomUUID } from 'node:crypto';
import type { Connection, ResultColumn, StoredValue } from '../../../engine/types.js';
import type { BoundParameter } from '../../../engine/runs/parameters.js';
import { unpackRows } from '../../../engine/runs/packed-rows.js';
import type { ResultSink, Source } from '../../../connectors/sources/types.js';
import { createSqlServerSource, type SqlServerSourceOptions } from '../../../connectors/sources/sql-server/sql-server-source.js';
import { TdsTestServer, type TdsTestServerOptions } from '../fakes/tds/index.js';

/** A password distinctive enough that finding it anywhere in a message means it leaked. */
export const PASSWORD = 'Pw-7f3c9e1a-sekret';
export const USER = 'hunter';
export const DATABASE = 'hunting';

/** The fake with one SQL login (USER / PASSWORD) and the `hunting` database. */
export function startFake(options: TdsTestServerOptions = {}): Promise<TdsTestServer> {
  return TdsTestServer.start({ logins: { [USER]: PASSWORD }, databases: [DATABASE, 'master'], ...options });
}

export function sqlConnection(settings: Record<string, unknown>, name = 'onprem-sql'): Connection {
  return {
    id: randomUUID(),
    name,
    kind: 'sql-server',
    settings,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** Settings for the fake: plain TCP, SQL login, short timeouts. */
export function fakeSettings(server: TdsTestServer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server: server.host,
    port: server.port,
    database: DATABASE,
    encrypt: false,
    user: USER,
    connectTimeoutMs: 5000,
    requestTimeoutMs: 20_000,
    ...extra,
  };
}

/** A source on the fake; the secret comes from an in-memory keychain stand-in. */
export function fakeSource(
  server: TdsTestServer,
  opts: { settings?: Record<string, unknown>; secret?: string | null | (() => string | null); name?: string; options?: SqlServerSourceOptions } = {},
): Source {
  const given = opts.secret;
  const secret = typeof given === 'function' ? given : () => (given === undefined ? PASSWORD : given);
  return createSqlServerSource(
    sqlConnection(fakeSettings(server, opts.settings), opts.name),
    { dataDir: '/nonexistent', secret: async (field) => (field === 'password' || field === 'clientSecret' ? secret() : null) },
    opts.options,
  );
}

export interface Collected {
  columns: ResultColumn[];
  rows: StoredValue[][];
  batches: number[];
  warnings: string[];
  /** Most writeRows calls in progress at once (1 means the source waited for each). */
  maxInFlight: number;
}

export interface RunExtra {
  parameters?: BoundParameter[];
  window?: { start: string; end: string };
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Runs inside each writeRows before it resolves: a slow store, or a hook to cancel mid-stream. */
  onBatch?: (rows: StoredValue[][], collected: Collected) => Promise<void> | void;
}

/** A sink that keeps everything and records how it was called. */
export function collectingSink(extra: Pick<RunExtra, 'onBatch'> = {}): { sink: ResultSink; out: Collected } {
  const out: Collected = { columns: [], rows: [], batches: [], warnings: [], maxInFlight: 0 };
  let inFlight = 0;
  const sink: ResultSink = {
    setColumns: (c) => void (out.columns = c),
    writeRows: async () => {
      throw new Error('the SQL Server source sent rows as arrays instead of packed');
    },
    writePacked: async (batch) => {
      const rows = unpackRows(batch);
      inFlight++;
      out.maxInFlight = Math.max(out.maxInFlight, inFlight);
      try {
        out.batches.push(rows.length);
        for (const r of rows) out.rows.push(r);
        await extra.onBatch?.(rows, out);
      } finally {
        inFlight--;
      }
    },
    warn: (m) => void out.warnings.push(m),
  };
  return { sink, out };
}

export async function collect(source: Source, query: string, extra: RunExtra = {}): Promise<Collected> {
  const { sink, out } = collectingSink(extra);
  await source.run(
    {
      language: 'tsql',
      query,
      parameters: extra.parameters ?? [],
      window: extra.window,
      signal: extra.signal ?? new AbortController().signal,
      timeoutMs: extra.timeoutMs,
    },
    sink,
  );
  return out;
}

export { failure } from '../../helpers/failure.js';

/** `n` rows into `table` (id, name) in one transaction: id 1..n, name `row-<id>` (zero-padded to `width` digits when given). */
export function seedNumbers(server: TdsTestServer, table: string, n: number, width = 0): void {
  server.db.exec(`CREATE TABLE ${table} (id INT, name NVARCHAR(${Math.max(50, width + 10)}))`);
  const name = width ? `printf('row-%0${width}d', x)` : `'row-' || x`;
  server.db.exec(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${n}) INSERT INTO ${table} SELECT x, ${name} FROM c`);
}

/** Resolves once `check` holds, polling; fails after `limitMs` so a broken fake cannot hang the suite. */
export async function until(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
