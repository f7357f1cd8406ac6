/**
 * The naming rules of a log import, with no Node dependency: the importer
 * applies them, and the app's import dialog uses the same ones to suggest and
 * check a table name and to say which format it will pick.
 */
export type LogFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** SQLite's own tables and the importer's bookkeeping. */
const RESERVED = /^(_quarry|sqlite_)/i;

export function isValidTableName(name: string): boolean {
  return TABLE_NAME.test(name) && !RESERVED.test(name);
}

/** The format a file's name says; a `.json` file may still turn out to be JSON Lines (the importer looks inside). */
export function formatByExtension(file: string): LogFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.tsv') || name.endsWith('.tab')) return 'tsv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.json')) return 'json';
  return 'csv';
}
