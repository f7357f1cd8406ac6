import type { Migration } from './migration.js';

/**
 * Schedules: one per hunt; the link from each scheduled run to its schedule
 * (the run's window lives on the run itself, its status decides whether the
 * window counts as covered); and the scheduler's global state: pause-all, a
 * revision other processes bump when they change schedules, and the lock that
 * keeps one scheduler per data directory.
 */
export const schedulesMigration: Migration = {
  version: 5,
  name: 'schedules, scheduled runs, scheduler state and lock',
  sql: `
    CREATE TABLE schedules (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      hunt_id TEXT NOT NULL UNIQUE REFERENCES hunts(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      every_ms INTEGER,
      cron TEXT,
      timezone TEXT NOT NULL,
      lookback_ms INTEGER NOT NULL,
      overlap_ms INTEGER NOT NULL,
      max_window_ms INTEGER NOT NULL,
      timeout_ms INTEGER NOT NULL,
      params TEXT NOT NULL DEFAULT '{}',
      paused INTEGER NOT NULL DEFAULT 0,
      next_due_at TEXT,
      origin TEXT, -- where coverage begins until a run succeeds: set time minus lookback
      last_error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE schedule_runs (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      schedule_id INTEGER NOT NULL,
      hunt_id TEXT NOT NULL,
      trigger TEXT NOT NULL,
      due_at TEXT NOT NULL,
      missed INTEGER NOT NULL DEFAULT 0,
      capped_from TEXT,
      capped_to TEXT
    );
    CREATE INDEX schedule_runs_schedule ON schedule_runs(schedule_id, run_id);
    CREATE INDEX schedule_runs_hunt ON schedule_runs(hunt_id, run_id);
    CREATE TABLE scheduler_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      paused_all INTEGER NOT NULL DEFAULT 0,
      revision INTEGER NOT NULL DEFAULT 0,
      lock_token TEXT,
      lock_pid INTEGER,
      lock_host TEXT,
      lock_kind TEXT,
      lock_since TEXT,
      lock_heartbeat_ms INTEGER
    );
    INSERT INTO scheduler_state (id) VALUES (1);
  `,
};
