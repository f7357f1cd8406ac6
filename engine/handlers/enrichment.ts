import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { getRun } from '../runs/run-repo.js';
import { enrichmentFor } from '../enrichment/engine-enrichment.js';

type M = keyof ApiResults & `enrichment.${string}`;
type H<K extends M> = (e: Engine, a: ApiParsedArgs<K>) => ApiResults[K] | Promise<ApiResults[K]>;

const svc = enrichmentFor;

export const enrichmentHandlers: { [K in M]: H<K> } = {
  'enrichment.run': (e, a) => svc(e).run(a.runId, { providers: a.providers, reextract: a.reextract, maxQuotaWaitMs: a.maxQuotaWaitMs }),
  'enrichment.cancel': (e, a) => ({ cancelled: svc(e).cancel(a.runId) }),
  'enrichment.indicators': (e, a) => {
    getRun(e.db, a.runId); // names the run in the error when it does not exist
    return svc(e).indicators(a.runId, a.limit);
  },
  'enrichment.rowVerdicts': (e, a) => {
    getRun(e.db, a.runId);
    return svc(e).rowVerdicts(a.runId, a.atLeast);
  },
  'enrichment.lookup': (e, a) => svc(e).service.lookup(a.value, { providers: a.providers }),
  'enrichment.extract': (e, a) => svc(e).service.extractFromText(a.text, { includeSkipped: a.includeSkipped }),
  'enrichment.quota': (e) => svc(e).service.quotaStatus(),
  'enrichment.getSettings': (e) => svc(e).settings(),
  'enrichment.setSettings': (e, a) => svc(e).setSettings(a.settings, a.replace),
  'enrichment.keys': (e) => svc(e).keyStatus(),
  'enrichment.setKey': (e, a) => svc(e).setKey(a.provider, a.value, a.field),
  'enrichment.clearKey': (e, a) => svc(e).clearKey(a.provider, a.field),
};
