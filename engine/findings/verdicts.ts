import type { Verdict } from './types.js';
import { verdictLevels } from './types.js';
import type { Severity } from '../types.js';

/**
 * Where findings read threat-intel verdicts from. Enrichment owns them; this
 * small interface keeps findings independent of how and when they are made.
 */
export interface VerdictSource {
  /** The most severe verdict any provider gave for any of these values in the run; null when none was looked up. */
  maxVerdictFor(runId: number, entityValues: readonly string[]): Verdict | null;
}

/** No enrichment: severities stay as the hunt says. */
export const nullVerdictSource: VerdictSource = { maxVerdictFor: () => null };

/**
 * Adapts a reader of a run's looked-up indicators (value + verdict) to a
 * VerdictSource. Values match case-insensitively, as indicators are compared.
 */
export function indicatorVerdictSource(read: (runId: number) => ReadonlyArray<{ value: string; verdict: Verdict }>): VerdictSource {
  return {
    maxVerdictFor(runId, values) {
      const wanted = new Set(values.map((v) => v.trim().toLowerCase()));
      let best: Verdict | null = null;
      for (const i of read(runId)) {
        if (!wanted.has(i.value.toLowerCase())) continue;
        if (best === null || verdictRank(i.verdict) > verdictRank(best)) best = i.verdict;
      }
      return best;
    },
  };
}

export const verdictRank = (v: Verdict): number => verdictLevels.indexOf(v);

export function maxVerdict(a: Verdict | null, b: Verdict | null): Verdict | null {
  if (a === null) return b;
  if (b === null) return a;
  return verdictRank(b) > verdictRank(a) ? b : a;
}

const severityOrder: readonly Severity[] = ['informational', 'low', 'medium', 'high'];
export const severityRank = (s: Severity): number => severityOrder.indexOf(s);
export const maxSeverity = (a: Severity, b: Severity): Severity => (severityRank(b) > severityRank(a) ? b : a);

/** A malicious verdict makes a finding high; a suspicious one makes it at least medium. */
export function raiseSeverity(huntSeverity: Severity, verdict: Verdict | null): Severity {
  if (verdict === 'malicious') return 'high';
  if (verdict === 'suspicious') return maxSeverity(huntSeverity, 'medium');
  return huntSeverity;
}
