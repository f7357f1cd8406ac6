import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../../connectors/sources/types.js';
import type { TdsTestServer } from '../fakes/tds/index.js';
import { collect, fakeSource, startFake } from './helpers.js';

let server: TdsTestServer;
let source: Source;

const LONG_TEXT = 'x'.repeat(9000) + ' end';

beforeAll(async () => {
  // The fake sends each column as the SQL Server type declared here, whatever SQLite holds.
  server = await startFake({
    columnTypes: {
      signins: {
        id: 'bigint',
        ts: 'datetime2',
        upn: 'nvarchar(256)',
        interactive: 'bit',
        risk: 'float',
        attempts: 'int',
        correlation: 'uniqueidentifier',
        details: 'nvarchar(max)',
        amount: 'decimal(18,4)',
        hash: 'varbinary',
        small: 'smallint',
        tiny: 'tinyint',
        ratio: 'real',
      },
    },
  });
  server.db.exec(`CREATE TABLE signins (id, ts, upn, interactive, risk, attempts, correlation, details, amount, hash, small, tiny, ratio)`);
  const insert = server.db.prepare('INSERT INTO signins VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  insert.run(1, '2026-03-01T08:15:30.1234567Z', 'ana@contoso.com', 1, 0.25, 3, '0B2F8A6E-1C4D-4F7A-9A1B-00000000C0DE', 'short', '1234.5678', Buffer.from('c0ffee', 'hex'), -7, 200, 0.5);
  insert.run(2, null, null, null, null, null, null, null, null, null, null, null, null);
  insert.run(9_007_199_254_740_993n, '1999-12-31T23:59:59.999Z', 'Zoë 北京 🙂', 0, -1.5e300, -2_147_483_648, 'ffffffff-ffff-ffff-ffff-ffffffffffff', LONG_TEXT, '-0.0001', Buffer.alloc(0), 32_767, 0, -3.25);
  source = fakeSource(server);
});

afterAll(async () => {
  await source.close();
  await server.close();
});

describe('SQL Server column types', () => {
  it('maps every type to a Quarry column type and round-trips values and NULLs', async () => {
    const out = await collect(source, 'SELECT id, ts, upn, interactive, risk, attempts, correlation, details, amount, hash, small, tiny, ratio FROM signins ORDER BY ts');
    expect(out.columns).toEqual([
      { name: 'id', type: 'long' },
      { name: 'ts', type: 'datetime' },
      { name: 'upn', type: 'string' },
      { name: 'interactive', type: 'bool' },
      { name: 'risk', type: 'real' },
      { name: 'attempts', type: 'int' },
      { name: 'correlation', type: 'guid' },
      { name: 'details', type: 'string' },
      { name: 'amount', type: 'decimal' },
      { name: 'hash', type: 'string' },
      { name: 'small', type: 'int' },
      { name: 'tiny', type: 'int' },
      { name: 'ratio', type: 'real' },
    ]);
    // SQLite sorts NULL first: the all-NULL row, then 1999, then 2026.
    expect(out.rows).toEqual([
      [2, null, null, null, null, null, null, null, null, null, null, null, null],
      // bigint past 2^53 stays exact (as a bigint); datetimes are ISO 8601 UTC with milliseconds.
      [9_007_199_254_740_993n, '1999-12-31T23:59:59.999Z', 'Zoë 北京 🙂', 0, -1.5e300, -2_147_483_648, 'ffffffff-ffff-ffff-ffff-ffffffffffff', LONG_TEXT, -0.0001, '', 32_767, 0, -3.25],
      [1, '2026-03-01T08:15:30.123Z', 'ana@contoso.com', 1, 0.25, 3, '0b2f8a6e-1c4d-4f7a-9a1b-00000000c0de', 'short', 1234.5678, 'c0ffee', -7, 200, 0.5],
    ]);
  });

  it('sends the declared SQL Server types on the wire, falling back to what SQLite holds', async () => {
    const out = await collect(source, 'SELECT 1 AS one, 2.5 AS half, N\'text\' AS label, NULL AS missing, 5000000000 AS big');
    expect(out.columns).toEqual([
      { name: 'one', type: 'int' },
      { name: 'half', type: 'real' },
      { name: 'label', type: 'string' },
      { name: 'missing', type: 'string' },
      { name: 'big', type: 'long' },
    ]);
    expect(out.rows).toEqual([[1, 2.5, 'text', null, 5_000_000_000]]);
  });

  it('names unnamed columns and keeps duplicate names apart', async () => {
    const out = await collect(source, 'SELECT 1, s.id, t.id FROM signins s JOIN signins t ON t.id = s.id WHERE s.id = 1');
    expect(out.columns.map((c) => c.name)).toEqual(['Column1', 'id', 'id_2']);
    expect(out.rows).toEqual([[1, 1, 1]]);
  });

  it('keeps the columns of a result with no rows', async () => {
    const out = await collect(source, 'SELECT upn, ts FROM signins WHERE 1 = 0');
    expect(out.columns).toEqual([
      { name: 'upn', type: 'string' },
      { name: 'ts', type: 'datetime' },
    ]);
    expect(out.rows).toEqual([]);
  });

  it('keeps the first of several result sets and says so', async () => {
    const out = await collect(source, 'SELECT upn FROM signins WHERE id = 1; SELECT id FROM signins');
    expect(out.columns).toEqual([{ name: 'upn', type: 'string' }]);
    expect(out.rows).toEqual([['ana@contoso.com']]);
    expect(out.warnings).toEqual(['the query returned more than one result set; only the first one is kept']);
  });
});
