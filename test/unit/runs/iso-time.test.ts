import { describe, expect, it } from 'vitest';
import { isoOfEpochMs } from '../../../engine/runs/iso-time.js';

describe('isoOfEpochMs', () => {
  it('writes what Date#toISOString writes, across days, the epoch and the year range', () => {
    const samples = [
      0, -1, 1, 999, 86_399_999, 86_400_000, -86_400_000, -86_400_001,
      Date.UTC(2026, 2, 6, 17, 30, 0, 123), Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(1900, 0, 1),
      Date.UTC(0, 0, 1) - 1, -62_135_596_800_000, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15,
    ];
    // Rows in time order, and out of order, so the cached day both holds and changes.
    for (let ms = Date.UTC(2026, 0, 1) - 5_000; ms < Date.UTC(2026, 0, 1) + 5_000; ms += 7) samples.push(ms);
    for (let i = 0; i < 2_000; i++) samples.push(Math.round((Math.sin(i) * 0.5 + 0.5) * 4e12));
    for (const ms of samples) expect(isoOfEpochMs(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('gives null for what is not a time, and Date\'s text for fractions of a millisecond', () => {
    expect(isoOfEpochMs(Number.NaN)).toBeNull();
    expect(isoOfEpochMs(Infinity)).toBeNull();
    expect(isoOfEpochMs(8.64e15 + 1)).toBeNull();
    expect(isoOfEpochMs(1.5)).toBe(new Date(1.5).toISOString());
  });
});
