import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Just enough of a WebSocket server (RFC 6455) for the e2e bridge: the
 * handshake, masked client frames (text, continuation, ping, close),
 * unmasked server text frames. Node 20 ships a WebSocket client but no server,
 * and this keeps the bridge free of dependencies.
 */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE = 64 * 2 ** 20;

const Op = { Continuation: 0x0, Text: 0x1, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;

export interface WsConnection {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  onMessage(listener: (text: string) => void): void;
  onClose(listener: () => void): void;
}

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** Completes the opening handshake on an 'upgrade' request and returns the connection, or null after refusing it. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex): WsConnection | null {
  const key = req.headers['sec-websocket-key'];
  if (req.headers.upgrade?.toLowerCase() !== 'websocket' || typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return null;
  }
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`, '', ''].join('\r\n'));
  return new Connection(socket);
}

export function encodeFrame(op: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | op; // FIN + opcode; server frames are never masked
  if (len < 126) head[1] = len;
  else if (len < 65536) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

class Connection implements WsConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private messageListeners: Array<(text: string) => void> = [];
  private closeListeners: Array<() => void> = [];
  private closed = false;

  constructor(private readonly socket: Duplex) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  send(text: string): void {
    if (!this.closed) this.socket.write(encodeFrame(Op.Text, Buffer.from(text, 'utf8')));
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.end(encodeFrame(Op.Close, payload));
    this.finish();
  }

  onMessage(listener: (text: string) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners) l();
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const frame = this.readFrame();
      if (!frame) return;
      this.onFrame(frame.fin, frame.op, frame.payload);
      if (this.closed) return;
    }
  }

  /** One complete frame off the front of the buffer, unmasked; null until it has fully arrived. */
  private readFrame(): { fin: boolean; op: number; payload: Buffer } | null {
    const b = this.buffer;
    if (b.length < 2) return null;
    const fin = (b[0]! & 0x80) !== 0;
    const op = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    let len = b[1]! & 0x7f;
    let offset = 2;
    if (len === 126) {
      if (b.length < 4) return null;
      len = b.readUInt16BE(2);
      offset = 4;
    } else if (len === 127) {
      if (b.length < 10) return null;
      len = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    if (!masked || len > MAX_MESSAGE) {
      this.close(1002, masked ? 'message too big' : 'client frames must be masked');
      return null;
    }
    if (b.length < offset + 4 + len) return null;
    const mask = b.subarray(offset, offset + 4);
    const payload = Buffer.from(b.subarray(offset + 4, offset + 4 + len));
    for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
    this.buffer = b.subarray(offset + 4 + len);
    return { fin, op, payload };
  }

  private onFrame(fin: boolean, op: number, payload: Buffer): void {
    switch (op) {
      case Op.Ping:
        this.socket.write(encodeFrame(Op.Pong, payload));
        return;
      case Op.Pong:
        return;
      case Op.Close:
        this.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
        return;
      case Op.Text:
      case Op.Continuation:
        this.fragments.push(payload);
        if (!fin) return;
        {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          for (const l of this.messageListeners) l(text);
        }
        return;
      default:
        this.close(1003, 'only text messages are supported');
    }
  }
}
