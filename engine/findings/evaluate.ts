import type { Db } from '../store/db.js';
import type { Hunt, Run, Severity, StoredValue } from '../types.js';
import { getRun } from '../runs/run-repo.js';
import { hasResults, physical, readColumns, resultsTableName } from '../runs/result-store.js';
import type { HuntLibrary } from '../hunts/library.js';
import { kindEntry, getSink } from './sink-registry.js';
import { dedupKey, newCorrelationId } from './dedup.js';
import { findOpenByKey, getFinding, insertFinding, recordRehit } from './finding-repo.js';
import { getFindingRule, triggerFires, type FindingRule } from './rules.js';
import { routedSinks } from './routing.js';
import type { Finding, FindingEntity } from './types.js';
import { maxSeverity, maxVerdict, raiseSeverity, type VerdictSource } from './verdicts.js';
import { enqueueDelivery, sinksOfFinding } from '../outbox/outbox-repo.js';

/**
 * Turns a finished run into findings: checks the hunt's trigger on the row
 * count, groups the stored rows by entity values (in SQLite, so a large
 * result is never held in memory), and for each group either updates the
 * open finding with the same dedup key (a re-hit within the window) or opens
 * a new one. Every finding change and the deliveries it causes commit in one
 * transaction.
 */

export interface EvaluationResult {
  runId: number;
  huntId: string | null;
  triggered: boolean;
  /** Why nothing happened, when nothing did. */
  reason: string | null;
  created: number[];
  updated: number[];
  /** The severity each updated finding had before this run (a re-hit may raise it). */
  previousSeverity: Record<number, Severity>;
  /** Groups beyond the rule's maxFindingsPerRun, left without a finding. */
  skippedGroups: number;
  deliveriesQueued: number;
}

export interface EvaluateDeps {
  db: Db;
  hunts: HuntLibrary;
  now: Date;
  verdicts: VerdictSource;
}

interface Group {
  entities: FindingEntity[];
  rows: number;
}

const text = (v: StoredValue): string | null =>
  v === null ? null : Buffer.isBuffer(v) ? v.toString('hex') : String(v);

/** The result columns a rule groups by, as [index, entity type, identifier]; empty for one finding per hunt. */
function groupColumns(db: Db, run: Run, hunt: Hunt, rule: FindingRule): Array<{ index: number; column: string; entityType: string | null; identifier: string | null }> {
  if (rule.groupBy === 'none' || !hasResults(db, run.id)) return [];
  const columns = readColumns(db, run.id);
  const indexOf = (name: string): number => columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  const wanted = rule.groupBy === 'entities'
    ? hunt.entityMappings.flatMap((m) => m.fieldMappings.map((f) => ({ column: f.columnName, entityType: m.entityType, identifier: f.identifier })))
    : rule.groupBy.map((column) => ({ column, entityType: null, identifier: null }));
  const out: Array<{ index: number; column: string; entityType: string | null; identifier: string | null }> = [];
  for (const w of wanted) {
    const index = indexOf(w.column);
    if (index >= 0 && !out.some((o) => o.index === index)) out.push({ ...w, index, column: columns[index]!.name });
  }
  return out;
}

function groupsOf(db: Db, run: Run, hunt: Hunt, rule: FindingRule): { groups: Group[]; skipped: number } {
  const cols = groupColumns(db, run, hunt, rule);
  if (cols.length === 0 || run.rowCount === 0) return { groups: [{ entities: [], rows: run.rowCount }], skipped: 0 };
  const table = resultsTableName(run.id);
  const by = cols.map((c) => physical(c.index)).join(', ');
  const total = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${table} GROUP BY ${by})`).pluck().get() as number;
  const rows = db
    .prepare(`SELECT ${by}, count(*) AS n FROM ${table} GROUP BY ${by} ORDER BY n DESC, ${by} LIMIT ?`)
    .raw(true)
    .all(rule.maxFindingsPerRun) as StoredValue[][];
  const groups = rows.map((r) => ({
    rows: Number(r[cols.length]),
    entities: cols.flatMap((c, i) => {
      const value = text(r[i]!);
      return value === null || value.trim() === '' ? [] : [{ column: c.column, value, entityType: c.entityType, identifier: c.identifier }];
    }),
  }));
  return { groups, skipped: Math.max(0, total - rows.length) };
}

const titleOf = (hunt: Hunt, entities: FindingEntity[]): string =>
  entities.length ? `${hunt.name}: ${entities.map((e) => e.value).join(', ')}` : hunt.name;

/** Chat sinks only post news (new finding, re-hit); ticketing sinks also follow acknowledge and close. */
export function queueFor(db: Db, finding: Finding, action: 'create' | 'update' | 'acknowledge' | 'resolve', now: string): number {
  const previous = sinksOfFinding(db, finding.id);
  const targets = action === 'create' || action === 'update' ? [...new Set([...previous, ...routedSinks(db, finding)])] : previous;
  let queued = 0;
  for (const sinkId of targets) {
    const ticketing = kindEntry(getSink(db, sinkId).kind).ticketing;
    if (!ticketing && (action === 'acknowledge' || action === 'resolve')) continue;
    const first = !previous.includes(sinkId);
    if (enqueueDelivery(db, finding.id, sinkId, first ? 'create' : action, now) !== null) queued++;
  }
  return queued;
}

export function evaluateRun(deps: EvaluateDeps, runId: number): EvaluationResult {
  const { db, now } = deps;
  const run = getRun(db, runId);
  const result: EvaluationResult = { runId, huntId: run.huntId, triggered: false, reason: null, created: [], updated: [], previousSeverity: {}, skippedGroups: 0, deliveriesQueued: 0 };
  const hunt = run.huntId ? deps.hunts.find(run.huntId) : undefined;
  if (run.status !== 'succeeded') return { ...result, reason: `run ${run.status}` };
  if (!hunt) return { ...result, reason: 'the hunt of this run no longer exists' };
  const { rule } = getFindingRule(db, hunt);
  if (!rule.enabled) return { ...result, reason: 'finding rule disabled' };
  if (!triggerFires(rule, run.rowCount)) {
    return { ...result, reason: `trigger not met (${run.rowCount} rows, needs ${rule.trigger!.operator} ${rule.trigger!.threshold})` };
  }
  result.triggered = true;
  const { groups, skipped } = groupsOf(db, run, hunt, rule);
  result.skippedGroups = skipped;
  const at = (run.endedAt ? new Date(run.endedAt) : now).toISOString();
  // A scheduled run's rows date from its window, which can begin long before the run ends (a catch-up after a
  // weekend, a crashed window re-run, the overlap): count the dedup window back from the earlier of the two.
  const seenFrom = Math.min(Date.parse(at), run.windowStart ? Date.parse(run.windowStart) : Number.POSITIVE_INFINITY);
  const seenSince = new Date(seenFrom - rule.dedupWindowMinutes * 60_000).toISOString();

  db.transaction(() => {
    for (const g of groups) {
      const key = dedupKey(hunt.id, g.entities);
      const verdict = deps.verdicts.maxVerdictFor(runId, g.entities.map((e) => e.value));
      const severity = raiseSeverity(hunt.severity, verdict);
      const open = findOpenByKey(db, key, seenSince);
      if (open) {
        if (open.runIds.includes(runId)) continue; // this run was evaluated before
        recordRehit(db, open, { runId, rows: g.rows, at, severity: maxSeverity(open.severity, severity), verdict: maxVerdict(open.verdict, verdict) });
        result.updated.push(open.id);
        result.previousSeverity[open.id] = open.severity;
        result.deliveriesQueued += queueFor(db, getFinding(db, open.id), 'update', at);
        continue;
      }
      const id = insertFinding(db, {
        dedupKey: key,
        correlationId: newCorrelationId(key),
        huntId: hunt.id,
        huntName: hunt.name,
        title: titleOf(hunt, g.entities),
        severity,
        huntSeverity: hunt.severity,
        verdict,
        entities: g.entities,
        tactics: hunt.tactics,
        techniques: hunt.techniques,
        tags: hunt.tags,
        hitCount: 1,
        rowCount: g.rows,
        runIds: [runId],
        firstSeen: at,
        lastSeen: at,
        createdAt: now.toISOString(),
      });
      result.created.push(id);
      result.deliveriesQueued += queueFor(db, getFinding(db, id), 'create', at);
    }
  })();
  return result;
}

/**
 * Enrichment usually finishes after the run did: this re-reads the run's
 * verdicts for the open findings it hit, raises their severity where a
 * verdict now says so, and queues updates (or first deliveries, when a raised
 * severity now matches a route). Returns the findings that changed, with
 * the severity each had before.
 */
export function applyVerdicts(deps: Omit<EvaluateDeps, 'hunts'>, runId: number): Array<{ id: number; previousSeverity: Severity }> {
  const { db } = deps;
  const now = deps.now.toISOString();
  const ids = db
    .prepare("SELECT id FROM findings WHERE status <> 'closed' AND EXISTS (SELECT 1 FROM json_each(findings.run_ids) WHERE value = ?) ORDER BY id")
    .pluck()
    .all(runId) as number[];
  const changed: Array<{ id: number; previousSeverity: Severity }> = [];
  db.transaction(() => {
    for (const id of ids) {
      const f = getFinding(db, id);
      const verdict = maxVerdict(f.verdict, deps.verdicts.maxVerdictFor(runId, f.entities.map((e) => e.value)));
      const severity = maxSeverity(f.severity, raiseSeverity(f.huntSeverity, verdict));
      if (verdict === f.verdict && severity === f.severity) continue;
      db.prepare('UPDATE findings SET verdict = ?, severity = ?, updated_at = ? WHERE id = ?').run(verdict, severity, now, id);
      changed.push({ id, previousSeverity: f.severity });
      if (severity !== f.severity) queueFor(db, getFinding(db, id), 'update', now);
    }
  })();
  return changed;
}
