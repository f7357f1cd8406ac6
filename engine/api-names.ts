/**
 * The names of the engine API's methods and events, with no dependencies, so
 * the sandboxed preload can build `window.quarry` from them. engine/api.ts
 * checks at compile time that this list and its schemas agree.
 */
export const apiMethodNames = [
  'app.info',
  'hunts.list', 'hunts.get', 'hunts.save', 'hunts.delete', 'hunts.import', 'hunts.importYaml', 'hunts.exportYaml',
  'runs.start', 'runs.cancel', 'runs.get', 'runs.list', 'runs.rows',
  'connections.list',
  'logs.import', 'logs.tables',
] as const;

export const apiEventNames = ['run.started', 'run.progress', 'run.finished'] as const;

export type ApiMethodName = (typeof apiMethodNames)[number];
export type ApiEventName = (typeof apiEventNames)[number];
