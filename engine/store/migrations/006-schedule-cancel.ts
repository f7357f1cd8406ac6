import type { Migration } from './migration.js';

/**
 * Cancel requests for scheduled runs, so that a run going in one process
 * (`quarry daemon`) can be cancelled from another (the CLI, the app): the
 * scheduler that owns the run reads them while it has runs in flight.
 */
export const scheduleCancelMigration: Migration = {
  version: 6,
  name: 'cancel requests for scheduled runs',
  sql: `
    CREATE TABLE schedule_cancel_requests (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      requested_at TEXT NOT NULL
    );
  `,
};
