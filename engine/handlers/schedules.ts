import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { QuarryError, notFound } from '../errors.js';
import type { ScheduleApiResults } from '../scheduler/api-schemas.js';
import { scheduleConfig } from '../scheduler/config.js';
import { getSchedule, removeSchedule, saveSchedule, setPausedAll, setSchedulePaused } from '../scheduler/schedule-repo.js';
import { scheduleHistory, scheduleView, scheduleViews, type ScheduleView } from '../scheduler/views.js';
import { storedStatus, type SchedulerStatus } from '../scheduler/status.js';
import { requestCancel, runningScheduledRun } from '../scheduler/cancel-requests.js';
import { lockHolder } from '../scheduler/lock.js';
import { languageOfKind } from '../../connectors/sources/types.js';

type S = keyof ScheduleApiResults;
type H<M extends S> = (e: Engine, a: ApiParsedArgs<M>) => ApiResults[M] | Promise<ApiResults[M]>;

const languageName = { kql: 'KQL', tsql: 'T-SQL', sql: 'SQL' } as const;

/** After a change: the scheduler in this process picks it up now; elsewhere (the CLI) a running daemon sees it within its resync period. */
function changed(e: Engine): void {
  if (e.scheduler) e.scheduler.refresh();
  else e.events.emit('schedule.status', storedStatus(e.db));
}

const views = (e: Engine): ScheduleView[] => (e.scheduler ? e.scheduler.views() : scheduleViews(e.db, e.clock.now()));
const status = (e: Engine): SchedulerStatus => (e.scheduler ? e.scheduler.status() : storedStatus(e.db));

function viewOf(e: Engine, huntId: string): ScheduleView {
  const view = e.scheduler ? e.scheduler.view(huntId) : scheduleView(e.db, huntId, e.clock.now());
  if (!view) throw notFound('schedule', huntId);
  return view;
}

/** The hunt's id, checking it has a schedule. */
function scheduledHunt(e: Engine, ref: string): string {
  const hunt = e.hunts.get(ref);
  if (!getSchedule(e.db, hunt.id)) throw notFound('schedule of hunt', ref);
  return hunt.id;
}

function setPaused(e: Engine, ref: string, paused: boolean): ScheduleView {
  const huntId = scheduledHunt(e, ref);
  setSchedulePaused(e.db, huntId, paused, e.clock.now());
  changed(e);
  return viewOf(e, huntId);
}

export const scheduleHandlers: { [M in S]: H<M> } = {
  'schedules.list': (e) => views(e),
  'schedules.set': (e, a) => {
    const hunt = e.hunts.get(a.hunt);
    if (!hunt.connection) throw new QuarryError('invalid_input', `hunt "${hunt.name}" has no connection: set one before scheduling it`);
    // Caught now rather than at every due time: a hunt its connection cannot run would only ever fail to start.
    const connection = e.connection(hunt.connection);
    if (languageOfKind[connection.kind] !== hunt.language) {
      throw new QuarryError('invalid_input', `hunt "${hunt.name}" is written in ${languageName[hunt.language]} but its connection "${connection.name}" (${connection.kind}) takes ${languageName[languageOfKind[connection.kind]]}: change one before scheduling it`);
    }
    saveSchedule(e.db, hunt.id, scheduleConfig(a, getSchedule(e.db, hunt.id)), e.clock.now());
    changed(e);
    return viewOf(e, hunt.id);
  },
  'schedules.remove': (e, a) => {
    const removed = removeSchedule(e.db, scheduledHunt(e, a.hunt));
    changed(e);
    return { removed };
  },
  'schedules.pause': (e, a) => setPaused(e, a.hunt, true),
  'schedules.resume': (e, a) => setPaused(e, a.hunt, false),
  'schedules.pauseAll': (e) => {
    setPausedAll(e.db, true);
    changed(e);
    return status(e);
  },
  'schedules.resumeAll': (e) => {
    setPausedAll(e.db, false);
    changed(e);
    return status(e);
  },
  // A deleted hunt's scheduled runs stay in the history under its id; a name that matches nothing is a typo.
  'schedules.history': (e, a) => {
    const hunt = e.hunts.find(a.hunt);
    const runs = scheduleHistory(e.db, hunt?.id ?? a.hunt, a.limit);
    if (!hunt && runs.length === 0) throw notFound('hunt', a.hunt);
    return runs;
  },
  'schedules.status': (e) => status(e),
  'schedules.cancel': (e, a) => {
    const huntId = scheduledHunt(e, a.hunt);
    const name = e.hunts.get(huntId).name;
    const runId = runningScheduledRun(e.db, huntId);
    if (runId === null) throw new QuarryError('conflict', `no scheduled run of "${name}" is going`);
    if (e.scheduler?.cancel(huntId)) return { runId, pending: false };
    // Its scheduler is gone (killed): the next one to start marks the run interrupted and runs its window again.
    if (!lockHolder(e.db)) throw new QuarryError('conflict', `run ${runId} of "${name}" has no scheduler left to stop it; it is marked interrupted when one starts`);
    requestCancel(e.db, runId, e.clock.now());
    return { runId, pending: true };
  },
};
