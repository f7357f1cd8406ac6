import { describe, expect, it } from 'vitest';
import { countFires, dailyCron, describeSpec, jitterMs, nextDueAfter, nextFireAfter, periodMs, validateCron, validateTimezone, type ScheduleSpec } from '../../../engine/scheduler/spec.js';

const at = (iso: string) => new Date(iso);
const hourly: ScheduleSpec = { kind: 'interval', everyMs: 3_600_000 };

describe('schedule specs', () => {
  it('runs intervals on a fixed grid, strictly after the given time', () => {
    expect(nextFireAfter(hourly, at('2026-03-06T17:20:00.000Z')).toISOString()).toBe('2026-03-06T18:00:00.000Z');
    expect(nextFireAfter(hourly, at('2026-03-06T18:00:00.000Z')).toISOString()).toBe('2026-03-06T19:00:00.000Z');
    expect(nextFireAfter({ kind: 'interval', everyMs: 900_000 }, at('2026-03-06T17:20:00.000Z')).toISOString()).toBe('2026-03-06T17:30:00.000Z');
  });

  it('reads cron in the schedule\'s time zone, summer time included', () => {
    const berlin: ScheduleSpec = { kind: 'cron', cron: '0 6 * * 1-5', timezone: 'Europe/Berlin' };
    expect(nextFireAfter(berlin, at('2026-03-06T06:00:00.000Z')).toISOString()).toBe('2026-03-09T05:00:00.000Z'); // Friday after 06:00 -> Monday, CET
    expect(nextFireAfter(berlin, at('2026-03-28T00:00:00.000Z')).toISOString()).toBe('2026-03-30T04:00:00.000Z'); // CEST
    expect(dailyCron('06:00')).toBe('0 6 * * *');
    expect(dailyCron('7:05')).toBe('5 7 * * *');
    expect(() => dailyCron('25:00')).toThrowError(/time of day/);
    expect(validateCron('0  6 * *   *', 'UTC')).toBe('0 6 * * *');
    expect(() => validateCron('every morning', 'UTC')).toThrowError(/cron expression "every morning"/);
    expect(validateTimezone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(() => validateTimezone('Europe/Atlantis')).toThrowError(/unknown time zone/);
  });

  it('describes a schedule as the hunter set it', () => {
    expect(describeSpec(hourly)).toBe('every 1h');
    expect(describeSpec({ kind: 'cron', cron: dailyCron('6:00'), timezone: 'Europe/Berlin' })).toBe('every day at 06:00 (Europe/Berlin)');
    expect(describeSpec({ kind: 'cron', cron: '0 6 * * 1-5', timezone: 'UTC' })).toBe('cron 0 6 * * 1-5 (UTC)');
  });

  it('counts the fires a sleeping machine missed', () => {
    expect(countFires(hourly, at('2026-03-06T18:00:00.000Z'), at('2026-03-09T08:30:00.000Z'))).toBe(62);
    expect(countFires(hourly, at('2026-03-06T18:00:00.000Z'), at('2026-03-06T18:59:59.000Z'))).toBe(0);
    expect(countFires({ kind: 'cron', cron: '* * * * *', timezone: 'UTC' }, at('2026-03-06T00:00:00.000Z'), at('2026-03-07T00:00:00.000Z'), 50)).toBe(50);
  });

  it('gives each hunt a fixed jitter within min(max, 10% of the period)', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `hunt-${i}`);
    const jitters = ids.map((id) => jitterMs(id, hourly, 60_000));
    expect(jitters.every((j) => j >= 0 && j < 60_000)).toBe(true);
    expect(new Set(jitters.map((j) => Math.floor(j / 1000))).size).toBe(60); // every second of the minute is used
    expect(jitterMs('hunt-1', hourly, 60_000)).toBe(jitters[1]);
    const minutely: ScheduleSpec = { kind: 'interval', everyMs: 60_000 };
    expect(Math.max(...ids.map((id) => jitterMs(id, minutely, 60_000)))).toBeLessThan(6000);
    expect(jitterMs('hunt-1', hourly, 0)).toBe(0);
    expect(periodMs({ kind: 'cron', cron: '0 6 * * 1-5', timezone: 'UTC' })).toBe(86_400_000);
  });

  it('puts the next due time at the next fire plus the jitter, never at or before now', () => {
    const j = jitterMs('h', hourly, 60_000);
    const due = nextDueAfter('h', hourly, at('2026-03-06T17:20:00.000Z'), 60_000);
    expect(due.toISOString()).toBe(new Date(Date.parse('2026-03-06T18:00:00.000Z') + j).toISOString());
    expect(nextDueAfter('h', hourly, due, 60_000).getTime()).toBe(due.getTime() + 3_600_000);
  });
});
