import type { Engine } from './engine.js';
import { findingsService } from './findings/service.js';
import { startAutoEnrichment } from './enrichment/auto-enrich.js';

/**
 * The work a long-lived engine does besides its schedules, the same in the
 * app's engine process and in `quarry daemon`: the outbox worker delivering
 * findings to their sinks, and enrichment of finished runs.
 */
export function startBackgroundWork(engine: Engine, log: (line: string) => void): { stop(): void } {
  const worker = findingsService(engine).worker;
  worker.start();
  const enrichment = startAutoEnrichment(engine, log);
  return {
    stop() {
      enrichment.stop();
      worker.stop();
    },
  };
}
