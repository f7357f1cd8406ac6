import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../engine/scheduler/duration.js';

describe('durations', () => {
  it('reads what a hunter types', () => {
    expect(parseDuration('90s', 'x')).toBe(90_000);
    expect(parseDuration('15m', 'x')).toBe(900_000);
    expect(parseDuration('1h30m', 'x')).toBe(5_400_000);
    expect(parseDuration('1h 30m', 'x')).toBe(5_400_000);
    expect(parseDuration('7d', 'x')).toBe(604_800_000);
    expect(parseDuration('2W', 'x')).toBe(1_209_600_000);
    expect(parseDuration('0s', 'x')).toBe(0);
  });

  it('rejects anything else, naming the option', () => {
    for (const bad of ['', '1', 'h', '1x', '1h-', 'hourly', '-5m', '1.5h']) {
      expect(() => parseDuration(bad, 'overlap')).toThrowError(/^overlap: ".*" is not a duration/);
    }
  });

  it('writes durations back the way they are typed', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(604_800_000)).toBe('7d');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(0)).toBe('0s');
    for (const text of ['15m', '1h30m', '7d', '1d2h3m4s']) expect(formatDuration(parseDuration(text, 'x'))).toBe(text);
  });
});
