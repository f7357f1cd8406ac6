import type { Migration } from './migration.js';

/**
 * Which finished runs have had their findings evaluated, so that a run whose
 * process died between "succeeded" and its findings is evaluated on the next
 * start. Runs already in the store were evaluated when they finished.
 */
export const findingEvaluationsMigration: Migration = {
  version: 7,
  name: 'finding evaluations per run',
  sql: `
    CREATE TABLE finding_evaluations (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      evaluated_at TEXT NOT NULL
    );
    INSERT INTO finding_evaluations (run_id, evaluated_at)
      SELECT id, coalesce(ended_at, started_at) FROM runs WHERE status = 'succeeded';
  `,
};
