import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults, LogImportProgressEvent } from '../api.js';
import { DEFAULT_LOCAL_CONNECTION } from '../local-connections.js';
import { listLocalTables, localDbPath, openLocalDb } from '../../connectors/sources/local/local-db.js';
import { QuarryError } from '../errors.js';

type H<K extends keyof ApiResults & `logs.${string}`> = (e: Engine, a: ApiParsedArgs<K>) => ApiResults[K] | Promise<ApiResults[K]>;

/** Imports running under an id, per engine, so `logs.cancel` can stop them. */
const running = new WeakMap<Engine, Map<string, AbortController>>();
const runningOf = (e: Engine): Map<string, AbortController> => running.get(e) ?? (running.set(e, new Map()), running.get(e)!);

const PROGRESS_EVERY_MS = 100;

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
    const imports = runningOf(e);
    if (importId && imports.has(importId)) throw new QuarryError('conflict', `an import with id ${importId} is already running`);
    const abort = new AbortController();
    if (importId) imports.set(importId, abort);
    try {
      return await e.importLogs({ ...opts, signal: abort.signal, onProgress: progressEmitter(e, importId) });
    } finally {
      if (importId) imports.delete(importId);
    }
  },
  'logs.cancel': (e, a) => {
    const abort = runningOf(e).get(a.importId);
    if (!abort) return { cancelled: false };
    abort.abort();
    return { cancelled: true };
  },
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
