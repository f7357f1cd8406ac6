import sql from 'mssql';
import type { ColumnType, ResultColumn, StoredValue } from '../../../engine/types.js';

/** A result column as mssql describes it (arrayRowMode: one entry per column, in order). */
export interface MssqlColumn {
  name: string;
  type: unknown;
}

export type Converter = (v: unknown) => StoredValue;

/**
 * SQL Server types to Quarry column types. Everything not listed (char
 * types, xml, sql_variant, time, ...) is stored as text.
 */
const columnTypeOf = new Map<unknown, ColumnType>([
  [sql.Int, 'int'],
  [sql.SmallInt, 'int'],
  [sql.TinyInt, 'int'],
  [sql.BigInt, 'long'],
  [sql.Bit, 'bool'],
  [sql.Float, 'real'],
  [sql.Real, 'real'],
  [sql.Decimal, 'decimal'],
  [sql.Numeric, 'decimal'],
  [sql.Money, 'decimal'],
  [sql.SmallMoney, 'decimal'],
  [sql.DateTime, 'datetime'],
  [sql.DateTime2, 'datetime'],
  [sql.SmallDateTime, 'datetime'],
  [sql.Date, 'datetime'],
  [sql.DateTimeOffset, 'datetime'],
  [sql.UniqueIdentifier, 'guid'],
]);

const binaryTypes = new Set<unknown>([sql.VarBinary, sql.Binary, sql.Image, sql.UDT]);

const isNull = (v: unknown): v is null | undefined => v === null || v === undefined;

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, Quarry's datetime text (the driver already dropped digits past the millisecond). */
const datetime: Converter = (v) => {
  if (isNull(v)) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  return text(v);
};

/** tedious reads bigint as decimal text so no digit is lost; it is stored as a number when that is exact. */
const long: Converter = (v) => {
  if (isNull(v)) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  const s = String(v);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
};

const number: Converter = (v) => (isNull(v) ? null : typeof v === 'number' ? v : Number(v));
const bool: Converter = (v) => (isNull(v) ? null : v ? 1 : 0);
/** Lower case, as Log Analytics and most threat-intel feeds write GUIDs, so they compare equal as text. */
const guid: Converter = (v) => (isNull(v) ? null : String(v).toLowerCase());
/** Lower-case hex without 0x: how hashes stored as varbinary are looked up elsewhere. */
const hex: Converter = (v) => (isNull(v) ? null : Buffer.isBuffer(v) ? v.toString('hex') : text(v));

function text(v: unknown): StoredValue {
  if (isNull(v)) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `time` columns: tedious gives a Date on 1970-01-01; the time of day is what the value means. */
const timeOfDay: Converter = (v) => (v instanceof Date ? v.toISOString().slice(11, 23) : text(v));

const converterOf: Record<ColumnType, Converter> = {
  string: text,
  int: number,
  long,
  real: number,
  // tedious decodes decimal, numeric and money as JS numbers, so they are stored as numbers (exact to ~15 digits).
  decimal: number,
  bool,
  datetime,
  timespan: number,
  guid,
  dynamic: text,
};

/** Quarry's type for a column, with the converter for its values. */
export function mapColumn(c: MssqlColumn): { type: ColumnType; convert: Converter } {
  if (binaryTypes.has(c.type)) return { type: 'string', convert: hex };
  if (c.type === sql.Time) return { type: 'string', convert: timeOfDay };
  const type = columnTypeOf.get(c.type) ?? 'string';
  return { type, convert: converterOf[type] };
}

/**
 * Result columns with usable names: SQL Server allows unnamed columns
 * (`SELECT 1`) and duplicates (`SELECT a.id, b.id`), the store looks columns up by name.
 */
export function resultColumns(columns: MssqlColumn[]): { columns: ResultColumn[]; converters: Converter[] } {
  const seen = new Set<string>();
  const out: ResultColumn[] = [];
  const converters: Converter[] = [];
  columns.forEach((c, i) => {
    let name = c.name || `Column${i + 1}`;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${c.name || `Column${i + 1}`}_${n}`;
    seen.add(name.toLowerCase());
    const { type, convert } = mapColumn(c);
    out.push({ name, type });
    converters.push(convert);
  });
  return { columns: out, converters };
}

export function convertRow(row: readonly unknown[], converters: Converter[]): StoredValue[] {
  const out = new Array<StoredValue>(converters.length);
  for (let i = 0; i < converters.length; i++) out[i] = converters[i]!(row[i]);
  return out;
}
