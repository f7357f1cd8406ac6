import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type Database from 'better-sqlite3';
import type { ColumnType, StoredValue } from '../../../../engine/types.js';
import { QuarryError, errorMessage } from '../../../../engine/errors.js';
import { quoteIdent } from '../../../../engine/store/db.js';
import { prepareGroupedInsert } from '../../../../engine/store/grouped-insert.js';
import { sqlTypeOf } from '../local-db.js';
import { CsvParser, CsvSyntaxError } from './csv-parser.js';
import { JsonArrayReader, JsonLinesReader, JsonSyntaxError } from './json-records.js';
import { jsonToStored, planJsonColumn, planTextColumn, type ColumnPlan } from './infer.js';
import { detectTimestampFormat } from './timestamps.js';

import { formatByExtension, isValidTableName, type LogFormat } from './log-names.js';

export type { LogFormat };

export interface LogImportOptions {
  file: string;
  table: string;
  format?: LogFormat;
  delimiter?: string;
  /** Replace the table instead of appending to it. */
  replace?: boolean;
  /** How many records type inference looks at. */
  sampleSize?: number;
  /** After each chunk read: rows inserted so far, and bytes of the file read (compressed, for .gz) of its size. */
  onProgress?: (rows: number, bytesRead: number, totalBytes: number) => void;
  /** Checked between chunks: an abort rolls the whole import back (a replaced table stays as it was). */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface LogImportResult {
  file: string;
  table: string;
  format: LogFormat;
  rows: number;
  created: boolean;
  columns: Array<{ name: string; type: ColumnType }>;
}


/** Where a bad record is: "file:line: message". */
class ImportRecordError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/**
 * Streams a CSV, TSV, JSON Lines or JSON-array file (optionally .gz) into a
 * table of a local log database. The whole import is one transaction: a file
 * that fails at its last line leaves the database exactly as it was.
 */
export async function importLogFile(db: Database.Database, opts: LogImportOptions): Promise<LogImportResult> {
  if (!isValidTableName(opts.table)) {
    throw new QuarryError('invalid_input', `invalid table name "${opts.table}": use letters, digits and _ (not starting with a digit)`);
  }
  const stat = fs.statSync(opts.file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new QuarryError('not_found', `file not found: ${opts.file}`);
  const format = opts.format ?? detectFormat(opts.file);
  const target = new TableWriter(db, opts.table, opts.replace ?? false);
  const sampleSize = opts.sampleSize ?? 1000;
  const checkCancelled = (): void => {
    if (opts.signal?.aborted) throw new QuarryError('cancelled', `import of ${path.basename(opts.file)} cancelled`);
  };
  checkCancelled();

  // A bigger page cache keeps one large import transaction from spilling pages to the WAL early.
  const cacheBefore = db.pragma('cache_size', { simple: true });
  db.pragma('cache_size = -131072');
  db.exec('BEGIN IMMEDIATE');
  const stream = fs.createReadStream(opts.file, { highWaterMark: 1 << 20 });
  try {
    const reader = makeReader(format, opts.delimiter, target, sampleSize);
    const input = /\.gz$/i.test(opts.file) ? stream.pipe(zlib.createGunzip()) : stream;
    input.setEncoding('utf8');
    let first = true;
    for await (const chunk of input as AsyncIterable<string>) {
      checkCancelled();
      reader.push(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      first = false;
      opts.onProgress?.(target.rows, stream.bytesRead, stat.size);
    }
    checkCancelled();
    reader.end();
    target.finish(path.basename(opts.file), (opts.now ?? (() => new Date()))());
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    const line = err instanceof CsvSyntaxError || err instanceof JsonSyntaxError || err instanceof ImportRecordError ? err.line : null;
    if (line !== null) throw new QuarryError('invalid_input', `${opts.file}:${line}: ${errorMessage(err)}`);
    if (err instanceof QuarryError) throw err;
    throw new QuarryError('invalid_input', `${opts.file}: ${errorMessage(err)}`);
  } finally {
    stream.destroy(); // a failed or cancelled .gz import leaves the file open otherwise (pipe does not close its source)
    db.pragma(`cache_size = ${Number(cacheBefore)}`);
  }
  return { file: opts.file, table: opts.table, format, rows: target.rows, created: target.created, columns: target.columnList() };
}

export function detectFormat(file: string): LogFormat {
  const byName = formatByExtension(file);
  if (byName !== 'json') return byName;
  // Many tools write JSON Lines with a .json name: look at the first character.
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(256);
    const n = fs.readSync(fd, head, 0, 256, 0);
    const text = /\.gz$/i.test(file) ? '' : head.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    return text.startsWith('{') ? 'jsonl' : 'json';
  } finally {
    fs.closeSync(fd);
  }
}

interface RecordReader {
  push(chunk: string): void;
  end(): void;
}

function makeReader(format: LogFormat, delimiter: string | undefined, target: TableWriter, sampleSize: number): RecordReader {
  if (format === 'csv' || format === 'tsv') {
    let header: string[] | null = null;
    let sample: string[][] | null = [];
    const parser = new CsvParser(delimiter ?? (format === 'tsv' ? '\t' : ','), (fields, line) => {
      if (!header) {
        header = uniqueNames(fields);
        return;
      }
      if (fields.length !== header.length) {
        throw new ImportRecordError(line, `expected ${header.length} fields (as in the header), found ${fields.length}`);
      }
      if (sample) {
        sample.push(fields);
        if (sample.length >= sampleSize) flushSample();
      } else target.insert(fields);
    });
    const flushSample = (): void => {
      const h = header!;
      target.prepare(h.map((name, i) => planTextColumn(name, sample!.map((r) => r[i]!))));
      for (const r of sample!) target.insert(r);
      sample = null;
    };
    return {
      push: (c) => parser.push(c),
      end: () => {
        parser.end();
        if (!header) throw new ImportRecordError(1, 'the file is empty: a CSV needs a header row');
        if (sample) flushSample();
      },
    };
  }
  let sample: Array<Record<string, unknown>> | null = [];
  const flushSample = (): void => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const r of sample!) {
      for (const k of Object.keys(r)) {
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
    }
    target.prepare(names.map((n) => planJsonColumn(n, sample!.map((r) => r[n]))));
    for (const r of sample!) target.insertObject(r);
    sample = null;
  };
  const onRecord = (record: Record<string, unknown>): void => {
    if (!sample) return target.insertObject(record);
    sample.push(record);
    if (sample.length >= sampleSize) flushSample();
  };
  const reader = format === 'jsonl' ? new JsonLinesReader(onRecord) : new JsonArrayReader(onRecord);
  return {
    push: (c) => reader.push(c),
    end: () => {
      reader.end();
      if (sample) flushSample();
    },
  };
}

/** "", duplicates and repeats in a header become column_3, Name_2 ... */
function uniqueNames(fields: string[]): string[] {
  const seen = new Set<string>();
  return fields.map((f, i) => {
    let name = f.trim() || `column_${i + 1}`;
    for (let k = 2; seen.has(name.toLowerCase()); k++) name = `${f.trim() || `column_${i + 1}`}_${k}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

/** Creates or extends the target table and inserts converted records into it. */
class TableWriter {
  rows = 0;
  created = false;
  private plans: ColumnPlan[] = [];
  private byName = new Map<string, number>();
  private stmt: Database.Statement | null = null;
  /** Rows go in groups through one multi-row INSERT: far fewer statement executions per row. */
  private groupStmt: Database.Statement | null = null;
  private groupRows = 1;
  private pending: StoredValue[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    private readonly replace: boolean,
  ) {}

  prepare(inferred: ColumnPlan[]): void {
    const t = quoteIdent(this.table);
    if (this.replace) {
      this.db.exec(`DROP TABLE IF EXISTS ${t}`);
      this.db.prepare('DELETE FROM _quarry_columns WHERE table_name = ?').run(this.table);
      this.db.prepare('DELETE FROM _quarry_tables WHERE name = ?').run(this.table);
    }
    const existing = this.existingColumns();
    if (existing.length === 0) {
      this.created = true;
      const defs = inferred.map((p) => `${quoteIdent(p.name)} ${sqlTypeOf[p.type]}`).join(', ');
      this.db.exec(`CREATE TABLE ${t} (${defs || '"value" TEXT'})`);
      this.plans = inferred;
    } else {
      // Appending: columns already there keep their type; new ones are added.
      this.plans = existing.map((c) => ({ name: c.name, type: c.type, convert: converterFor(c.type) }));
      this.plans.forEach((p, i) => this.byName.set(p.name.toLowerCase(), i));
      for (const p of inferred) if (!this.byName.has(p.name.toLowerCase())) this.addColumn(p);
      this.remap(inferred);
      return this.prepareInsert();
    }
    this.plans.forEach((p, i) => this.byName.set(p.name.toLowerCase(), i));
    this.remap(inferred);
    this.prepareInsert();
  }

  /** Position in the table of each input column, in input order. */
  private inputOrder: number[] = [];
  private remap(inputs: ColumnPlan[]): void {
    this.inputOrder = inputs.map((p) => this.byName.get(p.name.toLowerCase())!);
  }

  insert(fields: string[]): void {
    const values: StoredValue[] = new Array(this.plans.length).fill(null);
    for (let i = 0; i < fields.length; i++) {
      const at = this.inputOrder[i]!;
      values[at] = this.plans[at]!.convert(fields[i]);
    }
    this.add(values);
  }

  private add(values: StoredValue[]): void {
    for (const v of values) this.pending.push(v);
    this.rows++;
    if (this.pending.length >= this.groupRows * this.plans.length) {
      this.groupStmt!.run(this.pending);
      this.pending = [];
    }
  }

  /** Writes rows still waiting for a full group, one by one. */
  private flushPending(): void {
    const width = this.plans.length;
    for (let i = 0; i < this.pending.length; i += width) this.stmt!.run(this.pending.slice(i, i + width));
    this.pending = [];
  }

  insertObject(record: Record<string, unknown>): void {
    const values: StoredValue[] = new Array(this.plans.length).fill(null);
    for (const key in record) {
      let at = this.byName.get(key.toLowerCase());
      if (at === undefined) {
        this.flushPending(); // pending rows are as wide as the old column list
        this.addColumn(planJsonColumn(key, [record[key]]));
        this.prepareInsert();
        values.push(null);
        at = this.plans.length - 1;
      }
      values[at] = this.plans[at]!.convert(record[key]);
    }
    this.add(values);
  }

  finish(source: string, now: Date): void {
    if (!this.stmt) this.prepare([]);
    this.flushPending();
    const setType = this.db.prepare(
      'INSERT INTO _quarry_columns (table_name, column_name, type) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET type = excluded.type',
    );
    for (const p of this.plans) setType.run(this.table, p.name, p.type);
    this.db
      .prepare(
        `INSERT INTO _quarry_tables (name, source, imported_at, row_count) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at,
           row_count = (SELECT count(*) FROM ${quoteIdent(this.table)})`,
      )
      .run(this.table, source, now.toISOString(), this.rows);
  }

  columnList(): Array<{ name: string; type: ColumnType }> {
    return this.plans.map((p) => ({ name: p.name, type: p.type }));
  }

  private existingColumns(): Array<{ name: string; type: ColumnType }> {
    const cols = this.db.prepare('SELECT name, type FROM pragma_table_info(?)').all(this.table) as Array<{ name: string; type: string }>;
    const types = this.db.prepare('SELECT column_name, type FROM _quarry_columns WHERE table_name = ?').all(this.table) as Array<{
      column_name: string;
      type: ColumnType;
    }>;
    const known = new Map(types.map((t) => [t.column_name.toLowerCase(), t.type]));
    return cols.map((c) => ({ name: c.name, type: known.get(c.name.toLowerCase()) ?? (/INT/i.test(c.type) ? 'long' : /REAL/i.test(c.type) ? 'real' : 'string') }));
  }

  private addColumn(p: ColumnPlan): void {
    this.db.exec(`ALTER TABLE ${quoteIdent(this.table)} ADD COLUMN ${quoteIdent(p.name)} ${sqlTypeOf[p.type]}`);
    this.plans.push(p);
    this.byName.set(p.name.toLowerCase(), this.plans.length - 1);
  }

  private prepareInsert(): void {
    const cols = this.plans.map((p) => quoteIdent(p.name)).join(', ');
    const grouped = prepareGroupedInsert(this.db, `${quoteIdent(this.table)} (${cols})`, this.plans.length);
    this.stmt = grouped.single;
    this.groupRows = grouped.groupRows;
    this.groupStmt = grouped.group;
  }
}

/** Converters for columns that already exist, whose values may come as text (CSV) or JSON. */
function converterFor(type: ColumnType): (v: unknown) => StoredValue {
  switch (type) {
    case 'long': case 'int': case 'real': case 'decimal':
      return (v) => (v === '' ? null : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : jsonToStored(v));
    case 'bool':
      return (v) => (v === '' ? null : typeof v === 'string' ? (/^true$/i.test(v) ? 1 : /^false$/i.test(v) ? 0 : v) : jsonToStored(v));
    case 'datetime':
      return (v) => (v === '' ? null : typeof v === 'string' ? (detectTimestampFormat(v)?.toIso(v) ?? v) : jsonToStored(v));
    default:
      return jsonToStored;
  }
}
