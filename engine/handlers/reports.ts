import path from 'node:path';
import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { QuarryError } from '../errors.js';
import { cancellableJobs, PROGRESS_EVERY_MS } from './cancellable-jobs.js';
import type { ExportFormat, ReportTarget } from '../reports/model.js';
import { defaultReportExtras } from '../reports/extras.js';
import { exportToFile, renderText, textFormats, type ExportDeps, type ExportProgress, type TextFormat } from '../reports/export.js';
import type { ExportProgressEvent } from '../reports/api.js';
import { pdfPrinterFor } from '../reports/pdf.js';
import { targetRuns } from '../reports/build.js';
import { ensureIndicatorsExtracted } from '../enrichment/auto-enrich.js';

type H<K extends keyof ApiResults & `reports.${string}`> = (e: Engine, a: ApiParsedArgs<K>) => ApiResults[K] | Promise<ApiResults[K]>;

/** File name endings per format: a path from the UI must name a file of that kind, never e.g. ~/.bashrc. */
const extensions: Record<ExportFormat, string[]> = {
  html: ['.html', '.htm'],
  pdf: ['.pdf'],
  csv: ['.csv'],
  json: ['.json'],
  jsonl: ['.jsonl', '.ndjson'],
  stix: ['.json', '.stix'],
  timesketch: ['.jsonl'],
  md: ['.md', '.markdown'],
};

function checkPath(file: string, format: ExportFormat): string {
  if (!path.isAbsolute(file)) throw new QuarryError('invalid_input', 'reports.export: path must be absolute');
  const ok = extensions[format];
  if (!ok.some((ext) => file.toLowerCase().endsWith(ext))) {
    throw new QuarryError('invalid_input', `reports.export: a ${format} export is written to a file ending in ${ok.join(' or ')}`);
  }
  return file;
}

function toTarget(t: ApiParsedArgs<'reports.export'>['target']): ReportTarget {
  if ('runId' in t) return { kind: 'run', runId: t.runId };
  if ('findingId' in t) return { kind: 'finding', findingId: String(t.findingId) };
  return { kind: 'range', from: new Date(t.from).toISOString(), to: new Date(t.to).toISOString() };
}

/** A report lists the indicators its runs hold: runs never enriched have theirs extracted first (locally, no lookups). */
async function extractForReport(engine: Engine, target: ReportTarget): Promise<void> {
  const { runs } = targetRuns(engine.db, defaultReportExtras(engine.db), target);
  await ensureIndicatorsExtracted(engine, runs.filter((r) => r.status === 'succeeded').map((r) => r.id));
}

/**
 * Runs `fn` with what an export of `target` reads, for the API and the CLI
 * alike: indicators extracted first, then a reader of its own, so a long
 * export reads a consistent snapshot while runs keep writing.
 */
export async function withReportDeps<T>(engine: Engine, target: ReportTarget, fn: (deps: ExportDeps) => Promise<T>, signal?: AbortSignal): Promise<T> {
  await extractForReport(engine, target);
  if (signal?.aborted) throw new QuarryError('cancelled', 'export cancelled');
  const reader = engine.openReader();
  try {
    return await fn({ db: reader, clock: engine.clock, extras: defaultReportExtras(reader), printToPdf: pdfPrinterFor(engine) });
  } finally {
    reader.close();
  }
}

/** Exports running under an id, so `reports.cancel` can stop them. */
const exports = cancellableJobs('export');

/** `export.progress` for one export: each new phase at once, rows at most every 100 ms. */
function progressEmitter(e: Engine, exportId: string | undefined): (p: ExportProgress | { phase: 'preparing'; rows: 0; total: null }) => void {
  if (!exportId) return () => {};
  let last = { phase: '', at: 0 };
  return (p) => {
    const now = Date.now();
    if (p.phase === last.phase && now - last.at < PROGRESS_EVERY_MS) return;
    last = { phase: p.phase, at: now };
    e.events.emit('export.progress', { exportId, ...p } satisfies ExportProgressEvent);
  };
}

export const reportHandlers: { [K in keyof ApiResults & `reports.${string}`]: H<K> } = {
  'reports.export': async (e, a) => {
    const target = toTarget(a.target);
    if (!a.path && !(textFormats as readonly string[]).includes(a.format)) {
      throw new QuarryError('invalid_input', `reports.export: a ${a.format} export needs a path (only ${textFormats.join(', ')} come back as text)`);
    }
    const file = a.path ? checkPath(a.path, a.format) : null;
    const progress = progressEmitter(e, a.exportId);
    return exports.run(e, a.exportId, (signal) => {
      progress({ phase: 'preparing', rows: 0, total: null });
      return withReportDeps(e, target, async (deps) => {
        if (!file) {
          const { text, outcome } = renderText(deps, target, a.format as TextFormat);
          return { ...outcome, path: null, bytes: Buffer.byteLength(text), text };
        }
        const written = await exportToFile(deps, target, a.format, file, { timeColumn: a.timeColumn, signal, onProgress: progress });
        return { ...written, text: null };
      }, signal);
    });
  },
  'reports.cancel': (e, a) => {
    if (!exports.cancel(e, a.exportId)) return { cancelled: false };
    e.events.emit('export.progress', { exportId: a.exportId, phase: 'cancelling', rows: 0, total: null } satisfies ExportProgressEvent);
    return { cancelled: true };
  },
};
