import type { Db } from '../store/db.js';
import type { EntityMapping, StoredValue } from '../types.js';
import { notFound, QuarryError } from '../errors.js';
import { physical, readColumns, resultsTableName } from '../runs/result-store.js';
import type { Allowlist } from './allowlist.js';
import { planColumns, type ColumnPlan } from './entity-columns.js';
import { IndicatorScanner } from './extract.js';
import type { IndicatorType, SkipReason } from './indicator.js';

/** One distinct indicator of a run, with the stored rows (by rowid) it appears in. */
export interface RunIndicator {
  type: IndicatorType;
  value: string;
  skip: SkipReason | null;
  /** Rows it appears in (a row counts once however many times it holds the value). */
  rowCount: number;
  rowIds: number[];
}

export interface RunExtraction {
  runId: number;
  rowsScanned: number;
  columns: ColumnPlan[];
  /** Most frequent first. */
  indicators: RunIndicator[];
}

export interface RunExtractionOptions {
  allowlist: Allowlist;
  /** Overrides the hunt's own entity mappings (e.g. for an ad-hoc query). */
  entityMappings?: EntityMapping[];
}

/** The entity mappings of the hunt a run came from; none for ad-hoc runs or hunts since deleted. */
export function runEntityMappings(db: Db, runId: number): EntityMapping[] {
  const row = db
    .prepare('SELECT r.id, h.entity_mappings FROM runs r LEFT JOIN hunts h ON h.id = r.hunt_id WHERE r.id = ?')
    .get(runId) as { id: number; entity_mappings: string | null } | undefined;
  if (!row) throw notFound('run', String(runId));
  return row.entity_mappings ? (JSON.parse(row.entity_mappings) as EntityMapping[]) : [];
}

const cellText = (v: StoredValue): string | null =>
  v === null ? null : typeof v === 'string' ? v : Buffer.isBuffer(v) ? null : String(v);

/** Rows read per page; between pages the engine answers other calls (a 500k-row run takes seconds to scan). */
const PAGE_ROWS = 5000;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads every stored row of a run once (only the columns worth reading) and
 * returns its distinct indicators with the rows they appear in. Pages by
 * rowid rather than holding one iterator open, so the connection is free
 * for other statements between pages.
 */
export async function extractRunIndicators(db: Db, runId: number, opts: RunExtractionOptions): Promise<RunExtraction> {
  const table = (db.prepare('SELECT results_table FROM runs WHERE id = ?').get(runId) as { results_table: string | null } | undefined);
  if (!table) throw notFound('run', String(runId));
  if (!table.results_table) throw new QuarryError('not_found', `run ${runId} has no stored results to enrich`);
  const plans = planColumns(readColumns(db, runId), opts.entityMappings ?? runEntityMappings(db, runId));
  // Per indicator id (dense, from the scanner): rows it appears in, and the last row counted.
  const scanner = new IndicatorScanner(opts.allowlist);
  const rowIds: number[][] = [];
  const lastRow: number[] = [];
  let rowsScanned = 0;
  let rowId = 0;
  const note = (id: number): void => {
    if (lastRow[id] === rowId) return;
    lastRow[id] = rowId;
    const rows = rowIds[id];
    if (rows) rows.push(rowId);
    else rowIds[id] = [rowId];
  };
  if (plans.length > 0) {
    const select = db
      .prepare(`SELECT rowid, ${plans.map((p) => physical(p.index)).join(', ')} FROM ${resultsTableName(runId)} WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_ROWS}`)
      .raw(true);
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const page = select.all(after) as StoredValue[][];
      for (const row of page) {
        rowsScanned++;
        rowId = Number(row[0]);
        for (let i = 0; i < plans.length; i++) {
          const text = cellText(row[i + 1]!);
          if (text === null) continue;
          const types = plans[i]!.types;
          if (types) scanner.scanTyped(text, types, note);
          else scanner.scan(text, note);
        }
      }
      if (page.length < PAGE_ROWS) break;
      after = rowId;
      await nextTurn();
    }
  } else {
    rowsScanned = (db.prepare(`SELECT count(*) AS n FROM ${resultsTableName(runId)}`).get() as { n: number }).n;
  }
  const indicators: RunIndicator[] = [];
  for (let id = 0; id < scanner.size; id++) {
    const c = scanner.indicator(id);
    const rows = rowIds[id];
    if (rows) indicators.push({ type: c.type, value: c.value, skip: c.skip, rowCount: rows.length, rowIds: rows });
  }
  indicators.sort((a, b) => b.rowCount - a.rowCount || a.type.localeCompare(b.type) || a.value.localeCompare(b.value));
  return { runId, rowsScanned, columns: plans, indicators };
}
