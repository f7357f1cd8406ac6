import sql from 'mssql';
import type { ColumnType, ResultColumn } from '../../../engine/types.js';
import type { RowPacker } from '../../../engine/runs/packed-rows.js';

/** A result column as mssql describes it (arrayRowMode: one entry per column, in order). */
export interface MssqlColumn {
  name: string;
  type: unknown;
}

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

/**
 * How a column's values are packed for the store. One switch over these in
 * `packRow` (rather than a function per column) keeps the per-value path
 * monomorphic: it runs for every value of a result of any size.
 */
export const enum Packing {
  /** Numbers as they are; decimal text (tedious decodes decimal, numeric and money as numbers) read as one. */
  Number,
  /** tedious reads bigint as decimal text so no digit is lost; stored as a number when that is exact. */
  Long,
  Bool,
  /** Kept as `YYYY-MM-DDTHH:MM:SS.mmmZ` (the driver already dropped digits past the millisecond); the writer formats it. */
  Datetime,
  /** Lower case, as Log Analytics and most threat-intel feeds write GUIDs, so they compare equal as text. */
  Guid,
  /** `time`: tedious gives a Date on 1970-01-01; the time of day is what the value means. */
  TimeOfDay,
  /** Text; binary as lower-case hex without 0x (how hashes are looked up elsewhere), objects as JSON. */
  Text,
}

const packingOf: Record<ColumnType, Packing> = {
  string: Packing.Text,
  int: Packing.Number,
  long: Packing.Long,
  real: Packing.Number,
  decimal: Packing.Number,
  bool: Packing.Bool,
  datetime: Packing.Datetime,
  timespan: Packing.Number,
  guid: Packing.Guid,
  dynamic: Packing.Text,
};

/** Quarry's type for a column, with how its values are packed. */
export function mapColumn(c: MssqlColumn): { type: ColumnType; packing: Packing } {
  if (binaryTypes.has(c.type)) return { type: 'string', packing: Packing.Text };
  if (c.type === sql.Time) return { type: 'string', packing: Packing.TimeOfDay };
  const type = columnTypeOf.get(c.type) ?? 'string';
  return { type, packing: packingOf[type] };
}

/** Packs one driver row (arrayRowMode) and ends it. */
export function packRow(p: RowPacker, row: readonly unknown[], packings: readonly Packing[]): void {
  for (let i = 0; i < packings.length; i++) {
    const v = row[i];
    if (v === null || v === undefined) {
      p.null();
      continue;
    }
    switch (packings[i]) {
      case Packing.Number:
        p.number(typeof v === 'number' ? v : Number(v));
        break;
      case Packing.Long:
        packLong(p, v);
        break;
      case Packing.Bool:
        p.number(v ? 1 : 0);
        break;
      case Packing.Datetime:
        if (v instanceof Date) packDate(p, v);
        else packText(p, v);
        break;
      case Packing.Guid:
        p.lowerText(String(v));
        break;
      case Packing.TimeOfDay:
        if (v instanceof Date && !Number.isNaN(v.getTime())) p.text(v.toISOString().slice(11, 23));
        else packText(p, v);
        break;
      default:
        if (typeof v === 'string') p.text(v);
        else packText(p, v);
    }
  }
  p.endRow();
}

function packLong(p: RowPacker, v: unknown): void {
  if (typeof v === 'number') return p.number(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? p.number(Number(v)) : p.bigint(v);
  const s = String(v);
  const n = Number(s);
  if (Number.isSafeInteger(n)) p.number(n);
  else p.bigint(BigInt(s));
}

function packDate(p: RowPacker, d: Date): void {
  const ms = d.getTime();
  if (Number.isNaN(ms)) p.null();
  else p.epochMs(ms);
}

function packText(p: RowPacker, v: unknown): void {
  if (typeof v === 'string') p.text(v);
  else if (v instanceof Date) packDate(p, v);
  else if (Buffer.isBuffer(v)) p.text(v.toString('hex'));
  else if (typeof v === 'object') p.text(JSON.stringify(v));
  else p.text(String(v));
}

/**
 * Result columns with usable names: SQL Server allows unnamed columns
 * (`SELECT 1`) and duplicates (`SELECT a.id, b.id`), the store looks columns up by name.
 */
export function resultColumns(columns: MssqlColumn[]): { columns: ResultColumn[]; packings: Packing[] } {
  const seen = new Set<string>();
  const out: ResultColumn[] = [];
  const packings: Packing[] = [];
  columns.forEach((c, i) => {
    let name = c.name || `Column${i + 1}`;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${c.name || `Column${i + 1}`}_${n}`;
    seen.add(name.toLowerCase());
    const { type, packing } = mapColumn(c);
    out.push({ name, type });
    packings.push(packing);
  });
  return { columns: out, packings };
}
