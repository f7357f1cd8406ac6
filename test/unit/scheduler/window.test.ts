import { describe, expect, it } from 'vitest';
import { nextWindow } from '../../../engine/scheduler/window.js';

const base = { now: new Date('2026-03-09T08:30:00.000Z'), lookbackMs: 86_400_000, overlapMs: 300_000, maxWindowMs: 7 * 86_400_000 };

describe('run windows', () => {
  it('covers the lookback on a first run', () => {
    expect(nextWindow({ ...base, lastSuccessEnd: null, origin: null })).toEqual({ start: '2026-03-08T08:30:00.000Z', end: '2026-03-09T08:30:00.000Z', capped: null });
  });

  it('before any success, starts at the origin (set time minus lookback), however late the run', () => {
    expect(nextWindow({ ...base, lastSuccessEnd: null, origin: '2026-03-08T06:00:00.000Z' })!.start).toBe('2026-03-08T06:00:00.000Z');
  });

  it('continues from the last successful end minus the overlap', () => {
    expect(nextWindow({ ...base, lastSuccessEnd: '2026-03-09T08:00:00.000Z', origin: '2026-03-01T00:00:00.000Z' }))
      .toEqual({ start: '2026-03-09T07:55:00.000Z', end: '2026-03-09T08:30:00.000Z', capped: null });
  });

  it('caps a long gap at the maximum window and reports the part left out', () => {
    expect(nextWindow({ ...base, maxWindowMs: 86_400_000, lastSuccessEnd: '2026-03-06T18:00:00.000Z', origin: null })).toEqual({
      start: '2026-03-08T08:30:00.000Z',
      end: '2026-03-09T08:30:00.000Z',
      capped: { from: '2026-03-06T17:55:00.000Z', to: '2026-03-08T08:30:00.000Z' },
    });
  });

  it('has nothing to cover when the clock is before the last window', () => {
    expect(nextWindow({ ...base, overlapMs: 0, lastSuccessEnd: '2026-03-09T09:00:00.000Z', origin: null })).toBeNull();
  });
});
