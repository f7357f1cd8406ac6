import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { getRun, listRuns } from '../runs/run-repo.js';
import { readColumns, readRows } from '../runs/result-store.js';
import { runHistogram } from '../runs/histogram.js';

type H<M extends keyof ApiResults & `runs.${string}`> = (e: Engine, a: ApiParsedArgs<M>) => ApiResults[M] | Promise<ApiResults[M]>;

export const runHandlers: { [M in keyof ApiResults & `runs.${string}`]: H<M> } = {
  'runs.start': (e, a) => {
    const { runId, done } = e.runner.start(a);
    void done; // completion reaches clients as the run.finished event
    return { runId };
  },
  'runs.cancel': (e, a) => ({ cancelled: e.runner.cancel(a.runId) }),
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
