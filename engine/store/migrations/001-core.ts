import type { Migration } from './migration.js';

/** The foundation: connections, the hunt library, runs and their result columns. */
export const coreMigration: Migration = {
    version: 1,
    name: 'connections, hunts, runs',
    sql: `
      CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE hunts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        connection TEXT,
        language TEXT NOT NULL,
        query TEXT NOT NULL,
        parameters TEXT NOT NULL DEFAULT '[]',
        tactics TEXT NOT NULL DEFAULT '[]',
        techniques TEXT NOT NULL DEFAULT '[]',
        entity_mappings TEXT NOT NULL DEFAULT '[]',
        required_data_connectors TEXT NOT NULL DEFAULT '[]',
        severity TEXT NOT NULL DEFAULT 'medium',
        tags TEXT NOT NULL DEFAULT '[]',
        version TEXT NOT NULL DEFAULT '1.0.0',
        extra TEXT NOT NULL DEFAULT '{}',
        source_path TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX hunts_name ON hunts(name);
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        hunt_id TEXT,
        hunt_name TEXT NOT NULL,
        connection TEXT NOT NULL,
        language TEXT NOT NULL,
        query TEXT NOT NULL,
        parameters TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        duration_ms INTEGER,
        row_count INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        window_start TEXT,
        window_end TEXT,
        results_table TEXT,
        owner_pid INTEGER
      );
      CREATE INDEX runs_hunt ON runs(hunt_id, started_at);
      CREATE TABLE run_columns (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        PRIMARY KEY (run_id, ordinal)
      );
    `,
  };
