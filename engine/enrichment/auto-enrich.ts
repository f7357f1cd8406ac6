import type { Engine } from '../engine.js';
import type { Run } from '../types.js';
import { errorMessage } from '../errors.js';
import { extractionSummary } from './run-store.js';
import { enrichmentFor } from './engine-enrichment.js';

/**
 * Enrichment without a click, for the processes that keep running (the app's
 * engine, `quarry daemon`): every run that finishes with rows is enriched in
 * the background, most frequent indicators first and within each provider's
 * quota, and lookups left queued by a restart, a quota stop or a dropped
 * network are resumed on start. Off when the settings say `autoEnrich: false`.
 */
export function startAutoEnrichment(engine: Engine, log: (line: string) => void): { stop(): void } {
  const enrichment = enrichmentFor(engine);
  const runIds = new Set<number>();
  let stopped = false;
  // The same failure on every run (no Secret Service, a provider down) is said once, not once per run.
  const said = new Set<string>();
  const sayOnce = (message: string): void => {
    if (said.has(message)) return;
    said.add(message);
    log(`enrichment: ${message} (further runs with the same error are not logged)`);
  };
  const enrich = async (runId: number): Promise<void> => {
    if (stopped || !enrichment.service.settings.autoEnrich) return;
    runIds.add(runId);
    try {
      await enrichment.run(runId);
    } catch (err) {
      sayOnce(errorMessage(err));
    } finally {
      runIds.delete(runId);
    }
  };
  const onFinished = (run: Run): void => {
    if (run.status === 'succeeded' && run.rowCount > 0) void enrich(run.id);
  };
  engine.events.on('run.finished', onFinished);
  // One after the other, so resuming a backlog does not race a new run's lookups for the same quota.
  void (async () => {
    for (const runId of enrichment.service.pendingRuns()) await enrich(runId);
  })();
  return {
    stop() {
      stopped = true;
      engine.events.off('run.finished', onFinished);
      for (const id of runIds) enrichment.cancel(id); // what is still queued stays queued for the next start
    },
  };
}

/**
 * Extracts the indicators of runs that were never enriched (local work, no
 * lookups), so a report or STIX bundle lists what a run found even before
 * any provider was asked about it.
 */
export async function ensureIndicatorsExtracted(engine: Engine, runIds: readonly number[]): Promise<void> {
  for (const runId of runIds) {
    if (extractionSummary(engine.db, runId) === null) await enrichmentFor(engine).run(runId, { providers: [] });
  }
}
