import type { LockOptions, SchedulerKind } from './lock.js';
import type { Timers } from './timers.js';
import type { RunWindow } from './window.js';
import type { RunTrigger } from './schedule-repo.js';
import type { ScheduledRun } from './views.js';

export interface SchedulerOptions {
  /** Named in the lock, so a second scheduler can say who holds the data directory. */
  kind: SchedulerKind;
  /** Runs at once across all hunts (default 2); more wait in a queue ordered by due time. */
  concurrency?: number;
  maxJitterMs?: number;
  timers?: Timers;
  /**
   * The longest the scheduler sleeps (default 30 s). Node's timers run on a
   * monotonic clock that stops while the machine is suspended, so a long timer
   * would fire hours late after a wake-up; waking at least this often also
   * picks up schedules edited by another process (the CLI next to a daemon).
   */
  resyncMs?: number;
  /** A wake-up this much later than planned is reported as a clock jump (sleep, a stopped process). Default 60 s. */
  jumpThresholdMs?: number;
  /** While runs are in flight, how often to look for cancel requests from other processes. Default 2 s. */
  cancelPollMs?: number;
  /** How long stop() waits for cancelled runs to wind down before marking them itself. Default 10 s. */
  shutdownGraceMs?: number;
  lock?: LockOptions;
  onLog?: (e: SchedulerLogEvent) => void;
  /** Split process CPU time into the scheduler's own and the runs' (the bench). */
  measureCpu?: boolean;
}

export type SchedulerLogEvent =
  | { type: 'run.started'; huntId: string; huntName: string; runId: number; trigger: RunTrigger; dueAt: string; startedAt: string; window: RunWindow; missed: number }
  | { type: 'run.finished'; run: ScheduledRun }
  | { type: 'run.not-started'; huntId: string; reason: string }
  | { type: 'clock.jump'; at: string; ms: number }
  | { type: 'lock.lost' }
  | { type: 'error'; message: string };
