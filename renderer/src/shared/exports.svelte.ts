import type { ExportFormat } from '../../../engine/reports/model';
import type { ExportProgressEvent } from '../../../engine/reports/api';
import { api, errorCode, errorText } from './api';
import { formatCount } from './format';
import { toasts } from './toasts.svelte';

/** One export format as a menu offers it. */
export interface ExportChoice {
  format: ExportFormat;
  label: string;
  ext: string;
}

export const reportChoices: ExportChoice[] = [
  { format: 'html', label: 'Hunt report (HTML)', ext: 'html' },
  { format: 'pdf', label: 'Hunt report (PDF)', ext: 'pdf' },
  { format: 'md', label: 'Summary (Markdown)', ext: 'md' },
];
export const dataChoices: ExportChoice[] = [
  { format: 'csv', label: 'Rows as CSV', ext: 'csv' },
  { format: 'json', label: 'Rows as JSON', ext: 'json' },
  { format: 'jsonl', label: 'Rows as JSON Lines', ext: 'jsonl' },
];
export const intelChoices: ExportChoice[] = [
  { format: 'stix', label: 'Indicators as STIX 2.1', ext: 'json' },
  { format: 'timesketch', label: 'Timesketch timeline (JSONL)', ext: 'jsonl' },
];
/** Every format for one run or finding; a period has no single result to export as rows. */
export const runChoices = [...reportChoices, ...dataChoices, ...intelChoices];
export const periodChoices = [...reportChoices, ...intelChoices];

export type ExportTarget = { runId: number } | { findingId: string | number } | { from: string; to: string };

/** An export on its way, shown with its progress and a Cancel button until it ends. */
export interface ExportJob {
  id: string;
  title: string;
  phase: ExportProgressEvent['phase'] | 'starting';
  rows: number;
  total: number | null;
  cancelling: boolean;
}

const count = (n: number, what: string): string => `${formatCount(n)} ${what}${n === 1 ? '' : 's'}`;

/** A file name from a title: letters, digits, dots and dashes only. */
export function fileStem(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'quarry';
}

/**
 * Exports started from any screen: the user picks where (the save dialog),
 * the engine writes the file and reports progress, and the job stays on
 * screen (Toasts) with a Cancel button until it is done.
 */
class Exports {
  jobs = $state<ExportJob[]>([]);

  async run(req: { target: ExportTarget; choice: ExportChoice; stem: string; title: string; timeColumn?: string }): Promise<string | null> {
    const { format, ext } = req.choice;
    const defaultName = `${fileStem(req.stem)}${format === 'stix' ? '.stix' : ''}.${ext}`;
    const path = await api().desktop.chooseSavePath({ title: req.title, defaultName, extensions: [ext] });
    if (!path) return null;
    const id = crypto.randomUUID();
    this.jobs.push({ id, title: `${req.title}: ${req.choice.label}`, phase: 'starting', rows: 0, total: null, cancelling: false });
    const off = api().on('export.progress', (p) => {
      const job = this.jobs.find((j) => j.id === p.exportId);
      if (job) Object.assign(job, { phase: p.phase, rows: p.rows, total: p.total });
    });
    try {
      const result = await api().reports.export({ target: req.target, format, path, exportId: id, timeColumn: req.timeColumn });
      const counted = result.rows !== undefined ? `, ${count(result.rows, format === 'timesketch' ? 'event' : 'row')}` : result.indicators !== undefined ? `, ${count(result.indicators, 'indicator')}` : '';
      toasts.show(`Saved ${result.path ?? path} (${formatCount(result.bytes)} bytes${counted}).`, 'success');
      return result.path ?? path;
    } catch (err) {
      if (errorCode(err) === 'cancelled') toasts.show('Export cancelled; no file was written.', 'info');
      else toasts.show(`Export failed: ${errorText(err)}`, 'error');
      return null;
    } finally {
      off();
      this.jobs = this.jobs.filter((j) => j.id !== id);
    }
  }

  async cancel(id: string): Promise<void> {
    const job = this.jobs.find((j) => j.id === id);
    if (!job || job.cancelling) return;
    job.cancelling = true;
    await api().reports.cancel({ exportId: id }).catch((err: unknown) => toasts.show(errorText(err), 'error'));
  }
}

export const exportJobs = new Exports();

/** What a job is doing, in words. */
export function jobText(j: ExportJob): string {
  if (j.cancelling || j.phase === 'cancelling') return 'Cancelling…';
  switch (j.phase) {
    case 'starting':
    case 'preparing':
      return 'Preparing…';
    case 'rows':
      return j.total ? `${formatCount(j.rows)} of ${formatCount(j.total)} rows written` : `${formatCount(j.rows)} rows written`;
    case 'rendering':
      return 'Building the report…';
    case 'printing':
      return 'Printing the PDF…';
  }
}
