import type { Engine } from '../engine.js';
import { connectionHandlers, type ConnectionApiArgs, type ConnectionApiMethod, type ConnectionApiResults } from '../connections/api.js';

type H<M extends ConnectionApiMethod> = (e: Engine, a: ConnectionApiArgs<M>) => Promise<ConnectionApiResults[M]>;

const on = (e: Engine) => connectionHandlers(e.connections);

/** `connections.*` routed to the engine's registry. Secrets only go in (add, setSecret); no result carries one. */
export const connectionApiHandlers: { [M in ConnectionApiMethod]: H<M> } = {
  'connections.add': (e, a) => on(e)['connections.add'](a),
  'connections.get': (e, a) => on(e)['connections.get'](a),
  'connections.remove': (e, a) => on(e)['connections.remove'](a),
  'connections.test': (e, a) => on(e)['connections.test'](a),
  'connections.cancelTest': (e, a) => on(e)['connections.cancelTest'](a),
  'connections.update': (e, a) => on(e)['connections.update'](a),
  'connections.secretStatus': (e, a) => on(e)['connections.secretStatus'](a),
  'connections.setSecret': (e, a) => on(e)['connections.setSecret'](a),
  'connections.clearSecret': (e, a) => on(e)['connections.clearSecret'](a),
};
