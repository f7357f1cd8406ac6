import type { ColumnType, ResultColumn, StoredValue } from '../../../engine/types.js';

/** A column as the query API describes it. */
export interface LogsColumn {
  name: string;
  type: string;
}

/** Kusto type names (and the aliases the API has used) to Quarry's column types, which are named after them. */
const typeAliases: Record<string, ColumnType> = {
  string: 'string',
  int: 'int',
  int32: 'int',
  long: 'long',
  int64: 'long',
  real: 'real',
  double: 'real',
  float: 'real',
  decimal: 'decimal',
  bool: 'bool',
  boolean: 'bool',
  datetime: 'datetime',
  date: 'datetime',
  timespan: 'timespan',
  time: 'timespan',
  guid: 'guid',
  uniqueid: 'guid',
  dynamic: 'dynamic',
  object: 'dynamic',
};

export function columnTypeOf(kustoType: string): ColumnType {
  return typeAliases[kustoType.toLowerCase()] ?? 'string';
}

export function toResultColumns(columns: LogsColumn[]): ResultColumn[] {
  return columns.map((c) => ({ name: c.name, type: columnTypeOf(c.type) }));
}

/** Columns whose numbers must be read from the response text, not from JSON.parse, to keep every digit. */
export const needsExactNumbers = (t: ColumnType): boolean => t === 'long' || t === 'decimal';

export type Converter = (v: unknown) => StoredValue;

const ISO_FULL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,7}Z$/;
const ISO_NO_FRACTION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

const other = (v: unknown): StoredValue =>
  v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? 1 : 0) : (v as StoredValue);

/**
 * Quarry's datetime text, `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form every other
 * source stores, so values sort and compare as text. Kusto keeps 100 ns
 * ticks; digits past the millisecond are dropped (truncated, like Date does).
 */
export function toQuarryDatetime(v: unknown): StoredValue {
  if (typeof v !== 'string') return other(v);
  if (ISO_FULL.test(v)) return v.length === 24 ? v : `${v.slice(0, 23)}Z`;
  if (ISO_NO_FRACTION.test(v)) return `${v.slice(0, 19)}.000Z`;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? v : new Date(ms).toISOString();
}

/** Kusto timespan text (`[-][d.]hh:mm:ss[.fffffff]`) as seconds, the unit Quarry uses for timespans everywhere. */
export function timespanSeconds(v: unknown): StoredValue {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return other(v);
  const m = TIMESPAN.exec(v);
  if (!m) return v;
  const ticks =
    (Number(m[2] ?? 0) * 86400 + Number(m[3]) * 3600 + Number(m[4]) * 60 + Number(m[5])) * 1e7 + Number((m[6] ?? '').padEnd(7, '0'));
  return ((m[1] ? -1 : 1) * ticks) / 1e7;
}

const integer = (v: unknown): StoredValue => {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  }
  return other(v);
};

const real = (v: unknown): StoredValue => {
  if (typeof v === 'number') return v;
  // The service spells non-finite reals as strings; SQLite has no NaN, so that one is stored as text.
  if (v === 'Infinity' || v === '+Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return other(v);
};

/** Exact text for decimals too precise for a double; a plain number otherwise. */
const decimal = (v: unknown): StoredValue => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) {
    const digits = v.replace(/^-|\.|[eE].*$/g, '').replace(/^0+/, '');
    return digits.length <= 15 ? Number(v) : v;
  }
  return other(v);
};

const bool = (v: unknown): StoredValue => {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 'True' || v === 'true') return 1;
  if (v === 'False' || v === 'false') return 0;
  return other(v);
};

/** dynamic arrives as its JSON text; anything that came as native JSON is written back as JSON text. */
const dynamic = (v: unknown): StoredValue => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

const text = (v: unknown): StoredValue => (typeof v === 'string' ? v : other(v));

export const converterFor: Record<ColumnType, Converter> = {
  string: text,
  guid: text,
  int: integer,
  long: integer,
  real,
  decimal,
  bool,
  datetime: toQuarryDatetime,
  timespan: timespanSeconds,
  dynamic,
};
