import type { Migration } from './migration.js';

/**
 * Findings and their delivery: per-hunt finding rules, findings (deduplicated
 * by a key over hunt and entity values) with notes, the sinks they go to
 * (settings only: secrets live in the keychain), routing rules, the durable
 * outbox of deliveries, and the external ticket each (finding, sink) got.
 */
export const findingsMigration: Migration = {
  version: 4,
  name: 'findings, sinks, routes and the delivery outbox',
  sql: `
    CREATE TABLE finding_rules (
      hunt_id TEXT PRIMARY KEY,
      rule TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE findings (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      dedup_key TEXT NOT NULL,
      correlation_id TEXT NOT NULL UNIQUE,
      hunt_id TEXT NOT NULL,
      hunt_name TEXT NOT NULL,
      title TEXT NOT NULL,
      severity TEXT NOT NULL,
      hunt_severity TEXT NOT NULL,
      verdict TEXT,
      status TEXT NOT NULL DEFAULT 'new',
      entities TEXT NOT NULL DEFAULT '[]',
      tactics TEXT NOT NULL DEFAULT '[]',
      techniques TEXT NOT NULL DEFAULT '[]',
      tags TEXT NOT NULL DEFAULT '[]',
      hit_count INTEGER NOT NULL DEFAULT 1,
      row_count INTEGER NOT NULL DEFAULT 0,
      run_ids TEXT NOT NULL DEFAULT '[]',
      first_seen TEXT NOT NULL,
      last_seen TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      closed_at TEXT,
      close_reason TEXT
    );
    CREATE INDEX findings_dedup ON findings(dedup_key, id);
    CREATE INDEX findings_status ON findings(status, last_seen);
    CREATE TABLE finding_notes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
      text TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE sinks (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      settings TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE finding_routes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      position INTEGER NOT NULL,
      sink_id TEXT NOT NULL REFERENCES sinks(id) ON DELETE CASCADE,
      min_severity TEXT NOT NULL DEFAULT 'informational',
      tags TEXT NOT NULL DEFAULT '[]',
      tactics TEXT NOT NULL DEFAULT '[]',
      hunts TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
      sink_id TEXT NOT NULL REFERENCES sinks(id) ON DELETE CASCADE,
      action TEXT NOT NULL,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL,
      last_status INTEGER,
      last_error TEXT,
      detail TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      delivered_at TEXT
    );
    CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
    CREATE INDEX deliveries_pair ON deliveries(finding_id, sink_id, id);
    CREATE TABLE sink_tickets (
      finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
      sink_id TEXT NOT NULL REFERENCES sinks(id) ON DELETE CASCADE,
      external_id TEXT NOT NULL,
      external_key TEXT,
      url TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (finding_id, sink_id)
    );
  `,
};
