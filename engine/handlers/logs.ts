import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults, LogImportProgressEvent } from '../api.js';
import { DEFAULT_LOCAL_CONNECTION } from '../local-connections.js';
import { listLocalTables, localDbPath, openLocalDb } from '../../connectors/sources/local/local-db.js';
import { QuarryError } from '../errors.js';
import { cancellableJobs, PROGRESS_EVERY_MS } from './cancellable-jobs.js';

type H<K extends keyof ApiResults & `logs.${string}`> = (e: Engine, a: ApiParsedArgs<K>) => ApiResults[K] | Promise<ApiResults[K]>;

/** Imports running under an id, so `logs.cancel` can stop them. */
const imports = cancellableJobs('import');

/** `logs.progress` for one import: the first chunk at once, then at most every 100 ms. */
function progressEmitter(e: Engine, importId: string | undefined): ((rows: number, bytesRead: number, totalBytes: number) => void) | undefined {
  if (!importId) return undefined;
  let last = 0;
  return (rows, bytesRead, totalBytes) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    e.events.emit('logs.progress', { importId, rows, bytesRead, totalBytes } satisfies LogImportProgressEvent);
  };
}

export const logHandlers: { [K in keyof ApiResults & `logs.${string}`]: H<K> } = {
  'logs.import': async (e, a) => {
    const { importId, ...opts } = a;
    return imports.run(e, importId, (signal) => e.importLogs({ ...opts, signal, onProgress: progressEmitter(e, importId) }));
  },
  'logs.cancel': (e, a) => ({ cancelled: imports.cancel(e, a.importId) }),
  'logs.tables': (e, a) => {
    const connection = e.connection(a.connection ?? DEFAULT_LOCAL_CONNECTION);
    if (connection.kind !== 'local') throw new QuarryError('invalid_input', `connection "${connection.name}" is not a local log source`);
    const db = openLocalDb(localDbPath(connection, e.dataDir), { readonly: true });
    try {
      return listLocalTables(db);
    } finally {
      db.close();
    }
  },
};
