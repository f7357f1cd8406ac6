import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { findingsService } from '../findings/service.js';

type Ns = 'findings' | 'deliveries' | 'sinks' | 'findingRules' | 'routes';
type M = keyof ApiResults & `${Ns}.${string}`;
type H<K extends M> = (e: Engine, a: ApiParsedArgs<K>) => ApiResults[K] | Promise<ApiResults[K]>;

const svc = findingsService;

export const findingHandlers: { [K in M]: H<K> } = {
  'findings.list': (e, a) => svc(e).list(a),
  'findings.get': (e, a) => svc(e).get(a.id),
  'findings.ack': (e, a) => svc(e).acknowledge(a.id, a.note),
  'findings.close': (e, a) => svc(e).close(a.id, a.reason),
  'findings.addNote': (e, a) => svc(e).addNote(a.id, a.text),
  'deliveries.list': (e, a) => svc(e).listDeliveries(a),
  'deliveries.retry': (e, a) => svc(e).retryDeliveries('ids' in a ? a.ids : 'dead'),
  'sinks.list': (e) => svc(e).sinks.list(),
  'sinks.add': (e, a) => svc(e).sinks.add(a.kind, a.name, a.settings, a.secrets),
  'sinks.remove': (e, a) => svc(e).sinks.remove(a.sink),
  'sinks.test': (e, a) => svc(e).testSink(a.sink, a.send),
  'findingRules.get': (e, a) => svc(e).getRule(a.hunt),
  'findingRules.set': (e, a) => svc(e).setRule(a.hunt, a.rule),
  'routes.list': (e) => svc(e).listRoutes(),
  'routes.set': (e, a) => svc(e).setRoutes(a.routes),
};
