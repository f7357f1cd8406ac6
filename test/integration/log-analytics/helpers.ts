import { unpackRows } from '../../../engine/runs/packed-rows.js';
import { randomUUID } from 'node:crypto';
import type { Connection, ResultColumn, StoredValue } from '../../../engine/types.js';
import type { BoundParameter } from '../../../engine/runs/parameters.js';
import type { Source } from '../../../connectors/sources/types.js';
import { createLogAnalyticsSource, type LogAnalyticsSourceOptions } from '../../../connectors/sources/log-analytics/log-analytics-source.js';
import { CLIENT_SECRET, type AzureFakes } from '../fakes/log-analytics/index.js';

export interface Collected {
  columns: ResultColumn[];
  rows: StoredValue[][];
  batches: number[];
  warnings: string[];
}

/** A Log Analytics source on the fakes; retries record their waits in `sleeps` instead of sleeping. */
export function laSource(
  fakes: AzureFakes,
  opts: { settings?: Record<string, unknown>; secret?: string | null; sleeps?: number[]; name?: string; options?: LogAnalyticsSourceOptions } = {},
): Source {
  const connection: Connection = {
    id: randomUUID(),
    name: opts.name ?? 'sentinel-prod',
    kind: 'log-analytics',
    settings: fakes.settings(opts.settings),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const secret = opts.secret === undefined ? CLIENT_SECRET : opts.secret;
  const sleeps = opts.sleeps ?? [];
  return createLogAnalyticsSource(
    connection,
    { dataDir: '/nonexistent', secret: async (field) => (field === 'clientSecret' ? secret : null) },
    { agent: fakes.agent, sleep: async (ms) => void sleeps.push(ms), ...opts.options },
  );
}

export async function collect(
  source: Source,
  query: string,
  extra: { parameters?: BoundParameter[]; window?: { start: string; end: string }; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<Collected> {
  const out: Collected = { columns: [], rows: [], batches: [], warnings: [] };
  await source.run(
    { language: 'kql', query, parameters: extra.parameters ?? [], window: extra.window, signal: extra.signal ?? new AbortController().signal, timeoutMs: extra.timeoutMs },
    {
      setColumns: (c) => void (out.columns = c),
      writeRows: async () => {
        throw new Error('the Log Analytics source sent rows as arrays instead of packed');
      },
      writePacked: async (batch) => {
        const rows = unpackRows(batch);
        out.batches.push(rows.length);
        out.rows.push(...rows);
      },
      warn: (m) => void out.warnings.push(m),
    },
  );
  return out;
}

export { failure } from '../../helpers/failure.js';

/**
 * Reads a KQL string literal at `text[start]` by the documented rules
 * (double quotes, backslash escapes for quotes, \\, \n, \t), returning its value
 * and where it ends. Used to prove a bound value cannot close its quotes early.
 */
export function readKqlString(text: string, start: number): { value: string; end: number } {
  if (text[start] !== '"') throw new Error(`no string literal at ${start}: ${text.slice(start, start + 20)}`);
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\n' || c === '\r') throw new Error('raw line break inside a KQL string literal');
    if (c === '\\') {
      const e = text[++i];
      const map: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t' };
      if (e === undefined || !(e in map)) throw new Error(`undocumented escape \\${e}`);
      value += map[e];
    } else value += c;
  }
  throw new Error('unterminated KQL string literal');
}
