import type { Db } from '../store/db.js';
import type { ProviderVerdict } from './cache.js';
import type { Indicator, IndicatorType, SkipReason } from './indicator.js';
import type { RunExtraction } from './run-extraction.js';
import type { ProviderId } from './settings.js';

/**
 * A run's enrichment state in SQLite: its indicators and the rows holding
 * them, and one lookup per indicator and provider. A queued lookup is the
 * persisted queue (most frequent indicator first); a done lookup holds the
 * verdict. Nothing here talks to the network.
 */

export interface ExtractionSummary {
  extractedAt: string;
  rowsScanned: number;
  indicatorCount: number;
}

export type LookupState = 'queued' | 'done' | 'failed';

export interface QueuedLookup extends Indicator {
  indicatorId: number;
  priority: number;
  attempts: number;
}

export function extractionSummary(db: Db, runId: number): ExtractionSummary | null {
  const row = db.prepare('SELECT extracted_at, rows_scanned, indicator_count FROM enrichment_runs WHERE run_id = ?').get(runId) as
    | { extracted_at: string; rows_scanned: number; indicator_count: number }
    | undefined;
  return row ? { extractedAt: row.extracted_at, rowsScanned: row.rows_scanned, indicatorCount: row.indicator_count } : null;
}

/** Replaces whatever was extracted for the run before (and with it, its lookups). One transaction. */
export function saveExtraction(db: Db, extraction: RunExtraction, now: Date): void {
  db.transaction(() => {
    db.prepare('DELETE FROM enrichment_runs WHERE run_id = ?').run(extraction.runId);
    db.prepare('INSERT INTO enrichment_runs (run_id, extracted_at, rows_scanned, indicator_count) VALUES (?, ?, ?, ?)').run(
      extraction.runId, now.toISOString(), extraction.rowsScanned, extraction.indicators.length);
    const addIndicator = db.prepare(
      'INSERT INTO enrichment_run_indicators (run_id, indicator_type, value, row_count, skip_reason) VALUES (?, ?, ?, ?, ?)');
    const addRow = db.prepare('INSERT INTO enrichment_run_rows (indicator_id, row_id) VALUES (?, ?)');
    for (const i of extraction.indicators) {
      const id = addIndicator.run(extraction.runId, i.type, i.value, i.rowCount, i.skip).lastInsertRowid;
      for (const rowId of i.rowIds) addRow.run(id, rowId);
    }
  })();
}

/**
 * Queues a lookup for every indicator of the run the provider can answer,
 * except those that must stay on the machine. Already queued or done ones are
 * left as they are, so calling it again after a restart changes nothing.
 */
export function queueLookups(db: Db, runId: number, provider: ProviderId, supports: (t: IndicatorType) => boolean, now: Date): void {
  const candidates = db
    .prepare('SELECT id, indicator_type, row_count FROM enrichment_run_indicators WHERE run_id = ? AND skip_reason IS NULL')
    .all(runId) as Array<{ id: number; indicator_type: IndicatorType; row_count: number }>;
  const add = db.prepare(
    `INSERT OR IGNORE INTO enrichment_run_lookups (indicator_id, provider, run_id, priority, state, updated_at)
     VALUES (?, ?, ?, ?, 'queued', ?)`);
  db.transaction(() => {
    for (const c of candidates) if (supports(c.indicator_type)) add.run(c.id, provider, runId, c.row_count, now.toISOString());
  })();
}

export function queuedLookups(db: Db, runId: number, provider: ProviderId): QueuedLookup[] {
  return (db
    .prepare(
      `SELECT l.indicator_id, i.indicator_type, i.value, l.priority, l.attempts
       FROM enrichment_run_lookups l JOIN enrichment_run_indicators i ON i.id = l.indicator_id
       WHERE l.run_id = ? AND l.provider = ? AND l.state = 'queued'
       ORDER BY l.priority DESC, l.indicator_id`)
    .all(runId, provider) as Array<{ indicator_id: number; indicator_type: IndicatorType; value: string; priority: number; attempts: number }>)
    .map((r) => ({ indicatorId: r.indicator_id, type: r.indicator_type, value: r.value, priority: r.priority, attempts: r.attempts }));
}

/** The most frequent indicator still waiting for this provider. */
export function nextQueuedLookup(db: Db, runId: number, provider: ProviderId): QueuedLookup | null {
  const r = db
    .prepare(
      `SELECT l.indicator_id, i.indicator_type, i.value, l.priority, l.attempts
       FROM enrichment_run_lookups l JOIN enrichment_run_indicators i ON i.id = l.indicator_id
       WHERE l.run_id = ? AND l.provider = ? AND l.state = 'queued'
       ORDER BY l.priority DESC, l.indicator_id LIMIT 1`)
    .get(runId, provider) as { indicator_id: number; indicator_type: IndicatorType; value: string; priority: number; attempts: number } | undefined;
  return r ? { indicatorId: r.indicator_id, type: r.indicator_type, value: r.value, priority: r.priority, attempts: r.attempts } : null;
}

export function completeLookup(db: Db, indicatorId: number, provider: ProviderId, answer: ProviderVerdict, fromCache: boolean, now: Date): void {
  db.prepare(
    `UPDATE enrichment_run_lookups SET state = 'done', found = ?, verdict = ?, score = ?, link = ?, from_cache = ?,
       attempts = attempts + ?, last_error = NULL, updated_at = ? WHERE indicator_id = ? AND provider = ?`,
  ).run(answer.found ? 1 : 0, answer.verdict, answer.score, answer.link, fromCache ? 1 : 0, fromCache ? 0 : 1, now.toISOString(), indicatorId, provider);
}

/** Records a failed attempt. A transient failure keeps the lookup queued; a permanent one (the provider refused the value) ends it. */
export function failLookup(db: Db, indicatorId: number, provider: ProviderId, error: string, permanent: boolean, now: Date): void {
  db.prepare(
    `UPDATE enrichment_run_lookups SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ?
     WHERE indicator_id = ? AND provider = ?`,
  ).run(permanent ? 'failed' : 'queued', error, now.toISOString(), indicatorId, provider);
}

export interface LookupCounts {
  queued: number;
  done: number;
  failed: number;
  /** Done lookups answered from the cache rather than by a call. */
  fromCache: number;
}

export function lookupCounts(db: Db, runId: number, provider: ProviderId): LookupCounts {
  const rows = db
    .prepare(
      `SELECT state, count(*) AS n, sum(from_cache) AS cached FROM enrichment_run_lookups
       WHERE run_id = ? AND provider = ? GROUP BY state`)
    .all(runId, provider) as Array<{ state: LookupState; n: number; cached: number }>;
  const counts: LookupCounts = { queued: 0, done: 0, failed: 0, fromCache: 0 };
  for (const r of rows) {
    counts[r.state] = r.n;
    if (r.state === 'done') counts.fromCache = r.cached;
  }
  return counts;
}

/** An indicator found to be allowlisted after extraction: marked so, and its waiting lookups dropped unsent. */
export function keepHome(db: Db, indicatorId: number, reason: SkipReason): void {
  db.transaction(() => {
    db.prepare('UPDATE enrichment_run_indicators SET skip_reason = ? WHERE id = ?').run(reason, indicatorId);
    db.prepare("DELETE FROM enrichment_run_lookups WHERE indicator_id = ? AND state = 'queued'").run(indicatorId);
  })();
}
