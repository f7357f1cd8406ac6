import type Database from 'better-sqlite3';
import { Rng } from './prng.js';
import { buildOrg } from './org.js';
import { Timeline, buildSchedule, type GenContext } from './context.js';
import { createSampleTables, insertRows, sampleTables, type PendingRow, type SampleTableName } from './tables.js';
import { generateSignins } from './signins.js';
import { generateLogons } from './logons.js';
import { generateProcesses } from './processes.js';
import { generateNetwork } from './network.js';

/**
 * The embedded sample dataset: a week of Sentinel-shaped logs from a
 * fictional organisation with an attack planted in it (see planted.ts).
 * Deterministic: the same seed and anchor give byte-identical tables.
 */

export const DEFAULT_SAMPLE_SEED = 0x5eed_0001;

export interface SampleDatasetOptions {
  seed?: number;
  /** The end of the covered week (exclusive); first start passes "now". */
  anchor: Date;
}

export interface SampleDatasetResult {
  tables: Array<{ name: string; rows: number }>;
}

/** Writes the sample tables into an open local log database (one made by openLocalDb), replacing earlier ones. */
export function generateSampleDataset(db: Database.Database, options: SampleDatasetOptions): SampleDatasetResult {
  const timeline = new Timeline(options.anchor);
  const root = new Rng((options.seed ?? DEFAULT_SAMPLE_SEED) >>> 0);
  const org = buildOrg(root.fork('org'));
  const schedule = buildSchedule(root.fork('schedule'), org, timeline);
  const rows = new Map<SampleTableName, PendingRow[]>(sampleTables.map((t) => [t.name, []]));
  const context = (label: string): GenContext => ({
    rng: root.fork(label),
    org,
    timeline,
    schedule,
    // Working days straddle the window's edges; what falls outside it is dropped here, in one place.
    emit: (table, row) => {
      if (timeline.contains(row[0])) rows.get(table)!.push(row);
    },
  });
  generateSignins(context('signins'));
  generateLogons(context('logons'));
  generateProcesses(context('processes'));
  generateNetwork(context('network'));

  const importedAt = options.anchor.toISOString();
  const result: SampleDatasetResult = { tables: [] };
  // A page cache large enough for the whole write keeps SQLite from spilling to the WAL mid-transaction.
  const cacheBefore = db.pragma('cache_size', { simple: true });
  db.pragma('cache_size = -131072');
  try {
    db.transaction(() => {
      createSampleTables(db);
      const register = db.prepare('INSERT INTO _quarry_tables (name, source, imported_at, row_count) VALUES (?, ?, ?, ?)');
      for (const table of sampleTables) {
        const list = rows.get(table.name)!;
        // Stable sort: ties keep generation order, so the row order is deterministic too.
        list.sort((a, b) => a[0] - b[0]);
        insertRows(db, table, list);
        register.run(table.name, 'sample', importedAt, list.length);
        result.tables.push({ name: table.name, rows: list.length });
      }
    })();
  } finally {
    db.pragma(`cache_size = ${Number(cacheBefore)}`);
  }
  return result;
}
