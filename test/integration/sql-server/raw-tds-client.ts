import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';

/**
 * A bare-bones TDS client for what tedious never does: offer ENCRYPT_OFF, so
 * that only LOGIN7 is encrypted (MS-TDS 2.2.6.5). Just enough to drive the
 * fake through PRELOGIN, a TLS handshake inside PRELOGIN packets, an
 * encrypted LOGIN7, then a plaintext SQL batch.
 */
export class RawTdsClient {
  private pending = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private waiting: ((m: Buffer) => void) | null = null;
  private readonly messages: Buffer[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static connect(port: number): Promise<RawTdsClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawTdsClient(socket)));
      socket.once('error', reject);
    });
  }

  private onData(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8 && this.pending.length >= this.pending.readUInt16BE(2)) {
      const length = this.pending.readUInt16BE(2);
      this.parts.push(this.pending.subarray(8, length));
      const eom = (this.pending[1]! & 1) === 1;
      this.pending = this.pending.subarray(length);
      if (eom) {
        const message = Buffer.concat(this.parts);
        this.parts = [];
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w(message);
        } else this.messages.push(message);
      }
    }
  }

  /** The payload of the next whole server message. */
  read(): Promise<Buffer> {
    const queued = this.messages.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => (this.waiting = resolve));
  }

  static packet(type: number, payload: Buffer): Buffer {
    const header = Buffer.from([type, 0x01, 0, 0, 0, 0, 1, 0]);
    header.writeUInt16BE(payload.length + 8, 2);
    return Buffer.concat([header, payload]);
  }

  send(type: number, payload: Buffer): void {
    this.socket.write(RawTdsClient.packet(type, payload));
  }

  /** TLS with the handshake wrapped in PRELOGIN packets; resolves with the client TLS socket once secure. */
  async startTls(): Promise<{ tlsSocket: tls.TLSSocket; sendRaw: (b: Buffer) => void }> {
    let outgoing: Buffer[] = [];
    let handshaking = true;
    let kick: (() => void) | null = null;
    const transport = new Duplex({
      read() {},
      write: (chunk: Buffer, _enc, cb) => {
        if (handshaking) {
          outgoing.push(chunk);
          kick?.();
        } else this.socket.write(chunk);
        cb();
      },
    });
    // TLS 1.2, as SQL Server clients negotiate inside TDS.
    const tlsSocket = tls.connect({ socket: transport as unknown as net.Socket, rejectUnauthorized: false, maxVersion: 'TLSv1.2', servername: 'localhost' });
    let secure = false;
    const secured = new Promise<void>((resolve) => tlsSocket.once('secureConnect', () => resolve(void (secure = true))));
    // A flight may be written in pieces: send it after one quiet turn of the event loop.
    const flight = (): Promise<void> =>
      new Promise((resolve) => {
        if (outgoing.length) return void setImmediate(resolve);
        kick = () => {
          kick = null;
          setImmediate(resolve);
        };
      });
    await flight();
    for (;;) {
      this.send(0x12, Buffer.concat(outgoing));
      outgoing = [];
      transport.push(await this.read());
      await Promise.race([secured, flight()]);
      if (secure) break;
    }
    handshaking = false;
    return { tlsSocket, sendRaw: (b) => this.socket.write(b) };
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A PRELOGIN payload with VERSION and the given ENCRYPTION byte. */
export function preloginPayload(encryption: number): Buffer {
  const version = Buffer.from([0x10, 0, 0, 0, 0, 0]);
  const table = Buffer.alloc(11);
  table.writeUInt8(0x00, 0);
  table.writeUInt16BE(11, 1);
  table.writeUInt16BE(6, 3);
  table.writeUInt8(0x01, 5);
  table.writeUInt16BE(17, 6);
  table.writeUInt16BE(1, 8);
  table.writeUInt8(0xff, 10);
  return Buffer.concat([table, version, Buffer.from([encryption])]);
}

/** The ENCRYPTION byte of a PRELOGIN answer. */
export function encryptionOf(answer: Buffer): number {
  for (let at = 0; answer[at] !== 0xff; at += 5) if (answer[at] === 0x01) return answer[answer.readUInt16BE(at + 1)]!;
  throw new Error('no ENCRYPTION option in the PRELOGIN answer');
}

/** A LOGIN7 for a SQL login (TDS 7.4, 4096-byte packets), with the password obfuscated as the protocol says. */
export function login7(user: string, password: string, database: string): Buffer {
  const fields = ['quarry-test-host', user, password, 'raw-tds-client', '127.0.0.1', '', 'raw', '', database];
  const fixed = Buffer.alloc(94);
  const data: Buffer[] = [];
  let offset = 94;
  fields.forEach((value, i) => {
    let bytes = Buffer.from(value, 'utf16le');
    if (i === 2) bytes = Buffer.from(bytes.map((b) => (((b << 4) & 0xf0) | (b >> 4)) ^ 0xa5));
    fixed.writeUInt16LE(offset, 36 + i * 4);
    fixed.writeUInt16LE(value.length, 38 + i * 4);
    data.push(bytes);
    offset += bytes.length;
  });
  for (const at of [78, 82, 86]) fixed.writeUInt16LE(offset, at); // SSPI, AtchDBFile, ChangePassword: empty
  fixed.writeUInt32LE(0x74000004, 4);
  fixed.writeUInt32LE(4096, 8);
  fixed.writeUInt8(0xe0, 24);
  const out = Buffer.concat([fixed, ...data]);
  out.writeUInt32LE(out.length, 0);
  return out;
}

/** A SQL_BATCH payload: ALL_HEADERS with a transaction descriptor, then the text. */
export function sqlBatch(text: string): Buffer {
  const headers = Buffer.alloc(22);
  headers.writeUInt32LE(22, 0);
  headers.writeUInt32LE(18, 4);
  headers.writeUInt16LE(2, 8);
  headers.writeUInt32LE(1, 18);
  return Buffer.concat([headers, Buffer.from(text, 'utf16le')]);
}
