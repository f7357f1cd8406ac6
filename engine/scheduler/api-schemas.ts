import { z } from 'zod';
import type { ScheduledRun, ScheduleView } from './views.js';
import type { SchedulerStatus } from './status.js';

/**
 * The scheduler's part of the engine API (spread into engine/api.ts). Durations
 * are text as a hunter types them ("15m", "1h30m", "7d"); exactly one of
 * `every`, `cron` or `daily` says when a hunt runs.
 */
const huntRef = z.object({ hunt: z.string().min(1) });
const paramValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const none = z.object({}).default({});

export const scheduleSetSchema = z
  .object({
    hunt: z.string().min(1),
    every: z.string().min(1).optional(),
    cron: z.string().min(1).optional(),
    /** "06:00": every day at that time in `timezone`. */
    daily: z.string().min(1).optional(),
    timezone: z.string().min(1).optional(),
    lookback: z.string().min(1).optional(),
    overlap: z.string().min(1).optional(),
    maxWindow: z.string().min(1).optional(),
    timeout: z.string().min(1).optional(),
    params: z.record(paramValue).optional(),
  })
  .refine((a) => [a.every, a.cron, a.daily].filter((v) => v !== undefined).length <= 1, 'give one of every, cron or daily');

export const scheduleApiSchemas = {
  'schedules.list': none,
  'schedules.set': scheduleSetSchema,
  'schedules.remove': huntRef,
  'schedules.pause': huntRef,
  'schedules.resume': huntRef,
  'schedules.pauseAll': none,
  'schedules.resumeAll': none,
  'schedules.history': huntRef.extend({ limit: z.number().int().positive().max(10_000).default(100) }),
  'schedules.status': none,
  'schedules.cancel': huntRef,
} as const;

export interface ScheduleApiResults {
  'schedules.list': ScheduleView[];
  'schedules.set': ScheduleView;
  'schedules.remove': { removed: boolean };
  'schedules.pause': ScheduleView;
  'schedules.resume': ScheduleView;
  'schedules.pauseAll': SchedulerStatus;
  'schedules.resumeAll': SchedulerStatus;
  'schedules.history': ScheduledRun[];
  'schedules.status': SchedulerStatus;
  /**
   * The hunt's scheduled run in flight was cancelled (its window is covered by
   * the next run). `pending`: it runs in another process (quarry daemon), which
   * stops it within a few seconds.
   */
  'schedules.cancel': { runId: number; pending: boolean };
}

export type { SchedulerStatus, ScheduledRun, ScheduleView };
