import path from 'node:path';
import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { QuarryError } from '../errors.js';
import type { ExportFormat, ReportTarget } from '../reports/model.js';
import { defaultReportExtras } from '../reports/extras.js';
import { exportToFile, renderText, textFormats, type TextFormat } from '../reports/export.js';
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
export async function extractForReport(engine: Engine, target: ReportTarget): Promise<void> {
  const { runs } = targetRuns(engine.db, defaultReportExtras(engine.db), target);
  await ensureIndicatorsExtracted(engine, runs.filter((r) => r.status === 'succeeded').map((r) => r.id));
}

export const reportHandlers: { [K in keyof ApiResults & `reports.${string}`]: H<K> } = {
  'reports.export': async (e, a) => {
    const target = toTarget(a.target);
    if (!a.path && !(textFormats as readonly string[]).includes(a.format)) {
      throw new QuarryError('invalid_input', `reports.export: a ${a.format} export needs a path (only ${textFormats.join(', ')} come back as text)`);
    }
    await extractForReport(e, target);
    // A reader of its own: a long export reads a consistent snapshot while runs keep writing.
    const reader = e.openReader();
    try {
      const deps = { db: reader, clock: e.clock, extras: defaultReportExtras(reader), printToPdf: pdfPrinterFor(e) };
      if (!a.path) {
        const { text, outcome } = renderText(deps, target, a.format as TextFormat);
        return { ...outcome, path: null, bytes: Buffer.byteLength(text), text };
      }
      const written = await exportToFile(deps, target, a.format, checkPath(a.path, a.format), { timeColumn: a.timeColumn });
      return { ...written, text: null };
    } finally {
      reader.close();
    }
  },
};
