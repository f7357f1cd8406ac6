import type { Engine } from '../engine.js';
import { QuarryError } from '../errors.js';

/**
 * Long operations (exports, log imports) that a client starts under an id of
 * its choosing, so it can follow their progress events and cancel them by
 * that id. Kept per engine: tests open several in one process.
 */
export function cancellableJobs(what: string): {
  /** Runs `job` with a signal that `cancel(id)` aborts; without an id it cannot be cancelled. */
  run<T>(e: Engine, id: string | undefined, job: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Aborts the job running under `id`; false if none is. */
  cancel(e: Engine, id: string): boolean;
} {
  const running = new WeakMap<Engine, Map<string, AbortController>>();
  const runningOf = (e: Engine): Map<string, AbortController> => running.get(e) ?? (running.set(e, new Map()), running.get(e)!);
  return {
    async run(e, id, job) {
      const jobs = runningOf(e);
      if (id && jobs.has(id)) throw new QuarryError('conflict', `an ${what} with id ${id} is already running`);
      const abort = new AbortController();
      if (id) jobs.set(id, abort);
      try {
        return await job(abort.signal);
      } finally {
        if (id) jobs.delete(id);
      }
    },
    cancel(e, id) {
      const abort = runningOf(e).get(id);
      abort?.abort();
      return abort !== undefined;
    },
  };
}

/** Progress events are sent at most this often (a new phase goes at once). */
export const PROGRESS_EVERY_MS = 100;
