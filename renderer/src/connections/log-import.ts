import { formatByExtension, isValidTableName, type LogFormat } from '../../../connectors/sources/local/import/log-names.js';
import type { OpenPathRequest } from '../../../electron/ipc/channels.js';
import type { LogImportProgressEvent } from '../../../engine/api.js';
import { formatCount } from '../shared/format.js';

export { formatByExtension, isValidTableName };

export const formatChoices: Array<{ value: LogFormat | 'auto'; label: string }> = [
  { value: 'auto', label: 'Automatic (from the file name)' },
  { value: 'csv', label: 'CSV' },
  { value: 'tsv', label: 'TSV' },
  { value: 'jsonl', label: 'JSON Lines' },
  { value: 'json', label: 'JSON (an array of objects)' },
];

export const delimiterChoices = [
  { value: ',', label: 'Comma (,)' },
  { value: ';', label: 'Semicolon (;)' },
  { value: '|', label: 'Pipe (|)' },
  { value: '\t', label: 'Tab' },
];

/** The open dialog's filters: every name the importer knows, gzipped or not (Electron filters take no dots, so "gz" stands for .csv.gz and the rest). */
export const logFileFilters: OpenPathRequest['filters'] = [
  { name: 'Logs (CSV, TSV, JSON Lines, JSON, .gz)', extensions: ['csv', 'tsv', 'tab', 'jsonl', 'ndjson', 'json', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

/** The last part of a path, whichever separator the OS uses. */
export function fileNameOf(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** A table name the importer accepts, from a file name: "SigninLogs 2026-01.csv.gz" -> "SigninLogs_2026_01". */
export function tableNameFromFile(file: string): string {
  const stem = fileNameOf(file)
    .replace(/\.gz$/i, '')
    .replace(/\.(csv|tsv|tab|jsonl|ndjson|json|txt|log)$/i, '');
  // "März" becomes "Marz" rather than "M_rz".
  let name = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  if (!name) return 'Logs';
  if (!isValidTableName(name)) name = `Logs_${name}`; // starts with a digit, or sqlite_…
  return name;
}

export function automaticFormatText(file: string | null): string {
  if (!file) return formatChoices[0]!.label;
  const guessed = formatByExtension(file);
  return `Automatic: ${guessed === 'json' ? 'JSON or JSON Lines' : formatChoices.find((c) => c.value === guessed)!.label}`;
}

/** "12,345 rows imported · 34% of the file read", or what happens before the first rows. */
export function importProgressText(p: LogImportProgressEvent | null, cancelling: boolean): string {
  if (cancelling) return 'Cancelling…';
  if (!p) return 'Reading the file…';
  const share = p.totalBytes > 0 ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0;
  return `${formatCount(p.rows)} ${p.rows === 1 ? 'row' : 'rows'} imported · ${share}% of the file read`;
}

/** The toast after an import: a new (or replaced) table, or rows added to one. */
export function importedText(r: { rows: number; table: string; created: boolean }): string {
  const rows = `${formatCount(r.rows)} ${r.rows === 1 ? 'row' : 'rows'}`;
  return r.created ? `Imported ${rows} into ${r.table}.` : `Appended ${rows} to ${r.table}.`;
}
