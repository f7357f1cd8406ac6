import type { Org, Office, User } from './org.js';
import type { Rng } from './prng.js';
import type { PendingRow, SampleTableName } from './tables.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Day {
  /** UTC midnight, epoch ms. */
  start: number;
  weekday: boolean;
}

/** The seven days before the anchor that the dataset covers: [start, end). */
export class Timeline {
  readonly start: number;
  readonly end: number;

  constructor(anchor: Date) {
    this.end = anchor.getTime();
    if (!Number.isFinite(this.end)) throw new Error('sample dataset: anchor is not a valid date');
    this.start = this.end - 7 * DAY;
  }

  /** Every calendar day (UTC) that overlaps the window, including the partial first and last. */
  days(): Day[] {
    const out: Day[] = [];
    for (let d = Math.floor(this.start / DAY) * DAY; d < this.end; d += DAY) {
      const dow = new Date(d).getUTCDay();
      out.push({ start: d, weekday: dow !== 0 && dow !== 6 });
    }
    return out;
  }

  contains(t: number): boolean {
    return t >= this.start && t < this.end;
  }
}

/** The UTC instant of a local clock time (in hours, may be fractional) at an office on a given day. */
export const localTime = (day: Day, office: Office, hours: number): number => day.start + (hours - office.utcOffsetHours) * HOUR;

/** One person's working day, shared by every table so that logons, sign-ins, processes and web traffic line up. */
export interface WorkDay {
  user: User;
  day: Day;
  start: number;
  end: number;
  /** Working from home: sign-ins come from the home address rather than the office's. */
  remote: boolean;
}

export function buildSchedule(rng: Rng, org: Org, timeline: Timeline): WorkDay[] {
  const out: WorkDay[] = [];
  for (const day of timeline.days()) {
    for (const user of org.users) {
      if (!(day.weekday ? rng.chance(0.92) : rng.chance(0.06))) continue;
      const start = localTime(day, user.office, 7.5 + rng.float() * 2);
      out.push({ user, day, start, end: start + (8 + rng.float() * 2) * HOUR, remote: rng.chance(0.3) });
    }
  }
  return out;
}

/** What each table generator gets: its own random stream, the org, the window and where rows go. */
export interface GenContext {
  rng: Rng;
  org: Org;
  timeline: Timeline;
  schedule: readonly WorkDay[];
  emit(table: SampleTableName, row: PendingRow): void;
}

/** A time uniformly inside [from, to), to the millisecond. */
export const between = (rng: Rng, from: number, to: number): number => from + Math.floor(rng.float() * (to - from));
