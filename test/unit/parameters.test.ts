import { describe, expect, it } from 'vitest';
import { bindParameters, parseTimespan } from '../../engine/runs/parameters.js';
import { sqlParameterNames } from '../../connectors/sources/local/sql-parameters.js';

describe('hunt parameters', () => {
  const declared = [
    { name: 'min', type: 'int' as const, default: 10 },
    { name: 'since', type: 'datetime' as const },
    { name: 'strict', type: 'bool' as const, default: false },
    { name: 'window', type: 'timespan' as const, default: '1h' },
  ];

  it('types given values and falls back to defaults', () => {
    const bound = bindParameters(declared, { since: '2026-01-05T10:00:00+01:00', strict: 'yes' });
    expect(bound).toEqual([
      { name: 'min', type: 'int', value: 10 },
      { name: 'since', type: 'datetime', value: '2026-01-05T09:00:00.000Z' },
      { name: 'strict', type: 'bool', value: true },
      { name: 'window', type: 'timespan', value: 3600 },
    ]);
  });

  it('names the parameter in every error', () => {
    expect(() => bindParameters(declared, {})).toThrowError(/"since" needs a value/);
    expect(() => bindParameters(declared, { since: 'yesterday' })).toThrowError(/"since" must be an ISO 8601/);
    expect(() => bindParameters(declared, { since: '2026-01-01', min: '1.5' })).toThrowError(/"min" must be a whole number/);
    expect(() => bindParameters(declared, { since: '2026-01-01', nope: 1 })).toThrowError(/unknown parameter "nope".*min, since, strict, window/);
  });

  it('reads timespans', () => {
    expect(parseTimespan('90s')).toBe(90);
    expect(parseTimespan('7d')).toBe(604800);
    expect(parseTimespan('1.02:00:00')).toBe(93600);
    expect(parseTimespan('soon')).toBeNull();
  });
});

describe('sqlParameterNames', () => {
  it('finds @, : and $ parameters outside literals and comments', () => {
    const sql = `SELECT '@notme', "col@x", [@alsoNot] -- @comment\n FROM t /* :block */ WHERE a = @min AND b = :since AND c = $x AND d = 'it''s @no'`;
    expect([...sqlParameterNames(sql)].sort()).toEqual(['min', 'since', 'x']);
  });
});
