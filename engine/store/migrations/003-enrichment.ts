import type { Migration } from './migration.js';

/**
 * Enrichment: the lookup cache and quota ledger shared by every run, and per
 * run the extracted indicators, the rows they appear in, and one lookup per
 * indicator and provider (the persisted queue, and the verdicts once done).
 */
export const enrichmentMigration: Migration = {
  version: 3,
  name: 'enrichment cache, quotas, run indicators and verdicts',
  sql: `
    CREATE TABLE enrichment_cache (
      provider TEXT NOT NULL,
      indicator_type TEXT NOT NULL,
      value TEXT NOT NULL,
      found INTEGER NOT NULL,
      verdict TEXT NOT NULL,
      score REAL,
      link TEXT,
      raw TEXT,
      fetched_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      PRIMARY KEY (provider, indicator_type, value)
    );
    CREATE TABLE enrichment_provider_state (
      provider TEXT PRIMARY KEY,
      recent_calls TEXT NOT NULL DEFAULT '[]',
      day TEXT NOT NULL DEFAULT '',
      day_used INTEGER NOT NULL DEFAULT 0,
      blocked_until TEXT
    );
    CREATE TABLE enrichment_runs (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      extracted_at TEXT NOT NULL,
      rows_scanned INTEGER NOT NULL,
      indicator_count INTEGER NOT NULL
    );
    CREATE TABLE enrichment_run_indicators (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES enrichment_runs(run_id) ON DELETE CASCADE,
      indicator_type TEXT NOT NULL,
      value TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      skip_reason TEXT,
      UNIQUE (run_id, indicator_type, value)
    );
    CREATE TABLE enrichment_run_rows (
      indicator_id INTEGER NOT NULL REFERENCES enrichment_run_indicators(id) ON DELETE CASCADE,
      row_id INTEGER NOT NULL,
      PRIMARY KEY (indicator_id, row_id)
    ) WITHOUT ROWID;
    CREATE TABLE enrichment_run_lookups (
      indicator_id INTEGER NOT NULL REFERENCES enrichment_run_indicators(id) ON DELETE CASCADE,
      provider TEXT NOT NULL,
      run_id INTEGER NOT NULL,
      priority INTEGER NOT NULL,
      state TEXT NOT NULL,
      found INTEGER,
      verdict TEXT,
      score REAL,
      link TEXT,
      from_cache INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      updated_at TEXT,
      PRIMARY KEY (indicator_id, provider)
    );
    CREATE INDEX enrichment_queue ON enrichment_run_lookups(run_id, provider, state, priority DESC, indicator_id);
  `,
};
