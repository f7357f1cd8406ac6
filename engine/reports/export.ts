import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Run } from '../types.js';
import { QuarryError } from '../errors.js';
import { hasResults } from '../runs/result-store.js';
import { writeResults, type ResultFormat } from '../export/results.js';
import { writeTimesketch } from '../export/timesketch.js';
import { emptyReportExtras } from './extras.js';
import type { ExportFormat, ReportTarget } from './model.js';
import { buildReport, targetRuns, type ReportDeps, type ReportOptions } from './build.js';
import { huntLookup } from './run-section.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { buildStixBundle } from './stix.js';
import type { PrintToPdf } from './pdf.js';

/**
 * Every export format from one place, for the CLI and the API alike. Data
 * formats stream rows from the store; report formats render the report model.
 * Nothing here reads a secret or a connection's settings: exports carry hunt
 * text, run metadata, results, and verdicts only.
 */

export interface ExportDeps extends ReportDeps {
  /** Needed for PDF only. */
  printToPdf?: PrintToPdf;
}

export interface ExportOptions extends ReportOptions {
  /** Timesketch: the datetime column to place rows by. */
  timeColumn?: string;
  /** Stops the export between chunks (data) or steps (reports) with a `cancelled` error; no file is left. */
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

/** How far an export got: rows written of the rows there are (data formats), or the step a report is at. */
export interface ExportProgress {
  phase: 'rows' | 'rendering' | 'printing';
  rows: number;
  total: number | null;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new QuarryError('cancelled', 'export cancelled');
}

export interface ExportOutcome {
  format: ExportFormat;
  /** Rows (csv, json, jsonl) or events (timesketch) written. */
  rows?: number;
  /** Timesketch: rows without a time; STIX: indicators kept on the machine or not expressible. */
  skipped?: number;
  /** STIX: indicator objects in the bundle. */
  indicators?: number;
}

export const textFormats = ['html', 'md', 'stix'] as const;
export type TextFormat = (typeof textFormats)[number];

/** The single run whose rows a csv/json/jsonl export holds: the run itself, or a finding's latest run with results. */
function dataRun(deps: ReportDeps, target: ReportTarget): Run {
  if (target.kind === 'range') {
    throw new QuarryError('invalid_input', 'csv, json and jsonl export one run’s rows: name a run or a finding (a period exports as html, pdf, md, stix or timesketch)');
  }
  const { runs } = targetRuns(deps.db, deps.extras ?? emptyReportExtras, target);
  const run = [...runs].reverse().find((r) => hasResults(deps.db, r.id));
  if (!run) {
    const what = target.kind === 'run' ? `run ${target.runId} (${runs[0]!.status})` : `finding ${target.findingId}`;
    throw new QuarryError('not_found', `${what} has no stored results`);
  }
  return run;
}

/** Report formats as text: what the UI shows (html, md) or hands over (stix). */
export function renderText(deps: ReportDeps, target: ReportTarget, format: TextFormat, opts: ReportOptions = {}): { text: string; outcome: ExportOutcome } {
  if (format === 'stix') {
    const { bundle, skipped } = buildStixBundle(buildReport(deps, target, { ...opts, light: true }));
    return { text: `${JSON.stringify(bundle, null, 2)}\n`, outcome: { format, indicators: bundle.objects.length - 1, skipped } };
  }
  const model = buildReport(deps, target, opts);
  return { text: format === 'html' ? renderHtml(model) : renderMarkdown(model), outcome: { format } };
}

async function writeAll(out: Writable, data: string | Buffer): Promise<void> {
  if (!out.write(data)) await new Promise<void>((resolve, reject) => {
    out.once('drain', resolve);
    out.once('error', reject);
  });
}

/** Writes an export of `target` to a stream (a file, standard output); large results are streamed row by row. */
export async function writeExport(deps: ExportDeps, target: ReportTarget, format: ExportFormat, out: Writable, opts: ExportOptions = {}): Promise<ExportOutcome> {
  const { signal, onProgress } = opts;
  checkAborted(signal);
  switch (format) {
    case 'csv':
    case 'json':
    case 'jsonl': {
      const run = dataRun(deps, target);
      const progress = (rows: number): void => onProgress?.({ phase: 'rows', rows, total: run.rowCount });
      return { format, rows: await writeResults(deps.db, run.id, format as ResultFormat, out, {}, { signal, onProgress: progress }) };
    }
    case 'timesketch': {
      const { runs } = targetRuns(deps.db, deps.extras ?? emptyReportExtras, target);
      const huntOf = huntLookup(deps.db, deps.clock);
      const withResults = runs.filter((r) => hasResults(deps.db, r.id));
      const stored = withResults.map((r) => ({
        runId: r.id,
        huntName: r.huntName,
        messageColumns: huntOf(r.huntId)?.entityMappings.flatMap((m) => m.fieldMappings.map((f) => f.columnName)),
      }));
      const total = withResults.reduce((n, r) => n + r.rowCount, 0);
      const { written, skipped } = await writeTimesketch(deps.db, stored, out, {
        timeColumn: opts.timeColumn,
        signal,
        onProgress: (rows) => onProgress?.({ phase: 'rows', rows, total }),
      });
      return { format, rows: written, skipped };
    }
    case 'pdf': {
      if (!deps.printToPdf) throw new QuarryError('invalid_input', 'PDF export needs a Chromium printer, and none is available here');
      onProgress?.({ phase: 'rendering', rows: 0, total: null });
      const page = renderHtml(buildReport(deps, target, opts));
      checkAborted(signal);
      onProgress?.({ phase: 'printing', rows: 0, total: null });
      const pdf = await deps.printToPdf(page);
      // Printing cannot be interrupted; a cancel that came meanwhile still leaves no file.
      checkAborted(signal);
      await writeAll(out, pdf);
      return { format };
    }
    default: {
      onProgress?.({ phase: 'rendering', rows: 0, total: null });
      const { text, outcome } = renderText(deps, target, format, opts);
      checkAborted(signal);
      await writeAll(out, text);
      return outcome;
    }
  }
}

/**
 * Writes an export to `file` through a temporary file renamed into place, so
 * a failed export never leaves half a file (or clobbers a good one).
 */
export async function exportToFile(deps: ExportDeps, target: ReportTarget, format: ExportFormat, file: string, opts: ExportOptions = {}): Promise<ExportOutcome & { path: string; bytes: number }> {
  const dest = path.resolve(file);
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.partial`);
  const out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
  try {
    await new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
    const outcome = await writeExport(deps, target, format, out, opts);
    out.end();
    await finished(out);
    fs.renameSync(tmp, dest);
    return { ...outcome, path: dest, bytes: fs.statSync(dest).size };
  } catch (err) {
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
