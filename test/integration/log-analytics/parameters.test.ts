import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureFakes, type AzureFakes } from '../fakes/log-analytics/index.js';
import type { BoundParameter } from '../../../engine/runs/parameters.js';
import { bindParameters } from '../../../engine/runs/parameters.js';
import { kqlString, prepareKql } from '../../../connectors/sources/log-analytics/kql-parameters.js';
import { collect, laSource, readKqlString } from './helpers.js';

let fakes: AzureFakes;
beforeAll(async () => {
  fakes = await startAzureFakes();
  fakes.logs.on('SigninLogs | where', { table: { columns: [{ name: 'n', type: 'int' }], rows: [[1]] } });
});
afterAll(async () => {
  await fakes.close();
});

const HUNT = 'SigninLogs | where UserPrincipalName == who and TimeGenerated > since';

/** The `let` line Quarry sent before the hunt, and the hunt text after it, from what the fake received. */
async function sent(parameters: BoundParameter[], window?: { start: string; end: string }) {
  await collect(laSource(fakes), HUNT, { parameters, window });
  const req = fakes.logs.requests.at(-1)!;
  const [prelude, ...rest] = req.body.query!.split('\n');
  return { prelude: prelude!, hunt: rest.join('\n'), timespan: req.body.timespan };
}

const injections = [
  'alice@contoso.com',
  '"; SecurityEvent | take 100000 //',
  "' or 1==1 //",
  'back\\slash\\',
  '\\"; print pwned=1; let x = "',
  'multi\nline\twith tab',
  'ends with backslash \\',
  'unicode ✓ — Ünïcödé 🦊',
];

describe('hunt parameters as KQL let statements', () => {
  it('binds every type as a typed literal on one line before the unchanged hunt', async () => {
    const params = bindParameters(
      [
        { name: 'who', type: 'string' },
        { name: 'since', type: 'datetime' },
        { name: 'min', type: 'int' },
        { name: 'ratio', type: 'real' },
        { name: 'strict', type: 'bool' },
        { name: 'lookback', type: 'timespan' },
        { name: 'nothing', type: 'int', default: null },
      ],
      { who: 'alice@contoso.com', since: '2026-01-05T10:00:00Z', min: 5, ratio: '0.75', strict: 'yes', lookback: '1.02:03:04.5' },
    );
    const s = await sent(params);
    expect(s.hunt).toBe(HUNT);
    expect(s.prelude).toBe(
      'let who = "alice@contoso.com"; let since = datetime(2026-01-05T10:00:00.000Z); let min = long(5); let ratio = real(0.75); ' +
        'let strict = true; let lookback = time(1.02:03:04.5000000); let nothing = long(null);',
    );
    expect(s.timespan).toBeUndefined();
  });

  it.each(injections)('a string value cannot escape its literal: %j', async (value) => {
    const s = await sent([{ name: 'who', type: 'string', value }]);
    expect(s.hunt).toBe(HUNT);
    const head = 'let who = ';
    expect(s.prelude.startsWith(head)).toBe(true);
    const lit = readKqlString(s.prelude, head.length);
    expect(lit.value).toBe(value);
    expect(s.prelude.slice(lit.end)).toBe(';');
  });

  it('passes text with other control characters as base64, which has nothing to escape', async () => {
    const value = 'carriage\rreturn\u0000nul\u001b[31m';
    const s = await sent([{ name: 'who', type: 'string', value }]);
    const m = /^let who = base64_decode_tostring\("([A-Za-z0-9+/=]*)"\);$/.exec(s.prelude);
    expect(m).not.toBeNull();
    expect(Buffer.from(m![1]!, 'base64').toString('utf8')).toBe(value);
  });

  it('refuses values that do not match their declared type instead of pasting them', () => {
    expect(() => prepareKql({ query: HUNT, parameters: [{ name: 'since', type: 'datetime', value: '2026-01-01) | take 1 //' }] })).toThrow(/not an ISO 8601/);
    expect(() => prepareKql({ query: HUNT, parameters: [{ name: 'min', type: 'int', value: '1; print 2' }] })).toThrow(/has a string value for type int/);
    expect(() => prepareKql({ query: HUNT, parameters: [{ name: 'bad name', type: 'int', value: 1 }] })).toThrow(/not a KQL identifier/);
  });

  it('binds the scheduled window as start/end and sends it as the timespan', async () => {
    const window = { start: '2026-01-05T00:00:00.000Z', end: '2026-01-06T00:00:00.000Z' };
    const s = await sent([{ name: 'who', type: 'string', value: 'bob' }], window);
    expect(s.prelude).toBe('let who = "bob"; let start = datetime(2026-01-05T00:00:00.000Z); let end = datetime(2026-01-06T00:00:00.000Z);');
    expect(s.timespan).toBe('2026-01-05T00:00:00.000Z/2026-01-06T00:00:00.000Z');
  });

  it('uses a timespan parameter named "timespan" as the query timespan', async () => {
    const s = await sent([{ name: 'timespan', type: 'timespan', value: 7 * 86400 }]);
    expect(s.timespan).toBe('PT604800S');
    expect(s.prelude).toBe('let timespan = time(7.00:00:00.0000000);');
  });

  it('sends a hunt without parameters exactly as written', async () => {
    await collect(laSource(fakes), HUNT);
    expect(fakes.logs.requests.at(-1)!.body.query).toBe(HUNT);
  });

  it('escapes only what KQL documents', () => {
    expect(kqlString('a"b\\c\nd\te')).toBe('"a\\"b\\\\c\\nd\\te"');
  });
});
