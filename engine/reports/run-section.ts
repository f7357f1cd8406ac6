import type { Db } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { Hunt, Run } from '../types.js';
import { HuntLibrary } from '../hunts/library.js';
import { hasResults, physical, readColumns, readRows, resultsTableName } from '../runs/result-store.js';
import { toJsonValue } from '../export/results.js';
import type { ReportExtras } from './extras.js';
import type { ReportHunt, RunSection, SampleRows } from './model.js';
import { topEntities } from './entities.js';
import { displayText } from './format.js';
import { runTimeline } from './timeline.js';

export interface SectionOptions {
  /** Rows shown in the report's sample table (the data exports have them all). */
  sampleRows: number;
  sampleColumns: number;
  timelineBuckets: number;
  /** Only the run and its indicators and findings: no scans of the result (for STIX, which needs nothing else). */
  light?: boolean;
}

export const defaultSectionOptions: SectionOptions = { sampleRows: 25, sampleColumns: 10, timelineBuckets: 48 };

/** The hunt as a report shows it; the run keeps its own copy of the query, which is what actually ran. */
export function reportHunt(h: Hunt): ReportHunt {
  return {
    id: h.id, name: h.name, description: h.description, language: h.language, query: h.query, severity: h.severity,
    tactics: h.tactics, techniques: h.techniques, tags: h.tags, parameters: h.parameters,
  };
}

/** Hunts by id, each read once; a hunt deleted since its runs gives null. */
export function huntLookup(db: Db, clock: Clock): (id: string | null) => Hunt | null {
  const library = new HuntLibrary(db, clock);
  const cache = new Map<string, Hunt | null>();
  return (id) => {
    if (id === null) return null;
    if (!cache.has(id)) {
      let hunt: Hunt | null = null;
      try {
        hunt = library.find(id) ?? null;
      } catch {
        // Two hunts now share a name equal to this id: the run's own id lookup found nothing, so there is no hunt.
      }
      cache.set(id, hunt);
    }
    return cache.get(id)!;
  };
}

export function runSection(db: Db, run: Run, hunt: Hunt | null, extras: ReportExtras, opts: SectionOptions): RunSection {
  const stored = hasResults(db, run.id);
  const detail = stored && !opts.light;
  const columns = stored ? readColumns(db, run.id) : [];
  const timeline = detail
    ? runTimeline(db, run.id, opts.timelineBuckets)
    : { column: null, start: null, end: null, bucketMs: 0, counts: [] };
  const events = detail && timeline.column !== null ? eventSpan(db, run.id, columns.findIndex((c) => c.name === timeline.column)) : null;
  return {
    run,
    hunt: hunt ? reportHunt(hunt) : null,
    hasResults: stored,
    columns,
    timeline,
    firstEvent: events?.first ?? null,
    lastEvent: events?.last ?? null,
    entities: detail ? topEntities(db, run.id, columns, hunt?.entityMappings ?? []) : [],
    sample: detail ? sampleRows(db, run.id, columns, opts) : { columns: [], hiddenColumns: 0, rows: [] },
    indicators: extras.indicators(run.id),
    findings: extras.findingsForRun(run.id),
  };
}

function eventSpan(db: Db, runId: number, index: number): { first: string | null; last: string | null } {
  const col = physical(index);
  const row = db
    .prepare(`SELECT min(${col}) AS first, max(${col}) AS last FROM ${resultsTableName(runId)} WHERE julianday(${col}) IS NOT NULL`)
    .get() as { first: string | null; last: string | null };
  return row;
}

function sampleRows(db: Db, runId: number, all: RunSection['columns'], opts: SectionOptions): SampleRows {
  const columns = all.slice(0, opts.sampleColumns);
  const { rows } = readRows(db, runId, { limit: opts.sampleRows });
  return {
    columns,
    hiddenColumns: all.length - columns.length,
    rows: rows.map((r) =>
      columns.map((c, i) => {
        const v = toJsonValue(c.type, r[i] ?? null);
        return v === null ? '' : displayText(typeof v === 'object' ? JSON.stringify(v) : String(v), 160);
      }),
    ),
  };
}
