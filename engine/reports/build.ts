import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { Hunt, Run, Severity } from '../types.js';
import { severities } from '../types.js';
import { getRun } from '../runs/run-repo.js';
import { QuarryError, notFound } from '../errors.js';
import { quarryVersion } from '../version.js';
import type { ReportExtras, ReportFinding, ReportIndicator } from './extras.js';
import { emptyReportExtras } from './extras.js';
import type { ReportHunt, ReportIndicatorSeen, ReportModel, ReportTarget, RunLine, RunSection } from './model.js';
import { attackCoverage } from './attack.js';
import { bucketPoints } from './timeline.js';
import { defaultSectionOptions, huntLookup, reportHunt, runSection, type SectionOptions } from './run-section.js';
import { moreSevere } from './extras-enrichment.js';
import { describeReport } from './summary.js';

export interface ReportDeps {
  /** A read connection to the store: `engine.openReader()` for a long export, or `engine.db`. */
  db: Db;
  clock: Clock;
  extras?: ReportExtras;
}

export interface ReportOptions extends Partial<SectionOptions> {
  /** Runs shown in detail in a finding report (its latest ones). */
  maxSections?: number;
}

/** At most this many runs in a range report: a year of hourly schedules, and still a readable table. */
const MAX_RANGE_RUNS = 10_000;

/** Builds the model every report format renders: HTML, PDF, Markdown and STIX. */
export function buildReport(deps: ReportDeps, target: ReportTarget, opts: ReportOptions = {}): ReportModel {
  const extras = deps.extras ?? emptyReportExtras;
  const sectionOpts: SectionOptions = { ...defaultSectionOptions, ...opts };
  const huntOf = huntLookup(deps.db, deps.clock);
  const section = (run: Run) => runSection(deps.db, run, huntOf(run.huntId), extras, sectionOpts);

  const { runs, finding } = targetRuns(deps.db, extras, target);
  let sections: RunSection[];
  let findings: ReportFinding[];
  if (target.kind === 'run') {
    sections = runs.map(section);
    findings = sections[0]!.findings;
  } else if (target.kind === 'finding') {
    sections = runs.slice(-(opts.maxSections ?? 3)).reverse().map(section);
    findings = [finding!];
  } else {
    sections = [];
    findings = extras.findingsBetween(target.from, target.to);
  }

  const hunts = distinctHunts(runs, huntOf);
  const indicators = mergeIndicators(runs, sections, extras, huntOf);
  const verdictCounts = { malicious: 0, suspicious: 0, harmless: 0, unknown: 0 };
  for (const i of indicators) verdictCounts[i.verdict]++;
  const model: ReportModel = {
    target,
    title: '',
    subtitle: '',
    generatedAt: deps.clock.now().toISOString(),
    quarryVersion,
    severity: target.kind === 'finding' ? asSeverity(finding!.severity) : target.kind === 'run' ? (sections[0]!.hunt?.severity ?? null) : null,
    facts: [],
    summary: [],
    finding,
    hunts,
    sections,
    runs: runs.map(runLine),
    overallTimeline:
      target.kind === 'run' || (target.kind === 'finding' && runs.length < 2)
        ? null
        : bucketPoints(runs.map((r) => ({ at: r.startedAt, count: r.rowCount })), sectionOpts.timelineBuckets,
          target.kind === 'range' ? { start: new Date(target.from).toISOString(), end: new Date(target.to).toISOString() } : undefined),
    indicators,
    verdictCounts,
    findings,
    attack: attackCoverage(hunts),
  };
  return { ...model, ...describeReport(model) };
}

/** The runs a target covers, oldest first (and for a finding, the finding). */
export function targetRuns(db: Db, extras: ReportExtras, target: ReportTarget): { runs: Run[]; finding: ReportFinding | null } {
  if (target.kind === 'run') return { runs: [getRun(db, target.runId)], finding: null };
  if (target.kind === 'finding') {
    const f = extras.finding(target.findingId);
    if (!f) throw notFound('finding', target.findingId);
    const { runIds, ...finding } = f;
    return { runs: runIds.flatMap((id) => existingRun(db, id)), finding };
  }
  if (!(Date.parse(target.from) < Date.parse(target.to))) {
    throw new QuarryError('invalid_input', `the range must end after it starts (from ${target.from} to ${target.to})`);
  }
  return { runs: runsBetween(db, target.from, target.to), finding: null };
}

function existingRun(db: Db, id: number): Run[] {
  try {
    return [getRun(db, id)];
  } catch {
    return []; // a finding may outlive a run deleted since
  }
}

function runsBetween(db: Db, from: string, to: string): Run[] {
  const ids = db
    .prepare('SELECT id FROM runs WHERE julianday(started_at) >= julianday(?) AND julianday(started_at) < julianday(?) ORDER BY started_at, id LIMIT ?')
    .pluck()
    .all(from, to, MAX_RANGE_RUNS) as number[];
  return ids.map((id) => getRun(db, id));
}

const runLine = (r: Run): RunLine => ({ id: r.id, huntName: r.huntName, status: r.status, startedAt: r.startedAt, rowCount: r.rowCount, connection: r.connection });

const asSeverity = (s: string): Severity | null => {
  const lower = s.toLowerCase();
  return (severities as readonly string[]).includes(lower) ? (lower as Severity) : null;
};

function distinctHunts(runs: Run[], huntOf: (id: string | null) => Hunt | null): ReportHunt[] {
  const seen = new Map<string, ReportHunt>();
  for (const r of runs) {
    const h = huntOf(r.huntId);
    if (h && !seen.has(h.id)) seen.set(h.id, reportHunt(h));
  }
  return [...seen.values()];
}

/**
 * One entry per indicator across the report's runs: the most severe verdict
 * any run got for it, rows summed, and the ATT&CK context of the hunts whose
 * runs held it (which STIX carries as kill-chain phases).
 */
function mergeIndicators(runs: Run[], sections: RunSection[], extras: ReportExtras, huntOf: (id: string | null) => Hunt | null): ReportIndicatorSeen[] {
  const fromSections = new Map(sections.map((s) => [s.run.id, s.indicators]));
  const merged = new Map<string, ReportIndicatorSeen>();
  for (const run of runs) {
    const hunt = huntOf(run.huntId);
    const list: ReportIndicator[] = fromSections.get(run.id) ?? extras.indicators(run.id);
    for (const i of list) {
      const key = `${i.type}:${i.value}`;
      const seen = merged.get(key);
      if (!seen) {
        merged.set(key, {
          ...i, providers: [...i.providers], runIds: [run.id], firstSeen: run.startedAt, lastSeen: run.startedAt,
          tactics: [...(hunt?.tactics ?? [])], techniques: [...(hunt?.techniques ?? [])],
        });
        continue;
      }
      const verdict = moreSevere(seen.verdict, i.verdict);
      if (verdict !== seen.verdict) {
        seen.score = i.score;
        seen.providers = [...i.providers];
      }
      seen.verdict = verdict;
      seen.rowCount += i.rowCount;
      seen.skipReason = seen.skipReason && i.skipReason;
      if (!seen.runIds.includes(run.id)) seen.runIds.push(run.id);
      if (run.startedAt < seen.firstSeen) seen.firstSeen = run.startedAt;
      if (run.startedAt > seen.lastSeen) seen.lastSeen = run.startedAt;
      for (const t of hunt?.tactics ?? []) if (!seen.tactics.includes(t)) seen.tactics.push(t);
      for (const t of hunt?.techniques ?? []) if (!seen.techniques.includes(t)) seen.techniques.push(t);
    }
  }
  const rank = { malicious: 3, suspicious: 2, harmless: 1, unknown: 0 };
  return [...merged.values()].sort((a, b) => rank[b.verdict] - rank[a.verdict] || b.rowCount - a.rowCount || a.value.localeCompare(b.value));
}
