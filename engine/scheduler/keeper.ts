import type { Engine } from '../engine.js';
import { errorMessage } from '../errors.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';
import { describeHolder, lockHolder } from './lock.js';
import { systemTimers } from './timers.js';

export const DEFAULT_TAKEOVER_RETRY_MS = 30_000;

/**
 * The desktop app's scheduler. While `quarry daemon` holds the data
 * directory, the app only shows the schedules (the daemon runs them) and
 * tries again every `retryMs`, so that it takes over when the daemon stops;
 * a lock lost to another scheduler is retried the same way. `report` gets one
 * line per change of who runs the schedules.
 */
export function keepScheduler(
  engine: Engine,
  opts: SchedulerOptions,
  report: (line: string) => void,
  retryMs = DEFAULT_TAKEOVER_RETRY_MS,
): { stop(): Promise<void> } {
  const timers = opts.timers ?? systemTimers;
  let timer: unknown = null;
  let stopped = false;
  let lastReason: string | null = null;

  const retryLater = (): void => {
    if (!stopped && timer === null) timer = timers.setTimeout(attempt, retryMs);
  };

  function attempt(): void {
    timer = null;
    if (stopped || engine.scheduler) return;
    try {
      Scheduler.start(engine, {
        ...opts,
        onLog: (e) => {
          opts.onLog?.(e);
          if (e.type === 'lock.lost') retryLater();
        },
      });
      if (lastReason !== null) report('scheduler: running the schedules of this data directory now');
      lastReason = null;
    } catch (err) {
      const holder = lockHolder(engine.db);
      const reason = holder
        ? `${describeHolder(holder)} runs the schedules of this data directory; this app takes over when it stops`
        : `scheduler not started: ${errorMessage(err)}`;
      if (reason !== lastReason) report(reason);
      lastReason = reason;
      retryLater();
    }
  }

  attempt();
  return {
    async stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await engine.scheduler?.stop();
    },
  };
}
