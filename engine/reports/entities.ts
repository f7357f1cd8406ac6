import type { Db } from '../store/db.js';
import type { EntityMapping, ResultColumn } from '../types.js';
import { physical, resultsTableName } from '../runs/result-store.js';
import type { TopEntities } from './model.js';

/**
 * The values a responder looks at first: per entity column, the most frequent
 * values. Entity columns are the hunt's entity mappings (Sentinel's
 * Account/IP/Host...); a hunt without them gets the text columns whose values
 * repeat most. Counted in SQLite, so a large result is never loaded.
 */

const MAX_CANDIDATES = 24;

interface Candidate {
  index: number;
  column: string;
  entityType: string | null;
}

export function topEntities(
  db: Db,
  runId: number,
  columns: ResultColumn[],
  mappings: EntityMapping[],
  opts: { maxColumns?: number; top?: number } = {},
): TopEntities[] {
  const maxColumns = opts.maxColumns ?? 4;
  const table = resultsTableName(runId);
  const mapped = mappedColumns(columns, mappings).slice(0, maxColumns);
  const picked = mapped.length ? withCounts(db, table, mapped) : mostRepeated(db, table, columns, maxColumns);
  const topOf = (index: number) =>
    db
      .prepare(`SELECT ${physical(index)} AS v, count(*) AS n FROM ${table} WHERE ${physical(index)} IS NOT NULL AND ${physical(index)} <> ''
                GROUP BY v ORDER BY n DESC, v LIMIT ?`)
      .raw(true)
      .all(opts.top ?? 5) as Array<[unknown, number]>;
  return picked.map((c) => ({
    column: c.column,
    entityType: c.entityType,
    rowsWithValue: c.rowsWithValue,
    distinct: c.distinct,
    top: topOf(c.index).map(([v, n]) => ({ value: Buffer.isBuffer(v) ? v.toString('hex') : String(v), count: n })),
  }));
}

function mappedColumns(columns: ResultColumn[], mappings: EntityMapping[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const m of mappings) {
    for (const f of m.fieldMappings) {
      const index = columns.findIndex((c) => c.name === f.columnName);
      if (index < 0 || seen.has(f.columnName)) continue;
      seen.add(f.columnName);
      out.push({ index, column: f.columnName, entityType: m.entityType });
    }
  }
  return out;
}

type Counted = Candidate & { rowsWithValue: number; distinct: number };

/** count(col) and count(DISTINCT col) for each candidate, in one pass over the table. */
function counts(db: Db, table: string, candidates: Candidate[]): Array<{ rowsWithValue: number; distinct: number }> {
  if (!candidates.length) return [];
  const select = candidates
    .map((c) => `count(NULLIF(${physical(c.index)}, '')), count(DISTINCT NULLIF(${physical(c.index)}, ''))`)
    .join(', ');
  const row = db.prepare(`SELECT ${select} FROM ${table}`).raw(true).get() as number[];
  return candidates.map((_, i) => ({ rowsWithValue: row[2 * i]!, distinct: row[2 * i + 1]! }));
}

function withCounts(db: Db, table: string, candidates: Candidate[]): Counted[] {
  const c = counts(db, table, candidates);
  return candidates.map((cand, i) => ({ ...cand, ...c[i]! }));
}

function mostRepeated(db: Db, table: string, columns: ResultColumn[], maxColumns: number): Counted[] {
  const candidates: Candidate[] = [];
  columns.forEach((c, index) => {
    if (c.type === 'string' && candidates.length < MAX_CANDIDATES) candidates.push({ index, column: c.name, entityType: null });
  });
  // A column whose every value is different (an id, a message) says nothing about who or what recurs.
  return withCounts(db, table, candidates)
    .filter((c) => c.rowsWithValue > c.distinct)
    .sort((a, b) => b.rowsWithValue - b.distinct - (a.rowsWithValue - a.distinct) || a.index - b.index)
    .slice(0, maxColumns)
    .sort((a, b) => a.index - b.index);
}
