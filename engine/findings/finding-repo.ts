import type { Db } from '../store/db.js';
import type { Severity } from '../types.js';
import { notFound } from '../errors.js';
import type { Finding, FindingEntity, FindingFilter, FindingNote, FindingStatus, Verdict } from './types.js';
import { severityRank } from './verdicts.js';

/** Reading and writing findings and their notes. */

interface FindingRow {
  id: number;
  dedup_key: string;
  correlation_id: string;
  hunt_id: string;
  hunt_name: string;
  title: string;
  severity: string;
  hunt_severity: string;
  verdict: string | null;
  status: string;
  entities: string;
  tactics: string;
  techniques: string;
  tags: string;
  hit_count: number;
  row_count: number;
  run_ids: string;
  first_seen: string;
  last_seen: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  close_reason: string | null;
}

const fromRow = (r: FindingRow): Finding => ({
  id: r.id,
  dedupKey: r.dedup_key,
  correlationId: r.correlation_id,
  huntId: r.hunt_id,
  huntName: r.hunt_name,
  title: r.title,
  severity: r.severity as Severity,
  huntSeverity: r.hunt_severity as Severity,
  verdict: r.verdict as Verdict | null,
  status: r.status as FindingStatus,
  entities: JSON.parse(r.entities) as FindingEntity[],
  tactics: JSON.parse(r.tactics) as string[],
  techniques: JSON.parse(r.techniques) as string[],
  tags: JSON.parse(r.tags) as string[],
  hitCount: r.hit_count,
  rowCount: r.row_count,
  runIds: JSON.parse(r.run_ids) as number[],
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  closedAt: r.closed_at,
  closeReason: r.close_reason,
});

export function getFinding(db: Db, id: number): Finding {
  const row = db.prepare('SELECT * FROM findings WHERE id = ?').get(id) as FindingRow | undefined;
  if (!row) throw notFound('finding', String(id));
  return fromRow(row);
}

/** Newest activity first. */
export function listFindings(db: Db, filter: FindingFilter = {}): Finding[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    args.push(filter.status);
  }
  if (filter.huntId) {
    where.push('hunt_id = ?');
    args.push(filter.huntId);
  }
  const rows = db
    .prepare(`SELECT * FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen DESC, id DESC`)
    .all(...args) as FindingRow[];
  const min = filter.minSeverity ? severityRank(filter.minSeverity) : 0;
  const list = rows.map(fromRow).filter((f) => severityRank(f.severity) >= min);
  return filter.limit ? list.slice(0, filter.limit) : list;
}

/** The finding a re-hit of this dedup key updates: the latest one not closed, last seen within the window. */
export function findOpenByKey(db: Db, key: string, seenSince: string): Finding | null {
  const row = db
    .prepare("SELECT * FROM findings WHERE dedup_key = ? AND status <> 'closed' AND last_seen >= ? ORDER BY id DESC LIMIT 1")
    .get(key, seenSince) as FindingRow | undefined;
  return row ? fromRow(row) : null;
}

export type NewFinding = Omit<Finding, 'id' | 'status' | 'closedAt' | 'closeReason' | 'updatedAt'>;

export function insertFinding(db: Db, f: NewFinding): number {
  const info = db
    .prepare(
      `INSERT INTO findings (dedup_key, correlation_id, hunt_id, hunt_name, title, severity, hunt_severity, verdict, status,
         entities, tactics, techniques, tags, hit_count, row_count, run_ids, first_seen, last_seen, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      f.dedupKey, f.correlationId, f.huntId, f.huntName, f.title, f.severity, f.huntSeverity, f.verdict,
      JSON.stringify(f.entities), JSON.stringify(f.tactics), JSON.stringify(f.techniques), JSON.stringify(f.tags),
      f.hitCount, f.rowCount, JSON.stringify(f.runIds), f.firstSeen, f.lastSeen, f.createdAt, f.createdAt,
    );
  return Number(info.lastInsertRowid);
}

/** Records a re-hit: one more run, its rows, the latest time, and a severity that only goes up. */
export function recordRehit(db: Db, f: Finding, hit: { runId: number; rows: number; at: string; severity: Severity; verdict: Verdict | null }): void {
  db.prepare(
    `UPDATE findings SET hit_count = hit_count + 1, row_count = row_count + ?, run_ids = ?, last_seen = ?,
       severity = ?, verdict = ?, updated_at = ? WHERE id = ?`,
  ).run(hit.rows, JSON.stringify([...f.runIds, hit.runId]), hit.at, hit.severity, hit.verdict, hit.at, f.id);
}

export function setFindingStatus(db: Db, id: number, status: FindingStatus, at: string, closeReason: string | null = null): void {
  db.prepare('UPDATE findings SET status = ?, updated_at = ?, closed_at = ?, close_reason = ? WHERE id = ?')
    .run(status, at, status === 'closed' ? at : null, status === 'closed' ? closeReason : null, id);
}

export function addNote(db: Db, findingId: number, text: string, at: string): FindingNote {
  const info = db.prepare('INSERT INTO finding_notes (finding_id, text, created_at) VALUES (?, ?, ?)').run(findingId, text, at);
  db.prepare('UPDATE findings SET updated_at = ? WHERE id = ?').run(at, findingId);
  return { id: Number(info.lastInsertRowid), text, createdAt: at };
}

export function listNotes(db: Db, findingId: number): FindingNote[] {
  return db
    .prepare('SELECT id, text, created_at AS createdAt FROM finding_notes WHERE finding_id = ? ORDER BY id')
    .all(findingId) as FindingNote[];
}
