import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { schemaVersion } from '../store/migrations.js';
import { listConnections, DEFAULT_LOCAL_CONNECTION } from '../local-connections.js';
import { listLocalTables, localDbPath, openLocalDb } from '../../connectors/sources/local/local-db.js';
import { QuarryError } from '../errors.js';
import { quarryVersion } from '../version.js';

type Misc = 'app.info' | 'connections.list' | 'logs.import' | 'logs.tables';
type H<M extends Misc> = (e: Engine, a: ApiParsedArgs<M>) => ApiResults[M] | Promise<ApiResults[M]>;

export const miscHandlers: { [M in Misc]: H<M> } = {
  'app.info': (e) => ({ version: quarryVersion, dataDir: e.dataDir, schemaVersion: schemaVersion(e.db) }),
  'connections.list': (e) => listConnections(e.db),
  'logs.import': (e, a) => e.importLogs(a),
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
