import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { schemaVersion } from '../store/migrations.js';
import { listConnections } from '../local-connections.js';
import { quarryVersion } from '../version.js';

type Misc = 'app.info' | 'connections.list';
type H<M extends Misc> = (e: Engine, a: ApiParsedArgs<M>) => ApiResults[M] | Promise<ApiResults[M]>;

export const miscHandlers: { [M in Misc]: H<M> } = {
  'app.info': (e) => ({ version: quarryVersion, dataDir: e.dataDir, schemaVersion: schemaVersion(e.db) }),
  'connections.list': (e) => listConnections(e.db),
};
