import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureFakes, oneApiError, rawNumber, type AzureFakes } from '../fakes/log-analytics/index.js';
import { collect, laSource } from './helpers.js';

let fakes: AzureFakes;
beforeAll(async () => {
  fakes = await startAzureFakes();
});
afterAll(async () => {
  await fakes.close();
});

const allTypes = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Account', type: 'string' },
  { name: 'EventID', type: 'int' },
  { name: 'Bytes', type: 'long' },
  { name: 'Score', type: 'real' },
  { name: 'IsAdmin', type: 'bool' },
  { name: 'CorrelationId', type: 'guid' },
  { name: 'Elapsed', type: 'timespan' },
  { name: 'Amount', type: 'decimal' },
  { name: 'Details', type: 'dynamic' },
];

describe('Log Analytics results', () => {
  it('maps every column type to Quarry types and values faithfully', async () => {
    fakes.logs.on('AllTypes', {
      table: {
        columns: allTypes,
        rows: [
          ['2026-01-05T10:00:00.1234567Z', 'CONTOSO\\alice', 4624, 123, 0.25, true, '0b2f8a6e-1c4d-4f7a-9a1b-000000000001', '1.02:03:04.5000000', '1.5', '{"ip":"10.0.0.1","tags":["a"]}'],
          ['2026-01-05T10:00:01Z', 'bob "the admin"', -1, 9007199254740993n, 'NaN', false, '0b2f8a6e-1c4d-4f7a-9a1b-000000000002', '-00:00:01.2500000', rawNumber('12345678901234567890.123456789'), { native: [1, 'two'] }],
          [null, null, null, null, null, null, null, null, null, null],
        ],
      },
    });
    const r = await collect(laSource(fakes), 'AllTypes | take 3');
    expect(r.columns).toEqual(allTypes.map((c) => ({ name: c.name, type: c.type })));
    expect(r.rows[0]).toEqual(['2026-01-05T10:00:00.123Z', 'CONTOSO\\alice', 4624, 123, 0.25, 1, '0b2f8a6e-1c4d-4f7a-9a1b-000000000001', 93784.5, 1.5, '{"ip":"10.0.0.1","tags":["a"]}']);
    // A long past 2^53 keeps every digit (as a bigint); a decimal too precise for a double keeps its exact text.
    expect(r.rows[1]).toEqual(['2026-01-05T10:00:01.000Z', 'bob "the admin"', -1, 9007199254740993n, 'NaN', 0, '0b2f8a6e-1c4d-4f7a-9a1b-000000000002', -1.25, '12345678901234567890.123456789', '{"native":[1,"two"]}']);
    expect(r.rows[2]).toEqual(Array(10).fill(null));
    expect(r.warnings).toEqual([]);
  });

  it('keeps the rows of a partial failure and warns with the service message', async () => {
    const partial = {
      code: 'PartialError',
      message: 'There were some errors when processing your query.',
      details: [
        {
          code: 'EngineError',
          message: 'Something went wrong processing your query on the server.',
          innererror: { code: '-2133196798', message: 'Query result set has exceeded the internal record count limit 500000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)', severity: 2, severityName: 'Error' },
        },
      ],
    };
    const rows = Array.from({ length: 1200 }, (_, i) => [`host-${i}`, i]);
    const columns = [{ name: 'Computer', type: 'string' }, { name: 'n', type: 'long' }];
    fakes.logs.on('Heartbeat | partial-after', { table: { columns, rows }, error: partial });
    fakes.logs.on('Heartbeat | partial-before', { table: { columns, rows }, error: partial, errorFirst: true });
    for (const q of ['Heartbeat | partial-after', 'Heartbeat | partial-before']) {
      const r = await collect(laSource(fakes, { name: 'sentinel-eu' }), q);
      expect(r.rows).toHaveLength(1200);
      expect(r.rows[1199]).toEqual(['host-1199', 1199]);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toContain('"sentinel-eu"');
      expect(r.warnings[0]).toContain('There were some errors when processing your query.');
      expect(r.warnings[0]).toContain('E_QUERY_RESULT_SET_TOO_LARGE');
    }
  });

  it('fails when a 200 carries only an error and no table', async () => {
    fakes.logs.on('OnlyError', { status: 200, body: { tables: [], ...oneApiError('PartialError', 'There were some errors when processing your query.') } });
    await expect(collect(laSource(fakes), 'OnlyError')).rejects.toThrow(/"sentinel-prod" failed: There were some errors/);
  });

  it('writes large results in bounded batches, every row once', async () => {
    const n = 23_456;
    fakes.logs.on('Big', { table: { columns: [{ name: 'i', type: 'long' }, { name: 's', type: 'string' }], rows: Array.from({ length: n }, (_, i) => [i, `row ${i} with "quotes" and \\ and ]`]) }, chunkRows: 777 });
    const r = await collect(laSource(fakes, { options: { batchRows: 5000 } }), 'Big');
    expect(r.rows).toHaveLength(n);
    expect(r.rows.map((row) => row[0])).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(r.rows[n - 1]![1]).toBe(`row ${n - 1} with "quotes" and \\ and ]`);
    expect(Math.max(...r.batches)).toBeLessThanOrEqual(5000);
    expect(r.batches.length).toBeGreaterThanOrEqual(5);
  });

  it('keeps the first table and warns about others', async () => {
    fakes.logs.on('TwoTables', {
      table: { columns: [{ name: 'a', type: 'int' }], rows: [[1], [2]] },
      extraTables: [{ name: 'Extra', columns: [{ name: 'b', type: 'string' }], rows: [['x']] }],
    });
    const r = await collect(laSource(fakes), 'TwoTables');
    expect(r.rows).toEqual([[1], [2]]);
    expect(r.warnings.join()).toMatch(/1 more table\(s\) with 1 row\(s\)/);
  });

  it('returns an empty result with its columns when nothing matches', async () => {
    fakes.logs.on('NoRows', { table: { columns: [{ name: 'a', type: 'string' }], rows: [] } });
    const r = await collect(laSource(fakes), 'NoRows');
    expect(r.columns).toEqual([{ name: 'a', type: 'string' }]);
    expect(r.rows).toEqual([]);
  });

  it('queries additional workspaces and sends the server timeout', async () => {
    fakes.logs.on('CrossWorkspace', { table: { columns: [{ name: 'a', type: 'int' }], rows: [[1]] } });
    const { OTHER_WORKSPACE } = await import('../fakes/log-analytics/index.js');
    await collect(laSource(fakes, { settings: { additionalWorkspaces: [OTHER_WORKSPACE], serverTimeoutSeconds: 42 } }), 'CrossWorkspace');
    const req = fakes.logs.requests.at(-1)!;
    expect(req.body.workspaces).toEqual([OTHER_WORKSPACE]);
    expect(req.prefer).toBe('wait=42');
    expect(req.bearer).toBe('valid');
  });

  it('test() signs in and runs a one-row query against the workspace', async () => {
    const text = await laSource(fakes).test();
    expect(text).toContain('Log Analytics workspace');
    expect(fakes.logs.requests.at(-1)!.body.query).toMatch(/^print /);
  });
});
