import type { Db } from '../store/db.js';
import { indicatorKey, maxVerdict, verdictRank, verdicts, type Indicator, type IndicatorType, type SkipReason, type Verdict } from './indicator.js';
import { extractionSummary, type ExtractionSummary, type LookupState } from './run-store.js';
import type { ProviderId } from './settings.js';
import { Allowlist } from './allowlist.js';
import { classifyValue } from './classify.js';
import { refang } from './refang.js';

/**
 * Reading a run's verdicts: per indicator (the most severe answer of any
 * provider) and per row (the most severe verdict of the indicators in it).
 * Findings use these to raise a severity; the UI to colour rows.
 */

export interface ProviderLookup {
  provider: ProviderId;
  state: LookupState;
  /** null while queued. */
  found: boolean | null;
  verdict: Verdict | null;
  score: number | null;
  link: string | null;
  fromCache: boolean;
  attempts: number;
  error: string | null;
}

export interface IndicatorVerdict extends Indicator {
  rowCount: number;
  /** Why it was never sent, or null. */
  skipReason: SkipReason | null;
  /** The most severe verdict among the providers' answers; `unknown` until one answers. */
  verdict: Verdict;
  lookups: ProviderLookup[];
}

export interface RowVerdict {
  /** The stored row's rowid in the run's result. */
  rowId: number;
  verdict: Verdict;
  /** Indicators in the row that reached the asked-for verdict, as "type:value". */
  indicators: string[];
}

export interface RunVerdicts {
  runId: number;
  /** null when the run was never enriched. */
  extraction: ExtractionSummary | null;
  /** Most frequent first. */
  indicators: IndicatorVerdict[];
  rows: RowVerdict[];
}

export interface RunVerdictQuery {
  /** Rows whose verdict is at least this; default `suspicious`; null for no rows (indicators only). */
  rowsAtLeast?: Verdict | null;
}

interface JoinedRow {
  id: number;
  indicator_type: IndicatorType;
  value: string;
  row_count: number;
  skip_reason: SkipReason | null;
  provider: ProviderId | null;
  state: LookupState | null;
  found: number | null;
  verdict: Verdict | null;
  score: number | null;
  link: string | null;
  from_cache: number | null;
  attempts: number | null;
  last_error: string | null;
}

export function readRunVerdicts(db: Db, runId: number, query: RunVerdictQuery = {}): RunVerdicts {
  const rows = db
    .prepare(
      `SELECT i.id, i.indicator_type, i.value, i.row_count, i.skip_reason,
              l.provider, l.state, l.found, l.verdict, l.score, l.link, l.from_cache, l.attempts, l.last_error
       FROM enrichment_run_indicators i LEFT JOIN enrichment_run_lookups l ON l.indicator_id = i.id
       WHERE i.run_id = ? ORDER BY i.row_count DESC, i.id, l.provider`)
    .all(runId) as JoinedRow[];
  const byId = new Map<number, IndicatorVerdict>();
  for (const r of rows) {
    let iv = byId.get(r.id);
    if (!iv) {
      iv = { type: r.indicator_type, value: r.value, rowCount: r.row_count, skipReason: r.skip_reason, verdict: 'unknown', lookups: [] };
      byId.set(r.id, iv);
    }
    if (r.provider === null) continue;
    iv.lookups.push({
      provider: r.provider,
      state: r.state!,
      found: r.found === null ? null : r.found === 1,
      verdict: r.verdict,
      score: r.score,
      link: r.link,
      fromCache: r.from_cache === 1,
      attempts: r.attempts ?? 0,
      error: r.last_error,
    });
  }
  for (const iv of byId.values()) iv.verdict = maxVerdict(iv.lookups.flatMap((l) => (l.verdict ? [l.verdict] : [])));

  const threshold = query.rowsAtLeast === undefined ? 'suspicious' : query.rowsAtLeast;
  const rowVerdicts = threshold === null ? [] : rowsAtLeast(db, byId, threshold);
  return { runId, extraction: extractionSummary(db, runId), indicators: [...byId.values()], rows: rowVerdicts };
}

function rowsAtLeast(db: Db, indicators: Map<number, IndicatorVerdict>, threshold: Verdict): RowVerdict[] {
  const min = verdictRank(threshold);
  const rowIdsOf = db.prepare('SELECT row_id FROM enrichment_run_rows WHERE indicator_id = ?').pluck();
  const byRow = new Map<number, { rank: number; indicators: string[] }>();
  for (const [id, iv] of indicators) {
    const rank = verdictRank(iv.verdict);
    if (rank < min) continue;
    const key = indicatorKey(iv);
    for (const rowId of rowIdsOf.iterate(id) as Iterable<number>) {
      const seen = byRow.get(rowId);
      if (!seen) byRow.set(rowId, { rank, indicators: [key] });
      else {
        seen.rank = Math.max(seen.rank, rank);
        seen.indicators.push(key);
      }
    }
  }
  return [...byRow.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([rowId, r]) => ({ rowId, verdict: verdicts[r.rank]!, indicators: r.indicators }));
}

/** The stored rows (rowids) an indicator of the run appears in. */
export function indicatorRowIds(db: Db, runId: number, indicator: Indicator): number[] {
  return db
    .prepare(
      `SELECT r.row_id FROM enrichment_run_rows r JOIN enrichment_run_indicators i ON i.id = r.indicator_id
       WHERE i.run_id = ? AND i.indicator_type = ? AND i.value = ? ORDER BY r.row_id`)
    .pluck()
    .all(runId, indicator.type, indicator.value) as number[];
}

/**
 * Every answer the run's lookups got, as (indicator value, verdict): what
 * findings read to raise a severity. Empty for a run never enriched; an
 * indicator still queued or failed everywhere has no entry.
 */
export function answeredVerdicts(db: Db, runId: number): Array<{ value: string; verdict: Verdict }> {
  return db
    .prepare(
      `SELECT i.value, l.verdict FROM enrichment_run_indicators i JOIN enrichment_run_lookups l ON l.indicator_id = i.id
       WHERE i.run_id = ? AND l.state = 'done' AND l.verdict IS NOT NULL`)
    .all(runId) as Array<{ value: string; verdict: Verdict }>;
}

const noAllowlist = new Allowlist();

/**
 * The values as given plus the canonical indicator each stands for (a
 * finding's entity "HXXP://Evil[.]com" is the indicator "http://evil.com/"),
 * so entity values and extracted indicators compare equal.
 */
export function indicatorValuesOf(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    out.add(v);
    for (const c of classifyValue(refang(v.trim()), { allowlist: noAllowlist })) out.add(c.value);
  }
  return [...out];
}
