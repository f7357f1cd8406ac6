/**
 * The names of the engine API's methods and events, with no dependencies, so
 * the sandboxed preload can build `window.quarry` from them. engine/api.ts
 * checks at compile time that this list and its schemas agree.
 */
export const apiMethodNames = [
  'app.info',
  'hunts.list', 'hunts.get', 'hunts.save', 'hunts.delete', 'hunts.import', 'hunts.importYaml', 'hunts.exportYaml',
  'runs.start', 'runs.cancel', 'runs.get', 'runs.list', 'runs.rows', 'runs.histogram',
  'connections.list', 'connections.get', 'connections.add', 'connections.remove', 'connections.test',
  'connections.secretStatus', 'connections.setSecret', 'connections.clearSecret', 'connections.cancelTest', 'connections.update',
  'logs.import', 'logs.cancel', 'logs.tables',
  'findings.list', 'findings.get', 'findings.ack', 'findings.close', 'findings.addNote',
  'deliveries.list', 'deliveries.retry',
  'sinks.list', 'sinks.add', 'sinks.remove', 'sinks.test',
  'findingRules.get', 'findingRules.set', 'routes.list', 'routes.set',
  'schedules.list', 'schedules.set', 'schedules.remove', 'schedules.pause', 'schedules.resume', 'schedules.pauseAll', 'schedules.resumeAll', 'schedules.history', 'schedules.status', 'schedules.cancel',
  'reports.export', 'reports.cancel',
  'enrichment.run', 'enrichment.cancel', 'enrichment.indicators', 'enrichment.rowVerdicts', 'enrichment.lookup', 'enrichment.extract',
  'enrichment.quota', 'enrichment.getSettings', 'enrichment.setSettings', 'enrichment.keys', 'enrichment.setKey', 'enrichment.clearKey',
] as const;

export const apiEventNames = ['run.started', 'run.progress', 'run.finished', 'logs.progress', 'finding.created', 'finding.updated', 'delivery.status', 'schedule.status', 'enrichment.progress', 'enrichment.finished', 'export.progress', 'connection.signIn'] as const;

export type ApiMethodName = (typeof apiMethodNames)[number];
export type ApiEventName = (typeof apiEventNames)[number];
