import type { Engine } from '../../engine/engine.js';
import { keepScheduler } from '../../engine/scheduler/keeper.js';
import { startBackgroundWork } from '../../engine/background-work.js';

/**
 * What keeps working while Quarry sits in the tray: the scheduler (unless
 * `quarry daemon` already holds this data directory's scheduler lock, in which
 * case the daemon runs the schedules, the app only shows them, and takes over
 * when the daemon stops), the outbox worker delivering findings to their
 * sinks, and enrichment of finished runs.
 */
export function startBackground(engine: Engine, log: (line: string) => void): { stop(): Promise<void> } {
  const scheduler = keepScheduler(engine, {
    kind: 'app',
    onLog: (e) => {
      if (e.type === 'error') log(`scheduler: ${e.message}`);
      else if (e.type === 'lock.lost') log('scheduler: another scheduler took over this data directory');
    },
  }, log);
  const work = startBackgroundWork(engine, log);
  return {
    async stop() {
      work.stop();
      await scheduler.stop();
    },
  };
}
