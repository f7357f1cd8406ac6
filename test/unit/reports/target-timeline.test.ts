import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../../engine/reports/target.js';
import { bucketPoints, niceBucket } from '../../../engine/reports/timeline.js';

describe('export targets', () => {
  it('reads a run number, a finding, or a period whose end date is inclusive', () => {
    expect(parseTarget('12')).toEqual({ kind: 'run', runId: 12 });
    expect(parseTarget('finding:7')).toEqual({ kind: 'finding', findingId: '7' });
    expect(parseTarget('abc-123')).toEqual({ kind: 'finding', findingId: 'abc-123' });
    expect(parseTarget(undefined, { from: '2026-01-01', to: '2026-01-31' })).toEqual({ kind: 'range', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    expect(parseTarget(undefined, { from: '2026-01-01T08:00:00+01:00', to: '2026-01-01T12:00:00Z' })).toEqual({ kind: 'range', from: '2026-01-01T07:00:00.000Z', to: '2026-01-01T12:00:00.000Z' });
  });

  it('says what is wrong with a bad one', () => {
    expect(() => parseTarget(undefined)).toThrow(/name a run/);
    expect(() => parseTarget('0')).toThrow(/a run is named by its number/);
    expect(() => parseTarget('finding:')).toThrow(/finding: needs an id/);
    expect(() => parseTarget('3', { from: '2026-01-01', to: '2026-01-02' })).toThrow(/not both/);
    expect(() => parseTarget(undefined, { from: '2026-01-01' })).toThrow(/both --from and --to/);
    expect(() => parseTarget(undefined, { from: 'yesterday', to: '2026-01-02' })).toThrow(/--from takes a date/);
    expect(() => parseTarget(undefined, { from: '2026-02-01', to: '2026-01-01' })).toThrow(/must end after it starts/);
  });
});

describe('report timelines', () => {
  it('picks bucket widths a reader can name', () => {
    expect(niceBucket(6 * 3_600_000, 48)).toBe(10 * 60_000);
    expect(niceBucket(30 * 86_400_000, 48)).toBe(86_400_000);
    expect(niceBucket(5_000, 48)).toBe(1000);
  });

  it('aligns bars to the width and sums the points into them', () => {
    const h = bucketPoints([
      { at: '2026-01-05T10:07:00Z', count: 3 },
      { at: '2026-01-05T10:09:59Z', count: 1 },
      { at: '2026-01-05T12:55:00Z', count: 2 },
    ], 48);
    expect(h.bucketMs).toBe(5 * 60_000);
    expect(h.start).toBe('2026-01-05T10:05:00.000Z');
    expect(h.counts[0]).toBe(4);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(Date.parse(h.end!) - Date.parse(h.start!)).toBe(h.counts.length * h.bucketMs);
    expect(h.counts.length).toBeLessThanOrEqual(48);
  });

  it('spans exactly a period when one is given, leaving points outside it out', () => {
    const h = bucketPoints([{ at: '2026-01-10T00:00:00Z', count: 5 }, { at: '2025-12-31T23:00:00Z', count: 9 }], 31, { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' });
    expect(h).toMatchObject({ start: '2026-01-01T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z', bucketMs: 86_400_000 });
    expect(h.counts).toHaveLength(31);
    expect(h.counts[9]).toBe(5);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(5);
  });
});
