import type Database from 'better-sqlite3';

/**
 * An INSERT of many rows per statement execution: each `run` crosses into
 * SQLite once for a group of rows instead of once per row, which is most of
 * the cost of storing a large result. Rows that do not fill a group go one
 * by one.
 */
export interface GroupedInsert {
  /** Rows per group statement. */
  readonly groupRows: number;
  /** One row's values. */
  readonly single: Database.Statement;
  /** `groupRows` rows' values, flattened row after row. */
  readonly group: Database.Statement;
}

// SQLite allows 32766 bound values per statement; past 64 rows a group the gain is gone.
const MAX_VALUES = 32766;
const MAX_GROUP_ROWS = 64;

/** `into` is the quoted target, e.g. `"t" ("a", "b")`, and `width` its number of values per row. */
export function prepareGroupedInsert(db: Database.Database, into: string, width: number): GroupedInsert {
  const row = `(${Array(width).fill('?').join(', ')})`;
  const insert = `INSERT INTO ${into} VALUES `;
  const groupRows = Math.max(1, Math.min(MAX_GROUP_ROWS, Math.floor(MAX_VALUES / Math.max(1, width))));
  return { groupRows, single: db.prepare(insert + row), group: db.prepare(insert + Array(groupRows).fill(row).join(', ')) };
}

/** Inserts rows (each `width` values) through the group statement where they fill one, else one by one. */
export function insertRows(insert: GroupedInsert, rows: readonly unknown[][]): void {
  const { groupRows, group, single } = insert;
  let i = 0;
  for (; i + groupRows <= rows.length; i += groupRows) {
    const values: unknown[] = [];
    for (let r = i; r < i + groupRows; r++) for (const v of rows[r]!) values.push(v);
    group.run(values);
  }
  for (; i < rows.length; i++) single.run(rows[i]!);
}
