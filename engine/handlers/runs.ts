import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { getRun, listRuns } from '../runs/run-repo.js';
import { readColumns, readRows } from '../runs/result-store.js';
import { runHistogram } from '../runs/histogram.js';
import { isScheduledRun, requestCancel } from '../scheduler/cancel-requests.js';
import { lockHolder } from '../scheduler/lock.js';
import { QuarryError } from '../errors.js';

type H<M extends keyof ApiResults & `runs.${string}`> = (e: Engine, a: ApiParsedArgs<M>) => ApiResults[M] | Promise<ApiResults[M]>;

export const runHandlers: { [M in keyof ApiResults & `runs.${string}`]: H<M> } = {
  'runs.start': (e, a) => {
    const { runId, done } = e.runner.start(a);
    void done; // completion reaches clients as the run.finished event
    return { runId };
  },
  'runs.cancel': (e, a) => {
    if (e.runner.cancel(a.runId)) return { cancelled: true, pending: false };
    const run = getRun(e.db, a.runId);
    if (run.status !== 'running') return { cancelled: false, pending: false };
    // A scheduled run of another process (quarry daemon): its scheduler takes cancel requests every few seconds.
    if (lockHolder(e.db) && isScheduledRun(e.db, run.id)) {
      requestCancel(e.db, run.id, e.clock.now());
      return { cancelled: false, pending: true };
    }
    throw new QuarryError('conflict', `run ${run.id} of "${run.huntName}" runs in another Quarry process (a quarry run on the command line?): stop it there`);
  },
  'runs.get': (e, a) => getRun(e.db, a.runId),
  'runs.list': (e, a) => listRuns(e.db, a),
  'runs.rows': (e, a) => {
    getRun(e.db, a.runId); // names the run in the error when it does not exist
    const columns = readColumns(e.db, a.runId);
    const { total, rows } = readRows(e.db, a.runId, a);
    return { columns, total, offset: a.offset, rows };
  },
  'runs.histogram': (e, a) => {
    getRun(e.db, a.runId);
    return runHistogram(e.db, a.runId, a);
  },
};
