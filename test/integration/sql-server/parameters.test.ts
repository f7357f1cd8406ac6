import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BoundParameter } from '../../../engine/runs/parameters.js';
import type { Source } from '../../../connectors/sources/types.js';
import type { TdsTestServer } from '../fakes/tds/index.js';
import { collect, failure, fakeSource, startFake } from './helpers.js';

let server: TdsTestServer;
let source: Source;

beforeAll(async () => {
  server = await startFake({ columnTypes: { signins: { ts: 'datetime2', interactive: 'bit', risk: 'float', attempts: 'int' } } });
  server.db.exec('CREATE TABLE signins (upn, ts, interactive, risk, attempts)');
  const insert = server.db.prepare('INSERT INTO signins VALUES (?, ?, ?, ?, ?)');
  insert.run('ana@contoso.com', '2026-03-01T08:00:00.000Z', 1, 0.9, 12);
  insert.run('bob@contoso.com', '2026-03-01T09:30:00.000Z', 0, 0.2, 1);
  insert.run('eve@contoso.com', '2026-03-02T10:00:00.000Z', 1, 0.95, 40);
  insert.run("o'brien@contoso.com", '2026-03-03T00:00:00.000Z', 0, 0.1, 0);
  source = fakeSource(server);
});

afterAll(async () => {
  await source.close();
  await server.close();
});

beforeEach(() => {
  server.stats.queries.length = 0;
});

const lastQuery = () => server.stats.queries.at(-1)!;

describe('hunt parameters on SQL Server', () => {
  it('binds every Quarry parameter type as a typed sp_executesql input', async () => {
    const parameters: BoundParameter[] = [
      { name: 'domain', type: 'string', value: '%@contoso.com' },
      { name: 'minAttempts', type: 'int', value: 2 },
      { name: 'minRisk', type: 'real', value: 0.5 },
      { name: 'interactive', type: 'bool', value: true },
      { name: 'since', type: 'datetime', value: '2026-03-01T00:00:00.000Z' },
      { name: 'lookback', type: 'timespan', value: 3600 },
      { name: 'bigLimit', type: 'int', value: 10_000_000_000 },
    ];
    const hunt = `SELECT upn FROM signins
      WHERE upn LIKE @domain AND attempts >= @minAttempts AND risk > @minRisk AND interactive = @interactive
        AND ts >= @since AND @lookback > 0 AND attempts < @bigLimit
      ORDER BY upn`;
    const out = await collect(source, hunt, { parameters });
    expect(out.rows).toEqual([['ana@contoso.com'], ['eve@contoso.com']]);
    // The query text went as written; the values only as typed parameters.
    expect(lastQuery().kind).toBe('rpc');
    expect(lastQuery().sql).toBe(hunt);
    expect(lastQuery().parameters.map((p) => [p.name, p.sqlType, p.value])).toEqual([
      ['domain', 'nvarchar(4000)', '%@contoso.com'],
      ['minAttempts', 'int', 2],
      ['minRisk', 'float', 0.5],
      ['interactive', 'bit', true],
      ['since', 'datetime2(7)', '2026-03-01T00:00:00.0000000Z'],
      ['lookback', 'float', 3600],
      ['bigLimit', 'bigint', 10_000_000_000n],
    ]);
  });

  it('binds the scheduled window as @start and @end (datetime2)', async () => {
    const out = await collect(source, 'SELECT upn FROM signins WHERE ts >= @start AND ts < @end ORDER BY ts', {
      window: { start: '2026-03-01T09:30:00.000Z', end: '2026-03-02T10:00:00.000Z' },
    });
    expect(out.rows).toEqual([['bob@contoso.com']]);
    expect(lastQuery().parameters.map((p) => [p.name, p.sqlType, p.value])).toEqual([
      ['start', 'datetime2(7)', '2026-03-01T09:30:00.0000000Z'],
      ['end', 'datetime2(7)', '2026-03-02T10:00:00.0000000Z'],
    ]);
  });

  it('lets the window win over a hunt parameter of the same name, with a warning', async () => {
    const out = await collect(source, 'SELECT COUNT(*) AS n FROM signins WHERE ts >= @start', {
      parameters: [{ name: 'start', type: 'datetime', value: '2000-01-01T00:00:00.000Z' }],
      window: { start: '2026-03-02T00:00:00.000Z', end: '2026-03-04T00:00:00.000Z' },
    });
    expect(out.rows).toEqual([[2]]);
    expect(out.warnings).toEqual(['hunt parameter "start" was replaced by the scheduled window\'s start (@start)']);
  });

  it('binds NULL as a typed NULL', async () => {
    const out = await collect(source, 'SELECT COUNT(*) AS n FROM signins WHERE @who IS NULL OR upn = @who', {
      parameters: [{ name: 'who', type: 'string', value: null }],
    });
    expect(out.rows).toEqual([[4]]);
    expect(lastQuery().parameters).toEqual([{ name: 'who', sqlType: 'nvarchar(4000)', value: null, output: false }]);
  });

  it('keeps a hostile value a value', async () => {
    const hostile = "x' OR 1=1; DROP TABLE signins; --";
    const out = await collect(source, 'SELECT upn FROM signins WHERE upn = @upn', { parameters: [{ name: 'upn', type: 'string', value: hostile }] });
    expect(out.rows).toEqual([]);
    const quoted = await collect(source, 'SELECT upn FROM signins WHERE upn = @upn', {
      parameters: [{ name: 'upn', type: 'string', value: "o'brien@contoso.com" }],
    });
    expect(quoted.rows).toEqual([["o'brien@contoso.com"]]);
    expect((await collect(source, 'SELECT COUNT(*) FROM signins')).rows).toEqual([[4]]);
  });

  it('sends long text as nvarchar(max)', async () => {
    const long = 'a'.repeat(5000);
    const out = await collect(source, 'SELECT LEN(@text) AS n', { parameters: [{ name: 'text', type: 'string', value: long }] });
    expect(out.rows).toEqual([[5000]]);
    expect(lastQuery().parameters[0]!.sqlType).toBe('nvarchar(max)');
  });

  it('refuses a parameter name that is not a T-SQL variable name', async () => {
    const err = await failure(collect(source, 'SELECT 1', { parameters: [{ name: 'bad name', type: 'string', value: 'x' }] }));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('parameter "bad name" cannot be a T-SQL variable name');
  });

  it('says which variable a hunt forgot to declare', async () => {
    const err = await failure(collect(source, 'SELECT upn FROM signins WHERE upn = @missing'));
    expect(err.message).toContain('SQL Server error 137 at line 1: Must declare the scalar variable "@missing".');
  });
});
