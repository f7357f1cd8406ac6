import type { Db } from '../store/db.js';
import { lockHolder, type LockHolder } from './lock.js';
import { listSchedules, readSchedulerState } from './schedule-repo.js';

/** The `schedule.status` event and `schedules.status` result: what the tray and the schedules view show. */
export interface SchedulerStatus {
  /** This engine process runs the scheduler (holds the data directory's lock). */
  active: boolean;
  /** Whoever runs the scheduler for this data directory (this process, the app, or `quarry daemon`); null when nobody does. */
  holder: LockHolder | null;
  pausedAll: boolean;
  schedules: number;
  paused: number;
  running: Array<{ huntId: string; runId: number }>;
  queued: number;
  /** The next due run (null when nothing is due: no schedules, all paused). */
  nextRunAt: string | null;
  /** The last time the scheduler woke up much later than it meant to (the machine slept), and by how much. */
  lastClockJump: { at: string; ms: number } | null;
}

/** The status as the store tells it, for a process that does not run the scheduler itself (the CLI). */
export function storedStatus(db: Db): SchedulerStatus {
  const { pausedAll } = readSchedulerState(db);
  const schedules = listSchedules(db);
  const due = schedules.filter((s) => !s.paused && s.nextDueAt).map((s) => s.nextDueAt!).sort();
  const running = db.prepare(
    `SELECT s.hunt_id AS huntId, s.run_id AS runId FROM schedule_runs s JOIN runs r ON r.id = s.run_id WHERE r.status = 'running' ORDER BY s.run_id`,
  ).all() as Array<{ huntId: string; runId: number }>;
  return {
    active: false,
    holder: lockHolder(db),
    pausedAll,
    schedules: schedules.length,
    paused: schedules.filter((s) => s.paused).length,
    running,
    queued: 0,
    nextRunAt: pausedAll ? null : due[0] ?? null,
    lastClockJump: null,
  };
}
