import { QuarryError } from '../errors.js';
import type { ReportTarget } from './model.js';

/**
 * How a person names what to export: "12" is run 12, "finding:abc" (or any
 * other text) is a finding id, and --from/--to name a period. A date alone
 * means the whole day: --from 2026-01-01 --to 2026-01-31 covers January.
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseInstant(text: string, what: '--from' | '--to'): string {
  const t = text.trim();
  const d = new Date(DATE_ONLY.test(t) ? `${t}T00:00:00Z` : t);
  if (Number.isNaN(d.getTime())) throw new QuarryError('invalid_input', `${what} takes a date (2026-01-31) or an ISO 8601 time, got "${text}"`);
  // An inclusive end date: the period runs to the end of that day.
  if (what === '--to' && DATE_ONLY.test(t)) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export function parseTarget(text: string | undefined, range: { from?: string; to?: string } = {}): ReportTarget {
  if (range.from !== undefined || range.to !== undefined) {
    if (text !== undefined) throw new QuarryError('invalid_input', 'name either a run or finding, or a period with --from/--to, not both');
    if (range.from === undefined || range.to === undefined) throw new QuarryError('invalid_input', 'a period needs both --from and --to');
    const from = parseInstant(range.from, '--from');
    const to = parseInstant(range.to, '--to');
    if (!(from < to)) throw new QuarryError('invalid_input', `the period must end after it starts (${from} to ${to})`);
    return { kind: 'range', from, to };
  }
  if (text === undefined || !text.trim()) throw new QuarryError('invalid_input', 'name a run (its number), a finding (finding:<id>), or a period (--from/--to)');
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const runId = Number(t);
    if (!Number.isSafeInteger(runId) || runId <= 0) throw new QuarryError('invalid_input', `a run is named by its number, got "${text}"`);
    return { kind: 'run', runId };
  }
  const findingId = t.startsWith('finding:') ? t.slice('finding:'.length) : t;
  if (!findingId) throw new QuarryError('invalid_input', 'finding: needs an id');
  return { kind: 'finding', findingId };
}
