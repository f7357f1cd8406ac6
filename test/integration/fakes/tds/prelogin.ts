import { ByteWriter } from './bytes.js';

/** PRELOGIN option tokens (MS-TDS 2.2.6.5). */
const Option = {
  VERSION: 0x00,
  ENCRYPTION: 0x01,
  INSTOPT: 0x02,
  THREADID: 0x03,
  MARS: 0x04,
  TRACEID: 0x05,
  FEDAUTHREQUIRED: 0x06,
  TERMINATOR: 0xff,
} as const;

/** B_FENCRYPTION values. */
export const Encrypt = {
  OFF: 0x00,
  ON: 0x01,
  NOT_SUP: 0x02,
  REQ: 0x03,
} as const;

/**
 * The server's own setting, like SQL Server's "Force Encryption" and whether it has a certificate:
 * - `not-supported`: no certificate, never encrypts;
 * - `off`: has a certificate; encrypts everything if the client asks, otherwise at least the login
 *   when the client offers ENCRYPT_OFF (login-only encryption), nothing when the client cannot;
 * - `required`: refuses unencrypted sessions.
 */
export type ServerEncryption = 'not-supported' | 'off' | 'required';

/** What the session does after the PRELOGIN answer. */
export type TlsMode = 'none' | 'login-only' | 'full' | 'refused';

export interface ClientPrelogin {
  version: string;
  encryption: number;
  instance: string;
  mars: boolean;
  fedAuthRequired: boolean;
}

export function parsePrelogin(payload: Buffer): ClientPrelogin {
  const result: ClientPrelogin = { version: '', encryption: Encrypt.NOT_SUP, instance: '', mars: false, fedAuthRequired: false };
  let at = 0;
  while (at < payload.length && payload[at] !== Option.TERMINATOR) {
    if (at + 5 > payload.length) throw new Error('PRELOGIN option table is cut short');
    const token = payload[at]!;
    const offset = payload.readUInt16BE(at + 1);
    const length = payload.readUInt16BE(at + 3);
    const data = payload.subarray(offset, offset + length);
    switch (token) {
      case Option.VERSION:
        if (data.length >= 6) result.version = `${data[0]}.${data[1]}.${data.readUInt16BE(2)}.${data.readUInt16BE(4)}`;
        break;
      case Option.ENCRYPTION:
        if (data.length >= 1) result.encryption = data[0]!;
        break;
      case Option.INSTOPT:
        result.instance = data.subarray(0, Math.max(0, data.indexOf(0))).toString('latin1');
        break;
      case Option.MARS:
        result.mars = data[0] === 1;
        break;
      case Option.FEDAUTHREQUIRED:
        result.fedAuthRequired = data[0] === 1;
        break;
    }
    at += 5;
  }
  return result;
}

/** The encryption answer and what it commits both sides to (the table in MS-TDS 2.2.6.5). */
export function negotiateEncryption(client: number, server: ServerEncryption): { answer: number; mode: TlsMode } {
  if (server === 'not-supported') return { answer: Encrypt.NOT_SUP, mode: 'none' };
  if (client === Encrypt.NOT_SUP) {
    return server === 'required' ? { answer: Encrypt.REQ, mode: 'refused' } : { answer: Encrypt.NOT_SUP, mode: 'none' };
  }
  if (client === Encrypt.OFF) {
    return server === 'required' ? { answer: Encrypt.REQ, mode: 'full' } : { answer: Encrypt.OFF, mode: 'login-only' };
  }
  // ENCRYPT_ON and ENCRYPT_REQ from the client: the whole session is encrypted.
  return { answer: Encrypt.ON, mode: 'full' };
}

/** The server's PRELOGIN answer (sent in a TABULAR_RESULT packet, which is how servers reply to PRELOGIN). */
export function preloginResponse(version: [number, number, number, number], encryption: number, instanceMatched: boolean): Buffer {
  const options: Array<[number, Buffer]> = [
    [Option.VERSION, Buffer.from([version[0], version[1], version[2] >> 8, version[2] & 0xff, version[3] >> 8, version[3] & 0xff])],
    [Option.ENCRYPTION, Buffer.from([encryption])],
    [Option.INSTOPT, Buffer.from([instanceMatched ? 0 : 1])],
    [Option.THREADID, Buffer.alloc(0)],
    [Option.MARS, Buffer.from([0])],
  ];
  const w = new ByteWriter(64);
  let dataOffset = options.length * 5 + 1;
  for (const [token, data] of options) {
    w.u8(token);
    w.ensure(4);
    w.pos = w.buf.writeUInt16BE(dataOffset, w.pos);
    w.pos = w.buf.writeUInt16BE(data.length, w.pos);
    dataOffset += data.length;
  }
  w.u8(Option.TERMINATOR);
  for (const [, data] of options) w.bytes(data);
  return Buffer.from(w.view());
}
