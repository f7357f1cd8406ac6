import type { Db } from '../store/db.js';
import { enrichmentIndicators } from './extras-enrichment.js';
import { findingsFromStore } from './extras-findings.js';

/**
 * What a report shows from modules other than runs: indicators with their
 * threat-intel verdicts (enrichment, migration 3) and findings with their
 * tickets (findings and outbox, migration 4). Reports read them only through
 * this interface so that they work, with empty sections, in a build or a
 * store that does not have those modules yet.
 */

export type ReportVerdict = 'malicious' | 'suspicious' | 'harmless' | 'unknown';

export interface ReportProviderVerdict {
  /** Display name, e.g. "VirusTotal". */
  name: string;
  verdict: ReportVerdict;
  score: number | null;
  /** The provider's page about the indicator (http/https only is ever rendered as a link). */
  link: string | null;
}

export interface ReportIndicator {
  /** ipv4, ipv6, domain, url, md5, sha1, sha256, email. */
  type: string;
  value: string;
  /** The most severe of the providers' verdicts; `unknown` until one answers. */
  verdict: ReportVerdict;
  score: number | null;
  /** Rows of the run the indicator appears in. */
  rowCount: number;
  /** Why it was never sent to a provider (`non_public`, `allowlisted`), or null. */
  skipReason: string | null;
  providers: ReportProviderVerdict[];
}

export interface ReportTicket {
  /** The sink's kind or name, e.g. "servicenow". */
  sink: string;
  url: string | null;
  /** The ticket's key in that system, e.g. "INC0012345" or "SEC-42". */
  key: string | null;
}

export interface ReportFinding {
  id: string;
  title: string;
  severity: string;
  status: string;
  dedupKey: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  huntId: string | null;
  tickets: ReportTicket[];
}

export interface ReportFindingWithRuns extends ReportFinding {
  /** Runs that raised or updated the finding, oldest first. */
  runIds: number[];
}

export interface ReportExtras {
  /** A run's indicators, most frequent first; [] when the run was never enriched. */
  indicators(runId: number): ReportIndicator[];
  /** Findings a run raised or updated. */
  findingsForRun(runId: number): ReportFinding[];
  /** One finding and the runs behind it; null when there is none (or no findings module). */
  finding(findingId: string): ReportFindingWithRuns | null;
  /** Findings seen (first or last) in [from, to). */
  findingsBetween(from: string, to: string): ReportFinding[];
}

/** The findings half of ReportExtras, for the findings module to implement. */
export type FindingsReportSource = Pick<ReportExtras, 'findingsForRun' | 'finding' | 'findingsBetween'>;

export const noFindings: FindingsReportSource = {
  findingsForRun: () => [],
  finding: () => null,
  findingsBetween: () => [],
};

/**
 * The extras for a store: indicators from the enrichment tables and findings
 * from the findings tables, each only when its migration has run. A module
 * that prefers to serve its own data passes `findings` (tests do too).
 */
export function defaultReportExtras(db: Db, findings?: FindingsReportSource): ReportExtras {
  return { indicators: enrichmentIndicators(db), ...(findings ?? findingsFromStore(db)) };
}

export const emptyReportExtras: ReportExtras = { indicators: () => [], ...noFindings };
