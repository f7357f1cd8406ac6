import type { Db } from '../store/db.js';
import type { FindingsReportSource, ReportFinding, ReportFindingWithRuns, ReportTicket } from './extras.js';
import { hasTable } from './extras-enrichment.js';

/**
 * Findings and their tickets, read straight from the findings tables
 * (migration 4: `findings`, `sinks`, `sink_tickets`) so that reports depend on
 * that schema only; a store without them gives no findings.
 */

interface FindingRow {
  id: number;
  dedup_key: string;
  hunt_id: string;
  title: string;
  severity: string;
  status: string;
  hit_count: number;
  run_ids: string;
  first_seen: string;
  last_seen: string;
}

const COLUMNS = 'f.id, f.dedup_key, f.hunt_id, f.title, f.severity, f.status, f.hit_count, f.run_ids, f.first_seen, f.last_seen';

export function findingsFromStore(db: Db): FindingsReportSource {
  if (!['findings', 'sinks', 'sink_tickets'].every((t) => hasTable(db, t))) return { findingsForRun: () => [], finding: () => null, findingsBetween: () => [] };
  const ticketsOf = db.prepare(
    `SELECT s.name AS sink, t.url AS url, coalesce(t.external_key, t.external_id) AS key
     FROM sink_tickets t JOIN sinks s ON s.id = t.sink_id WHERE t.finding_id = ? ORDER BY s.name`);
  const byRun = db.prepare(`SELECT ${COLUMNS} FROM findings f WHERE EXISTS (SELECT 1 FROM json_each(f.run_ids) WHERE value = ?) ORDER BY f.last_seen DESC, f.id`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM findings f WHERE f.id = ?`);
  const between = db.prepare(
    `SELECT ${COLUMNS} FROM findings f WHERE julianday(f.last_seen) >= julianday(?) AND julianday(f.first_seen) < julianday(?) ORDER BY f.last_seen DESC, f.id LIMIT 1000`);
  const toFinding = (r: FindingRow): ReportFinding => ({
    id: String(r.id),
    title: r.title,
    severity: r.severity,
    status: r.status,
    dedupKey: r.dedup_key,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    count: r.hit_count,
    huntId: r.hunt_id,
    tickets: ticketsOf.all(r.id) as ReportTicket[],
  });
  return {
    findingsForRun: (runId) => (byRun.all(runId) as FindingRow[]).map(toFinding),
    finding: (findingId): ReportFindingWithRuns | null => {
      if (!/^\d+$/.test(findingId)) return null;
      const row = byId.get(Number(findingId)) as FindingRow | undefined;
      if (!row) return null;
      const runIds = (JSON.parse(row.run_ids) as unknown[]).filter((x): x is number => typeof x === 'number');
      return { ...toFinding(row), runIds: [...new Set(runIds)].sort((a, b) => a - b) };
    },
    findingsBetween: (from, to) => (between.all(from, to) as FindingRow[]).map(toFinding),
  };
}
