import type { Histogram } from '../runs/histogram.js';
import type { HuntParameter, ResultColumn, Run, Severity } from '../types.js';
import type { AttackTactic, AttackTechnique } from './attack.js';
import type { ReportFinding, ReportIndicator, ReportVerdict } from './extras.js';

/** What a report is about: one run, one finding, or every run started in [from, to). */
export type ReportTarget =
  | { kind: 'run'; runId: number }
  | { kind: 'finding'; findingId: string }
  | { kind: 'range'; from: string; to: string };

export const exportFormats = ['html', 'pdf', 'csv', 'json', 'jsonl', 'stix', 'timesketch', 'md'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The parts of a hunt a report shows; null on a run whose hunt was deleted since. */
export interface ReportHunt {
  id: string;
  name: string;
  description: string;
  language: string;
  query: string;
  severity: Severity;
  tactics: string[];
  techniques: string[];
  tags: string[];
  parameters: HuntParameter[];
}

export interface EntityCount {
  value: string;
  count: number;
}

export interface TopEntities {
  column: string;
  /** "Account", "IP"… from the hunt's entity mappings; null for a column picked for its repeated values. */
  entityType: string | null;
  /** Rows with a value in the column. */
  rowsWithValue: number;
  distinct: number;
  top: EntityCount[];
}

export interface SampleRows {
  columns: ResultColumn[];
  /** Columns of the result not shown in the sample (the data exports have them all). */
  hiddenColumns: number;
  /** Display text per cell, cut to a readable length. */
  rows: string[][];
}

/** A run in detail: what ran, when, on what, and what came back. */
export interface RunSection {
  run: Run;
  hunt: ReportHunt | null;
  hasResults: boolean;
  columns: ResultColumn[];
  timeline: Histogram;
  /** The first and last time on the timeline column, if any. */
  firstEvent: string | null;
  lastEvent: string | null;
  entities: TopEntities[];
  sample: SampleRows;
  indicators: ReportIndicator[];
  findings: ReportFinding[];
}

/** One line per run in a range or finding report. */
export interface RunLine {
  id: number;
  huntName: string;
  status: Run['status'];
  startedAt: string;
  rowCount: number;
  connection: string;
}

/** An indicator across the runs of a report, with the ATT&CK context of the hunts that found it. */
export interface ReportIndicatorSeen extends ReportIndicator {
  runIds: number[];
  firstSeen: string;
  lastSeen: string;
  tactics: string[];
  techniques: string[];
}

export interface ReportFact {
  label: string;
  value: string;
}

export interface ReportModel {
  target: ReportTarget;
  /** e.g. "Password spray against Entra ID" or "Hunting report, 1–31 January 2026". */
  title: string;
  /** e.g. "Run #12 · succeeded · 5 Jan 2026 10:00 UTC". */
  subtitle: string;
  generatedAt: string;
  quarryVersion: string;
  severity: Severity | null;
  /** Headline figures shown as cards. */
  facts: ReportFact[];
  /** Plain sentences that summarise the report. */
  summary: string[];
  /** For a finding report: the finding itself. */
  finding: ReportFinding | null;
  /** The hunts behind the report's runs (those still in the library). */
  hunts: ReportHunt[];
  /** Runs shown in detail (the run; a finding's latest runs). */
  sections: RunSection[];
  /** Every run the report covers. */
  runs: RunLine[];
  /** Rows found per run start time across the report (range and finding reports). */
  overallTimeline: Histogram | null;
  indicators: ReportIndicatorSeen[];
  verdictCounts: Record<ReportVerdict, number>;
  findings: ReportFinding[];
  attack: { tactics: AttackTactic[]; techniques: AttackTechnique[] };
}
