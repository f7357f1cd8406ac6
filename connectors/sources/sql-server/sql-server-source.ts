import sql from 'mssql';
import type { Connection, StoredValue } from '../../../engine/types.js';
import { QuarryError } from '../../../engine/errors.js';
import { unpackRows } from '../../../engine/runs/packed-rows.js';
import type { ResultSink, Source, SourceContext, SourceQuery } from '../types.js';
import { describeFailure, scrubSecret } from './errors.js';
import { queryInputs } from './parameters.js';
import { poolConfig } from './pool-config.js';
import { parseSqlServerSettings, secretFieldOf, targetOf, type SqlServerSettings } from './settings.js';
import { streamRows } from './stream-rows.js';

export {
  sqlServerSettingsSchema,
  sqlServerSecretFields,
  requiredSqlServerSecrets,
  parseSqlServerSettings,
  type SqlServerSettings,
  type SqlServerSettingsInput,
} from './settings.js';

/** Rows per batch handed to the store: large enough to amortise a transaction, small enough to keep memory flat. */
export const DEFAULT_BATCH_ROWS = 5000;

export interface SqlServerSourceOptions {
  batchRows?: number;
}

/**
 * T-SQL hunts against SQL Server through mssql (tedious): one connection pool
 * per source, rows streamed into the sink with backpressure, parameters bound
 * as typed sp_executesql inputs, cancellation as a TDS attention.
 */
export function createSqlServerSource(connection: Connection, ctx: SourceContext, options: SqlServerSourceOptions = {}): Source {
  const settings = parseSqlServerSettings(connection);
  const secretField = secretFieldOf(settings);
  const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
  let pool: Promise<sql.ConnectionPool> | null = null;
  let secretSeen: string | null = null;

  async function connect(): Promise<sql.ConnectionPool> {
    const secret = await ctx.secret(secretField);
    if (!secret) {
      throw new QuarryError('invalid_input', `connection "${connection.name}" has no ${secretField} in the keychain: set it before using the connection`);
    }
    secretSeen = secret;
    const p = new sql.ConnectionPool(poolConfig(settings, secret));
    // A pooled connection that breaks later is reported on the request that used it; nothing to do here.
    p.on('error', () => undefined);
    try {
      await p.connect();
    } catch (err) {
      await p.close().catch(() => undefined);
      throw err;
    }
    return p;
  }

  /** The pool, connecting on first use; a failed connect is forgotten so the next run tries again. */
  function getPool(): Promise<sql.ConnectionPool> {
    if (!pool) {
      const connecting = connect();
      pool = connecting;
      connecting.catch(() => {
        if (pool === connecting) pool = null;
      });
    }
    return pool;
  }

  /** Applies the deadline and turns every failure into a QuarryError naming the connection, without the secret. */
  async function guarded<T>(userSignal: AbortSignal, timeoutMs: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([userSignal, deadline]);
    try {
      signal.throwIfAborted();
      return await fn(signal);
    } catch (err) {
      let failure: QuarryError;
      if (userSignal.aborted) failure = new QuarryError('cancelled', 'the run was cancelled');
      else if (deadline.aborted) {
        failure = new QuarryError('query_failed', `the query on "${connection.name}" did not finish within ${timeoutMs} ms and was cancelled`);
      } else failure = describeFailure(err, { connectionName: connection.name, settings });
      throw scrubSecret(failure, secretSeen);
    }
  }

  /** Waits for the pool, but gives up as soon as the run is cancelled or out of time. */
  async function poolFor(signal: AbortSignal): Promise<sql.ConnectionPool> {
    return Promise.race([
      getPool(),
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    ]);
  }

  async function execute(text: string, q: Pick<SourceQuery, 'parameters' | 'window'>, sink: ResultSink, signal: AbortSignal): Promise<void> {
    const inputs = queryInputs(q.parameters, q.window, (m) => sink.warn(m));
    const p = await poolFor(signal);
    const request = p.request();
    request.stream = true;
    for (const input of inputs) request.input(input.name, input.type, input.value);
    await streamRows(request, text, sink, { batchRows, signal });
  }

  return {
    run(q: SourceQuery, sink: ResultSink): Promise<void> {
      if (q.language !== 'tsql') {
        return Promise.reject(new QuarryError('invalid_input', `connection "${connection.name}" runs T-SQL, not ${q.language}`));
      }
      return guarded(q.signal, q.timeoutMs ?? settings.requestTimeoutMs, (signal) => execute(q.query, q, sink, signal));
    },

    async test(signal?: AbortSignal): Promise<string> {
      let version = '';
      const sink: ResultSink = {
        setColumns: () => undefined,
        writeRows: async (rows: StoredValue[][]) => void (version ||= String(rows[0]?.[0] ?? '')),
        writePacked: async (batch) => void (version ||= String(unpackRows(batch)[0]?.[0] ?? '')),
        warn: () => undefined,
      };
      const timeoutMs = settings.connectTimeoutMs + settings.requestTimeoutMs;
      await guarded(signal ?? new AbortController().signal, timeoutMs, (s) => execute('SELECT @@VERSION', { parameters: [] }, sink, s));
      return describe(settings, version);
    },

    async close(): Promise<void> {
      const current = pool;
      pool = null;
      if (current) await current.then((p) => p.close()).catch(() => undefined);
    },
  };
}

/** One line for "test connection": what was reached, how, and which SQL Server it is. */
function describe(s: SqlServerSettings, version: string): string {
  const product = version.split('\n')[0]?.trim() || 'SQL Server';
  const who = s.authentication === 'sql' ? `SQL login ${s.user}` : s.authentication === 'ntlm' ? `Windows login ${s.domain}\\${s.user}` : `service principal ${s.clientId}`;
  const database = s.database ? `database "${s.database}"` : 'default database';
  return `${product} at ${targetOf(s)}, ${database}, signed in as ${who}, ${s.encrypt ? 'TLS requested' : 'unencrypted'}`;
}
