import { ByteReader } from './bytes.js';
import { TypeId, bytesToGuid, instantToIso, timeBytes } from './type-encoders.js';

/** A parameter as it came over the wire, with the T-SQL type the client declared for it. */
export interface RpcParameter {
  /** Without the leading `@`. */
  name: string;
  /** e.g. `int`, `bigint`, `nvarchar(4000)`, `datetime2(7)`, `uniqueidentifier`. */
  sqlType: string;
  /** Decoded: numbers, bigint for bigint, booleans for bit, ISO 8601 UTC text for dates, lower-case GUID text. */
  value: string | number | bigint | boolean | Buffer | null;
  output: boolean;
}

export interface RpcRequest {
  procedure: string | number;
  parameters: RpcParameter[];
}

/** Procedure ids of MS-TDS 2.2.6.6 that clients call by number. */
export const SP_EXECUTESQL = 10;

/** Skips ALL_HEADERS (TDS 7.2+ requests start with it: transaction descriptor, outstanding request count). */
function skipAllHeaders(r: ByteReader): void {
  const total = r.buf.readUInt32LE(r.pos);
  r.pos += total;
}

export function parseSqlBatch(payload: Buffer): string {
  const r = new ByteReader(payload);
  skipAllHeaders(r);
  return payload.toString('utf16le', r.pos);
}

export function parseRpc(payload: Buffer): RpcRequest {
  const r = new ByteReader(payload);
  skipAllHeaders(r);
  const nameLength = r.u16();
  const procedure = nameLength === 0xffff ? r.u16() : r.ucs2(nameLength);
  r.u16(); // option flags (WITH RECOMPILE, NO_METADATA): nothing to honour here
  const parameters: RpcParameter[] = [];
  // 0xFF / 0x80 would start a second RPC in the same batch; clients like tedious send one per message.
  while (r.remaining > 0 && r.buf[r.pos] !== 0xff && r.buf[r.pos] !== 0x80) {
    const name = r.bVarchar().replace(/^@/, '');
    const status = r.u8();
    const { sqlType, value } = readTypedValue(r);
    parameters.push({ name, sqlType, value, output: (status & 0x01) !== 0 });
  }
  return { procedure, parameters };
}

/** Reads a PLP (partially length-prefixed) value: total length, then chunks until a zero-length one. */
function readPlp(r: ByteReader): Buffer | null {
  const total = r.u64();
  if (total === 0xffffffffffffffffn) return null;
  const parts: Buffer[] = [];
  for (let len = r.u32(); len !== 0; len = r.u32()) parts.push(r.bytes(len));
  return Buffer.concat(parts);
}

function readDateTime(r: ByteReader, len: number): string | null {
  if (len === 0) return null;
  if (len === 4) {
    const days = r.u16();
    const minutes = r.u16();
    return new Date(Date.UTC(1900, 0, 1 + days, 0, minutes)).toISOString();
  }
  const days = r.i32();
  const threeHundredths = r.u32();
  return new Date(Date.UTC(1900, 0, 1 + days) + Math.round((threeHundredths * 10) / 3)).toISOString();
}

/** TYPE_INFO followed by one value (the RPC parameter encoding, MS-TDS 2.2.6.6). */
export function readTypedValue(r: ByteReader): Pick<RpcParameter, 'sqlType' | 'value'> {
  const typeId = r.u8();
  switch (typeId) {
    case TypeId.INTN: {
      const max = r.u8();
      const sqlType = { 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' }[max] ?? `intn(${max})`;
      const len = r.u8();
      const value = len === 0 ? null : len === 1 ? r.u8() : len === 2 ? r.bytes(2).readInt16LE(0) : len === 4 ? r.i32() : r.i64();
      return { sqlType, value };
    }
    case TypeId.BITN: {
      r.u8();
      const len = r.u8();
      return { sqlType: 'bit', value: len === 0 ? null : r.u8() !== 0 };
    }
    case TypeId.FLOATN: {
      const max = r.u8();
      const len = r.u8();
      return { sqlType: max === 4 ? 'real' : 'float', value: len === 0 ? null : len === 4 ? r.f32() : r.f64() };
    }
    case TypeId.MONEYN: {
      const max = r.u8();
      const len = r.u8();
      const value = len === 0 ? null : len === 4 ? r.i32() / 10_000 : (r.i32() * 2 ** 32 + r.u32()) / 10_000;
      return { sqlType: max === 4 ? 'smallmoney' : 'money', value };
    }
    case TypeId.NVARCHAR:
    case TypeId.NCHAR:
    case TypeId.BIGVARCHAR:
    case TypeId.BIGCHAR: {
      const unicode = typeId === TypeId.NVARCHAR || typeId === TypeId.NCHAR;
      const max = r.u16();
      r.bytes(5); // collation
      const base = { [TypeId.NVARCHAR]: 'nvarchar', [TypeId.NCHAR]: 'nchar', [TypeId.BIGVARCHAR]: 'varchar', [TypeId.BIGCHAR]: 'char' }[typeId];
      const sqlType = max === 0xffff ? `${base}(max)` : `${base}(${unicode ? max / 2 : max})`;
      let bytes: Buffer | null;
      if (max === 0xffff) bytes = readPlp(r);
      else {
        const len = r.u16();
        bytes = len === 0xffff ? null : r.bytes(len);
      }
      return { sqlType, value: bytes === null ? null : bytes.toString(unicode ? 'utf16le' : 'latin1') };
    }
    case TypeId.BIGVARBINARY:
    case TypeId.BIGBINARY: {
      const max = r.u16();
      const sqlType = `${typeId === TypeId.BIGBINARY ? 'binary' : 'varbinary'}(${max === 0xffff ? 'max' : max})`;
      if (max === 0xffff) return { sqlType, value: readPlp(r) };
      const len = r.u16();
      return { sqlType, value: len === 0xffff ? null : Buffer.from(r.bytes(len)) };
    }
    case TypeId.DATETIME2N: {
      const scale = r.u8();
      const len = r.u8();
      if (len === 0) return { sqlType: `datetime2(${scale})`, value: null };
      const time = r.uintN(timeBytes(scale));
      const days = r.uintN(3);
      return { sqlType: `datetime2(${scale})`, value: instantToIso({ days, ticks: time * 10 ** (7 - scale) }) };
    }
    case TypeId.DATETIMEOFFSETN: {
      const scale = r.u8();
      const len = r.u8();
      if (len === 0) return { sqlType: `datetimeoffset(${scale})`, value: null };
      const time = r.uintN(timeBytes(scale));
      const days = r.uintN(3);
      r.bytes(2); // the offset: the time above is already UTC
      return { sqlType: `datetimeoffset(${scale})`, value: instantToIso({ days, ticks: time * 10 ** (7 - scale) }) };
    }
    case TypeId.DATEN: {
      const len = r.u8();
      return { sqlType: 'date', value: len === 0 ? null : instantToIso({ days: r.uintN(3), ticks: 0 }).slice(0, 10) };
    }
    case TypeId.DATETIMEN: {
      const max = r.u8();
      return { sqlType: max === 4 ? 'smalldatetime' : 'datetime', value: readDateTime(r, r.u8()) };
    }
    case TypeId.GUID: {
      r.u8();
      const len = r.u8();
      return { sqlType: 'uniqueidentifier', value: len === 0 ? null : bytesToGuid(r.bytes(16)) };
    }
    case TypeId.DECIMALN:
    case TypeId.NUMERICN: {
      r.u8();
      const precision = r.u8();
      const scale = r.u8();
      const sqlType = `${typeId === TypeId.DECIMALN ? 'decimal' : 'numeric'}(${precision},${scale})`;
      const len = r.u8();
      if (len === 0) return { sqlType, value: null };
      const positive = r.u8() === 1;
      let magnitude = 0n;
      const bytes = r.bytes(len - 1);
      for (let i = bytes.length - 1; i >= 0; i--) magnitude = (magnitude << 8n) | BigInt(bytes[i]!);
      const digits = magnitude.toString().padStart(scale + 1, '0');
      const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
      return { sqlType, value: `${positive ? '' : '-'}${text}` };
    }
    case TypeId.NULL:
      return { sqlType: 'null', value: null };
    default:
      throw new Error(`the TDS test server cannot read parameters of type 0x${typeId.toString(16)}`);
  }
}
