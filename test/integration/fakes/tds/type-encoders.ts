import { ByteWriter } from './bytes.js';

/**
 * Column types the fake sends, named as in T-SQL: `nvarchar`, `nvarchar(100)`,
 * `nvarchar(max)`, `int`, `smallint`, `tinyint`, `bigint`, `bit`, `float`,
 * `real`, `datetime2`, `datetime2(3)`, `uniqueidentifier`, `varbinary`,
 * `decimal(18,4)`. Tests declare them per table; see `executor.ts`.
 */
export type TdsTypeName = string;

/** TYPE_INFO type ids (MS-TDS 2.2.5.4). */
export const TypeId = {
  NULL: 0x1f,
  GUID: 0x24,
  INTN: 0x26,
  DATEN: 0x28,
  DATETIME2N: 0x2a,
  DATETIMEOFFSETN: 0x2b,
  BITN: 0x68,
  DECIMALN: 0x6a,
  NUMERICN: 0x6c,
  FLOATN: 0x6d,
  MONEYN: 0x6e,
  DATETIMEN: 0x6f,
  BIGVARBINARY: 0xa5,
  BIGVARCHAR: 0xa7,
  BIGBINARY: 0xad,
  BIGCHAR: 0xaf,
  NVARCHAR: 0xe7,
  NCHAR: 0xef,
} as const;

/** SQL_Latin1_General_CP1_CI_AS, the collation a default SQL Server install reports. */
export const DEFAULT_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

/** Days from 0001-01-01 (where TDS dates count from) to 1970-01-01. */
const DAYS_TO_UNIX_EPOCH = 719_162;
const PLP_NULL = 0xffffffffffffffffn;

export interface ColumnEncoder {
  /** The T-SQL spelling, e.g. `datetime2(7)`. */
  readonly sqlType: string;
  writeTypeInfo(w: ByteWriter): void;
  /** Writes one value with its length prefix; null is written as the type's NULL. */
  writeValue(w: ByteWriter, v: unknown): void;
}

/** A point in time as TDS stores it: whole days since 0001-01-01 and 100 ns ticks into that day (UTC). */
export interface TdsInstant {
  days: number;
  ticks: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Reads ISO 8601 text (keeping all 7 fractional digits), a Date, or epoch milliseconds. */
export function toInstant(v: unknown): TdsInstant {
  let ms: number;
  let subMsTicks = 0;
  const m = typeof v === 'string' ? ISO.exec(v.trim()) : null;
  if (m) {
    const fraction = (m[7] ?? '').padEnd(7, '0').slice(0, 7);
    ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number(fraction.slice(0, 3)));
    subMsTicks = Number(fraction.slice(3));
    const zone = m[8];
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
  } else if (v instanceof Date) {
    ms = v.getTime();
  } else if (typeof v === 'number') {
    ms = v;
  } else {
    ms = Date.parse(String(v));
  }
  if (Number.isNaN(ms)) throw new Error(`not a date and time: ${String(v)}`);
  const dayMs = Math.floor(ms / 86_400_000);
  return { days: dayMs + DAYS_TO_UNIX_EPOCH, ticks: (ms - dayMs * 86_400_000) * 10_000 + subMsTicks };
}

/** ISO 8601 UTC with 7 fractional digits, the way SQL Server prints datetime2(7). */
export function instantToIso(i: TdsInstant): string {
  const ms = (i.days - DAYS_TO_UNIX_EPOCH) * 86_400_000 + Math.floor(i.ticks / 10_000);
  const base = new Date(ms).toISOString(); // ...ss.mmmZ
  const extra = String(i.ticks % 10_000).padStart(4, '0');
  return `${base.slice(0, 23)}${extra}Z`;
}

export function timeBytes(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

/** Mixed-endian GUID bytes: the first three groups little-endian, the rest as written. */
export function guidToBytes(text: string): Buffer {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a GUID: ${text}`);
  const b = Buffer.from(hex, 'hex');
  return Buffer.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8)]);
}

export function bytesToGuid(b: Buffer): string {
  const h = (i: number) => b[i]!.toString(16).padStart(2, '0');
  return `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${[10, 11, 12, 13, 14, 15].map(h).join('')}`;
}

/** A decimal's magnitude as an integer scaled by 10^scale, from a number or exact text. */
export function scaledDecimal(v: unknown, scale: number): bigint {
  const text = typeof v === 'number' ? v.toFixed(scale) : String(v).trim();
  const m = /^([-+])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const fraction = (m[3] ?? '').padEnd(scale, '0').slice(0, scale);
  const magnitude = BigInt(`${m[2] || '0'}${fraction}` || '0');
  return m[1] === '-' ? -magnitude : magnitude;
}

const decimalBytes = (precision: number): number => (precision <= 9 ? 4 : precision <= 19 ? 8 : precision <= 28 ? 12 : 16);

function intEncoder(sqlType: string, size: 1 | 2 | 4 | 8): ColumnEncoder {
  return {
    sqlType,
    writeTypeInfo: (w) => void w.u8(TypeId.INTN).u8(size),
    writeValue(w, v) {
      if (v === null || v === undefined) return void w.u8(0);
      w.u8(size);
      if (size === 8) w.i64(BigInt(typeof v === 'number' ? Math.trunc(v) : (v as bigint | string)));
      else if (size === 4) w.i32(Number(v));
      else if (size === 2) w.i16(Number(v));
      else w.u8(Number(v));
    },
  };
}

function nvarcharEncoder(length: number | 'max'): ColumnEncoder {
  if (length === 'max') {
    return {
      sqlType: 'nvarchar(max)',
      writeTypeInfo: (w) => void w.u8(TypeId.NVARCHAR).u16(0xffff).bytes(DEFAULT_COLLATION),
      writeValue(w, v) {
        if (v === null || v === undefined) return void w.u64(PLP_NULL);
        const s = String(v);
        w.u64(BigInt(s.length * 2));
        if (s.length) w.u32(s.length * 2).ucs2(s);
        w.u32(0); // PLP terminator
      },
    };
  }
  return {
    sqlType: `nvarchar(${length})`,
    writeTypeInfo: (w) => void w.u8(TypeId.NVARCHAR).u16(length * 2).bytes(DEFAULT_COLLATION),
    writeValue(w, v) {
      if (v === null || v === undefined) return void w.u16(0xffff);
      const s = typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('hex') : String(v);
      if (s.length > length) throw new Error(`a value of ${s.length} characters does not fit nvarchar(${length}); declare the column nvarchar(max)`);
      w.u16(s.length * 2).ucs2(s);
    },
  };
}

function datetime2Encoder(scale: number): ColumnEncoder {
  const bytes = timeBytes(scale);
  const divisor = 10 ** (7 - scale);
  return {
    sqlType: `datetime2(${scale})`,
    writeTypeInfo: (w) => void w.u8(TypeId.DATETIME2N).u8(scale),
    writeValue(w, v) {
      if (v === null || v === undefined) return void w.u8(0);
      const { days, ticks } = toInstant(v);
      w.u8(bytes + 3).uintN(Math.floor(ticks / divisor), bytes).uintN(days, 3);
    },
  };
}

function decimalEncoder(precision: number, scale: number): ColumnEncoder {
  const size = decimalBytes(precision);
  return {
    sqlType: `decimal(${precision},${scale})`,
    writeTypeInfo: (w) => void w.u8(TypeId.DECIMALN).u8(size + 1).u8(precision).u8(scale),
    writeValue(w, v) {
      if (v === null || v === undefined) return void w.u8(0);
      const n = scaledDecimal(v, scale);
      let magnitude = n < 0n ? -n : n;
      w.u8(size + 1).u8(n < 0n ? 0 : 1);
      for (let i = 0; i < size; i++) {
        w.u8(Number(magnitude & 0xffn));
        magnitude >>= 8n;
      }
    },
  };
}

const fixed: Record<string, ColumnEncoder> = {
  int: intEncoder('int', 4),
  smallint: intEncoder('smallint', 2),
  tinyint: intEncoder('tinyint', 1),
  bigint: intEncoder('bigint', 8),
  bit: {
    sqlType: 'bit',
    writeTypeInfo: (w) => void w.u8(TypeId.BITN).u8(1),
    writeValue: (w, v) => void (v === null || v === undefined ? w.u8(0) : w.u8(1).u8(v === true || v === 'true' || (v !== 'false' && Number(v) !== 0) ? 1 : 0)),
  },
  float: {
    sqlType: 'float',
    writeTypeInfo: (w) => void w.u8(TypeId.FLOATN).u8(8),
    writeValue: (w, v) => void (v === null || v === undefined ? w.u8(0) : w.u8(8).f64(Number(v))),
  },
  real: {
    sqlType: 'real',
    writeTypeInfo: (w) => void w.u8(TypeId.FLOATN).u8(4),
    writeValue: (w, v) => void (v === null || v === undefined ? w.u8(0) : w.u8(4).f32(Number(v))),
  },
  uniqueidentifier: {
    sqlType: 'uniqueidentifier',
    writeTypeInfo: (w) => void w.u8(TypeId.GUID).u8(16),
    writeValue: (w, v) => void (v === null || v === undefined ? w.u8(0) : w.u8(16).bytes(guidToBytes(String(v)))),
  },
  varbinary: {
    sqlType: 'varbinary(8000)',
    writeTypeInfo: (w) => void w.u8(TypeId.BIGVARBINARY).u16(8000),
    writeValue(w, v) {
      if (v === null || v === undefined) return void w.u16(0xffff);
      const b = Buffer.isBuffer(v) ? v : Buffer.from(String(v).replace(/^0x/i, ''), 'hex');
      w.u16(b.length).bytes(b);
    },
  },
};

/** The encoder for a T-SQL type name; throws for a type the fake cannot send. */
export function encoderFor(typeName: TdsTypeName): ColumnEncoder {
  const t = typeName.trim().toLowerCase().replace(/\s+/g, '');
  const known = fixed[t];
  if (known) return known;
  let m = /^n?varchar(?:\((\d+|max)\))?$/.exec(t);
  if (m) return nvarcharEncoder(m[1] === 'max' ? 'max' : Number(m[1] ?? 4000));
  m = /^datetime2(?:\((\d)\))?$/.exec(t);
  if (m) return datetime2Encoder(Number(m[1] ?? 7));
  m = /^(?:decimal|numeric)(?:\((\d+)(?:,(\d+))?\))?$/.exec(t);
  if (m) return decimalEncoder(Number(m[1] ?? 18), Number(m[2] ?? 0));
  if (t === 'datetime' || t === 'date' || t === 'datetimeoffset') return datetime2Encoder(7);
  throw new Error(`the TDS test server cannot send columns of type ${typeName}`);
}
