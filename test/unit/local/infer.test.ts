import { describe, expect, it } from 'vitest';
import { planJsonColumn, planTextColumn } from '../../../connectors/sources/local/import/infer.js';
import { detectTimestampFormat } from '../../../connectors/sources/local/import/timestamps.js';

describe('timestamp formats', () => {
  it.each([
    ['2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T10:00:00.1234567Z', '2026-01-05T10:00:00.123Z'],
    ['2026-01-05 12:00:00+02:00', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T10:00', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05', '2026-01-05T00:00:00.000Z'],
    ['05/Jan/2026:11:00:00 +0100', '2026-01-05T10:00:00.000Z'],
    ['[05/Jan/2026:10:00:00 -0000]', '2026-01-05T10:00:00.000Z'],
    ['1/5/2026 10:00:00 AM', '2026-01-05T10:00:00.000Z'],
    ['1/5/2026 12:30:00 PM', '2026-01-05T12:30:00.000Z'],
    ['Mon, 05 Jan 2026 10:00:00 GMT', '2026-01-05T10:00:00.000Z'],
  ])('reads %s as %s (UTC)', (input, iso) => {
    expect(detectTimestampFormat(input)?.toIso(input)).toBe(iso);
  });

  it.each(['hello', '12345', '2026-13-45T99:00:00Z', '10.0.0.1', '13/45/2026 10:00'])('does not take %s for a timestamp', (s) => {
    expect(detectTimestampFormat(s)).toBeUndefined();
  });
});

describe('column inference', () => {
  it('infers long, real, bool, datetime and string from text', () => {
    expect(planTextColumn('n', ['1', '-20', '']).type).toBe('long');
    expect(planTextColumn('x', ['1.5', '2', '3e3']).type).toBe('real');
    expect(planTextColumn('b', ['true', 'FALSE']).type).toBe('bool');
    expect(planTextColumn('t', ['2026-01-05T10:00:00Z', '05/Jan/2026:10:00:00 +0000']).type).toBe('datetime');
    expect(planTextColumn('id', ['007', '008']).type).toBe('string'); // leading zeros are identifiers
    expect(planTextColumn('e', ['', '']).type).toBe('string');
  });

  it('never loses a value that does not fit the inferred type', () => {
    const plan = planTextColumn('n', ['1', '2']);
    expect(plan.convert('3')).toBe(3);
    expect(plan.convert('n/a')).toBe('n/a');
    expect(plan.convert('')).toBeNull();
    const dt = planTextColumn('t', ['2026-01-05T10:00:00Z']);
    expect(dt.convert('not a date')).toBe('not a date');
  });

  it('infers JSON column types and stores objects as JSON text', () => {
    expect(planJsonColumn('o', [{ a: 1 }, [1]]).type).toBe('dynamic');
    expect(planJsonColumn('o', [{ a: 1 }]).convert({ a: 1 })).toBe('{"a":1}');
    expect(planJsonColumn('n', [1, 2.5]).type).toBe('real');
    expect(planJsonColumn('b', [true, null]).convert(true)).toBe(1);
    expect(planJsonColumn('t', ['2026-01-05T10:00:00+01:00']).convert('2026-01-05T10:00:00+01:00')).toBe('2026-01-05T09:00:00.000Z');
  });
});
