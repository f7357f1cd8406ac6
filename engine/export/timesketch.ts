import type { Writable } from 'node:stream';
import type { Db } from '../store/db.js';
import type { ResultColumn } from '../types.js';
import { iterateRows, readColumns } from '../runs/result-store.js';
import { chunkedWriter, rowObject, type StreamControl } from './results.js';

/**
 * Runs as Timesketch JSON Lines: one event per row with the three fields
 * Timesketch requires (`message`, `datetime` in ISO 8601, `timestamp_desc`)
 * plus `timestamp` in microseconds and the row's own fields. A row without a
 * usable time cannot sit on a timeline: it is skipped and counted.
 */

export interface TimesketchRun {
  runId: number;
  huntName: string;
  /** Entity columns to lead the message with (the hunt's entity mappings); others follow. */
  messageColumns?: string[];
}

export interface TimesketchOptions extends StreamControl {
  /** The datetime column to place rows by; default the first datetime column of each run. */
  timeColumn?: string;
}

export interface TimesketchResult {
  written: number;
  skipped: number;
}

/** Names Timesketch gives a meaning to (and `_`-prefixed ones its store reserves): a row's field of that name is renamed. */
const RESERVED = new Set(['message', 'datetime', 'timestamp', 'timestamp_desc', 'quarry_run', 'quarry_hunt']);
const fieldName = (name: string): string => (RESERVED.has(name.toLowerCase()) || name.startsWith('_') ? `row_${name}` : name);

const MESSAGE_FIELDS = 6;

function messageOf(huntName: string, fields: Array<[string, unknown]>): string {
  const parts = fields
    .filter(([, v]) => v !== null && v !== '')
    .slice(0, MESSAGE_FIELDS)
    .map(([k, v]) => {
      const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
      return `${k}=${text.length > 120 ? `${text.slice(0, 119)}…` : text}`;
    });
  return `${huntName}: ${parts.join(' ')}`.slice(0, 600);
}

/** Column order for the message: entity columns first, then the others, never the time column itself. */
function messageOrder(columns: ResultColumn[], timeIndex: number, lead: string[] = []): number[] {
  const idx = columns.map((_, i) => i).filter((i) => i !== timeIndex);
  const rank = (i: number) => (lead.includes(columns[i]!.name) ? 0 : 1);
  return idx.sort((a, b) => rank(a) - rank(b) || a - b);
}

export async function writeTimesketch(db: Db, runs: TimesketchRun[], out: Writable, opts: TimesketchOptions = {}): Promise<TimesketchResult> {
  let written = 0;
  let skipped = 0;
  const w = chunkedWriter(out, () => opts.onProgress?.(written + skipped), opts.signal);
  for (const run of runs) {
    const columns = readColumns(db, run.runId);
    const timeIndex = opts.timeColumn !== undefined
      ? columns.findIndex((c) => c.name === opts.timeColumn && c.type === 'datetime')
      : columns.findIndex((c) => c.type === 'datetime');
    const order = messageOrder(columns, timeIndex, run.messageColumns);
    for (const row of iterateRows(db, run.runId)) {
      const raw = timeIndex >= 0 ? row[timeIndex] : null;
      const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
      if (Number.isNaN(ms)) {
        skipped++;
        continue;
      }
      const values = rowObject(columns, row);
      const event: Record<string, unknown> = {
        message: messageOf(run.huntName, order.map((i) => [columns[i]!.name, values[columns[i]!.name]])),
        datetime: new Date(ms).toISOString().replace(/Z$/, '+00:00'),
        timestamp: ms * 1000,
        timestamp_desc: columns[timeIndex]!.name,
        quarry_run: run.runId,
        quarry_hunt: run.huntName,
      };
      for (const c of columns) event[fieldName(c.name)] = values[c.name];
      await w.push(`${JSON.stringify(event)}\n`);
      written++;
    }
  }
  await w.flush();
  return { written, skipped };
}
