import type { ByteWriter } from './bytes.js';
import type { ColumnEncoder } from './type-encoders.js';

/** Token types (MS-TDS 2.2.7) the server writes. */
export const Token = {
  COLMETADATA: 0x81,
  RETURNSTATUS: 0x79,
  ERROR: 0xaa,
  INFO: 0xab,
  LOGINACK: 0xad,
  NBCROW: 0xd2,
  ROW: 0xd1,
  ENVCHANGE: 0xe3,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

/** DONE status bits. */
export const Done = {
  FINAL: 0x00,
  MORE: 0x01,
  ERROR: 0x02,
  COUNT: 0x10,
  ATTN: 0x20,
  SRVERROR: 0x100,
} as const;

/** CurCmd values of DONE tokens (what the statement was). */
export const CurCmd = {
  NONE: 0x00,
  SELECT: 0xc1,
  INSERT: 0xc3,
  EXECUTE: 0xe0,
  SET: 0xbe,
} as const;

export const EnvChange = {
  DATABASE: 1,
  LANGUAGE: 2,
  PACKET_SIZE: 4,
  SQL_COLLATION: 7,
} as const;

/** Writes `body` after a placeholder length and patches the 16-bit length in (tokens that carry one). */
function withLength(w: ByteWriter, body: () => void): void {
  const at = w.pos;
  w.u16(0);
  body();
  w.patchU16(at, w.pos - at - 2);
}

export function writeLoginAck(w: ByteWriter, tdsVersion: number, progName: string, version: [number, number, number, number]): void {
  w.u8(Token.LOGINACK);
  withLength(w, () => {
    w.u8(1); // interface: SQL_TSQL
    w.u32be(tdsVersion); // the one big-endian field in the token stream
    w.bVarchar(progName);
    w.u8(version[0]).u8(version[1]).u8(version[2]).u8(version[3]);
  });
}

/** ENVCHANGE whose new and old values are B_VARCHAR (database, language, packet size). */
export function writeEnvChangeText(w: ByteWriter, type: number, newValue: string, oldValue: string): void {
  w.u8(Token.ENVCHANGE);
  withLength(w, () => {
    w.u8(type).bVarchar(newValue).bVarchar(oldValue);
  });
}

export function writeEnvChangeCollation(w: ByteWriter, collation: Buffer): void {
  w.u8(Token.ENVCHANGE);
  withLength(w, () => {
    w.u8(EnvChange.SQL_COLLATION).u8(collation.length).bytes(collation).u8(0);
  });
}

export function writeDone(w: ByteWriter, token: number, status: number, curCmd: number, rowCount = 0): void {
  w.u8(token).u16(status).u16(curCmd).u64(BigInt(rowCount));
}

export interface ServerMessage {
  number: number;
  state: number;
  /** Severity: 0-10 informational, 11-16 user errors, 17+ server trouble; 14 for failed logins. */
  class: number;
  message: string;
  serverName: string;
  procName?: string;
  line: number;
}

export function writeMessage(w: ByteWriter, token: typeof Token.ERROR | typeof Token.INFO, m: ServerMessage): void {
  w.u8(token);
  withLength(w, () => {
    w.u32(m.number).u8(m.state).u8(m.class).usVarchar(m.message).bVarchar(m.serverName).bVarchar(m.procName ?? '').u32(m.line);
  });
}

export function writeReturnStatus(w: ByteWriter, value: number): void {
  w.u8(Token.RETURNSTATUS).i32(value);
}

export interface ColumnOut {
  name: string;
  encoder: ColumnEncoder;
}

export function writeColMetadata(w: ByteWriter, columns: ColumnOut[]): void {
  w.u8(Token.COLMETADATA).u16(columns.length);
  for (const c of columns) {
    w.u32(0); // user type
    w.u16(0x0001 | 0x0008); // nullable; updateability unknown
    c.encoder.writeTypeInfo(w);
    w.bVarchar(c.name);
  }
}

/**
 * One row. Rows with NULLs go as NBCROW (a null bitmap, nulls omitted), which
 * is what SQL Server does when it saves bytes; other rows as ROW.
 */
export function writeRow(w: ByteWriter, columns: ColumnOut[], values: readonly unknown[], useNbcRow: boolean): void {
  const n = columns.length;
  if (useNbcRow && values.some((v) => v === null || v === undefined)) {
    w.u8(Token.NBCROW);
    const bitmapBytes = Math.ceil(n / 8);
    w.ensure(bitmapBytes);
    const start = w.pos;
    w.buf.fill(0, start, start + bitmapBytes);
    for (let i = 0; i < n; i++) if (values[i] === null || values[i] === undefined) w.buf[start + (i >> 3)]! |= 1 << (i & 7);
    w.pos += bitmapBytes;
    for (let i = 0; i < n; i++) if (values[i] !== null && values[i] !== undefined) columns[i]!.encoder.writeValue(w, values[i]);
    return;
  }
  w.u8(Token.ROW);
  for (let i = 0; i < n; i++) columns[i]!.encoder.writeValue(w, values[i]);
}
