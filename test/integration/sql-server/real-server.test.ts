import sql from 'mssql';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlServerSource } from '../../../connectors/sources/sql-server/sql-server-source.js';
import type { Source } from '../../../connectors/sources/types.js';
import { collect, failure, sqlConnection } from './helpers.js';

/**
 * The same driver path against a real SQL Server, when QUARRY_TEST_MSSQL holds
 * an ADO-style connection string (see README.md). Skipped otherwise.
 */
const connectionString = process.env.QUARRY_TEST_MSSQL;

function realSource(overrides: { password?: string } = {}): { source: Source; password: string } {
  const c = sql.ConnectionPool.parseConnectionString(connectionString!);
  const options = (c.options ?? {}) as { encrypt?: boolean; trustServerCertificate?: boolean; instanceName?: string };
  const password = overrides.password ?? c.password ?? '';
  const settings = {
    server: c.server,
    port: options.instanceName ? undefined : c.port,
    instanceName: options.instanceName,
    database: c.database,
    encrypt: options.encrypt ?? true,
    trustServerCertificate: options.trustServerCertificate ?? false,
    user: c.user,
    connectTimeoutMs: 15_000,
    requestTimeoutMs: 60_000,
  };
  const source = createSqlServerSource(sqlConnection(settings, 'real-mssql'), { dataDir: '/nonexistent', secret: async () => password });
  return { source, password };
}

describe.skipIf(!connectionString)('SQL Server source against a real SQL Server (QUARRY_TEST_MSSQL)', () => {
  const { source } = connectionString ? realSource() : { source: null as unknown as Source };
  afterAll(async () => {
    await source?.close();
  });

  it('tests the connection with SELECT @@VERSION', async () => {
    expect(await source.test()).toMatch(/SQL Server/);
  });

  it('maps the column types and NULLs', async () => {
    const out = await collect(
      source,
      `SELECT CAST(42 AS int) AS i, CAST(9007199254740993 AS bigint) AS b, CAST(1 AS bit) AS t, CAST(0.5 AS float) AS f,
         CAST('2026-03-01T08:15:30.123' AS datetime2(3)) AS ts, CAST('0B2F8A6E-1C4D-4F7A-9A1B-00000000C0DE' AS uniqueidentifier) AS g,
         N'Zoë 北京' AS s, CAST(NULL AS int) AS n, CAST(1234.5678 AS decimal(18,4)) AS d, 0xC0FFEE AS h`,
    );
    expect(out.columns.map((c) => c.type)).toEqual(['int', 'long', 'bool', 'real', 'datetime', 'guid', 'string', 'int', 'decimal', 'string']);
    expect(out.rows).toEqual([[42, 9_007_199_254_740_993n, 1, 0.5, '2026-03-01T08:15:30.123Z', '0b2f8a6e-1c4d-4f7a-9a1b-00000000c0de', 'Zoë 北京', null, 1234.5678, 'c0ffee']]);
  });

  it('binds hunt parameters and the window as typed inputs', async () => {
    const out = await collect(source, 'SELECT @s AS s, @i AS i, @r AS r, @b AS b, @since AS since, @start AS start', {
      parameters: [
        { name: 's', type: 'string', value: "o'brien" },
        { name: 'i', type: 'int', value: 7 },
        { name: 'r', type: 'real', value: 0.25 },
        { name: 'b', type: 'bool', value: false },
        { name: 'since', type: 'datetime', value: '2026-01-02T03:04:05.678Z' },
      ],
      window: { start: '2026-03-01T00:00:00.000Z', end: '2026-03-02T00:00:00.000Z' },
    });
    expect(out.rows).toEqual([["o'brien", 7, 0.25, 0, '2026-01-02T03:04:05.678Z', '2026-03-01T00:00:00.000Z']]);
  });

  it('streams 50,000 rows in order and in batches', async () => {
    const out = await collect(
      source,
      'SELECT TOP (50000) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS n FROM sys.all_objects a CROSS JOIN sys.all_objects b ORDER BY n',
    );
    expect(out.rows).toHaveLength(50_000);
    expect(out.rows.every((r, i) => r[0] === i + 1)).toBe(true);
    expect(Math.max(...out.batches)).toBeLessThanOrEqual(5000);
  });

  it('cancels a running query and keeps the connection usable', async () => {
    const controller = new AbortController();
    const run = collect(source, "WAITFOR DELAY '00:00:30'; SELECT 1", { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    expect((await failure(run)).code).toBe('cancelled');
    expect((await collect(source, 'SELECT 1 AS ok')).rows).toEqual([[1]]);
  });

  it('reports syntax errors with their number and line', async () => {
    const err = await failure(collect(source, 'SELECT 1\nSELECT * FROM WHERE'));
    expect(err.message).toMatch(/SQL Server error 156 at line 2: Incorrect syntax near the keyword 'WHERE'\./);
  });

  it('reports a wrong password without the password', async () => {
    const { source: wrong, password } = realSource({ password: 'Not-The-Password-42' });
    try {
      const err = await failure(wrong.test());
      expect(err.code).toBe('connection_failed');
      expect(err.message).toContain('Login failed');
      expect(err.message).not.toContain(password);
    } finally {
      await wrong.close();
    }
  });
});
