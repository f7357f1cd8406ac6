import type { Db } from '../store/db.js';
import type { ReportIndicator, ReportProviderVerdict, ReportVerdict } from './extras.js';

/**
 * A run's indicators and verdicts, read straight from the enrichment tables
 * (migration 3) so that reports depend on that schema only, not on the
 * enrichment module's code; a store without those tables gives no indicators.
 */

const providerDisplayNames: Record<string, string> = {
  virustotal: 'VirusTotal',
  xforce: 'IBM X-Force Exchange',
  otx: 'AlienVault OTX',
};

const rank: Record<ReportVerdict, number> = { unknown: 0, harmless: 1, suspicious: 2, malicious: 3 };

const asVerdict = (v: string | null): ReportVerdict => (v !== null && Object.hasOwn(rank, v) ? (v as ReportVerdict) : 'unknown');

export const moreSevere = (a: ReportVerdict, b: ReportVerdict): ReportVerdict => (rank[b] > rank[a] ? b : a);
export const verdictRank = (v: ReportVerdict): number => rank[v];

interface Joined {
  id: number;
  indicator_type: string;
  value: string;
  row_count: number;
  skip_reason: string | null;
  provider: string | null;
  verdict: string | null;
  score: number | null;
  link: string | null;
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

export function enrichmentIndicators(db: Db): (runId: number) => ReportIndicator[] {
  if (!hasTable(db, 'enrichment_run_indicators') || !hasTable(db, 'enrichment_run_lookups')) return () => [];
  // Only answered lookups carry a verdict; queued and failed ones say nothing about the indicator.
  const stmt = db.prepare(
    `SELECT i.id, i.indicator_type, i.value, i.row_count, i.skip_reason, l.provider, l.verdict, l.score, l.link
     FROM enrichment_run_indicators i
     LEFT JOIN enrichment_run_lookups l ON l.indicator_id = i.id AND l.state = 'done'
     WHERE i.run_id = ? ORDER BY i.row_count DESC, i.id, l.provider`);
  return (runId) => {
    const byId = new Map<number, ReportIndicator>();
    for (const r of stmt.all(runId) as Joined[]) {
      let indicator = byId.get(r.id);
      if (!indicator) {
        indicator = { type: r.indicator_type, value: r.value, verdict: 'unknown', score: null, rowCount: r.row_count, skipReason: r.skip_reason, providers: [] };
        byId.set(r.id, indicator);
      }
      if (r.provider === null) continue;
      const p: ReportProviderVerdict = { name: providerDisplayNames[r.provider] ?? r.provider, verdict: asVerdict(r.verdict), score: r.score, link: r.link };
      indicator.providers.push(p);
      // The indicator's score is the one of the provider that gave its verdict.
      if (rank[p.verdict] > rank[indicator.verdict] || (p.verdict === indicator.verdict && indicator.score === null)) {
        indicator.verdict = p.verdict;
        indicator.score = p.score;
      }
    }
    return [...byId.values()];
  };
}
