import { ByteWriter } from './bytes.js';

/** MS-TDS 2.2.3.1.1 packet types this server reads or writes. */
export const PacketType = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

/** MS-TDS 2.2.3.1.2 status bits. */
export const PacketStatus = {
  EOM: 0x01,
  IGNORE: 0x02,
  RESET_CONNECTION: 0x08,
  RESET_CONNECTION_SKIP_TRAN: 0x10,
} as const;

export const HEADER_LENGTH = 8;
/** What clients start with before LOGIN7 negotiates a size (tedious and SqlClient both use 4096). */
export const DEFAULT_PACKET_SIZE = 4096;

/** One client message: the payloads of its packets joined, up to and including the EOM packet. */
export interface TdsMessage {
  type: number;
  payload: Buffer;
  /** The client gave up on the request while sending it (IGNORE + EOM): answer with a lone DONE. */
  ignored: boolean;
  resetConnection: boolean;
}

/**
 * Splits a byte stream into TDS packets and packets into messages. Bytes may
 * arrive in any chunking (TCP, or decrypted TLS records).
 */
export class PacketReader {
  private pending: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private messageType = -1;

  constructor(private readonly onMessage: (m: TdsMessage) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= HEADER_LENGTH) {
      const length = this.pending.readUInt16BE(2);
      if (length < HEADER_LENGTH) throw new Error(`TDS packet with impossible length ${length}`);
      if (this.pending.length < length) return;
      const type = this.pending[0]!;
      const status = this.pending[1]!;
      this.parts.push(this.pending.subarray(HEADER_LENGTH, length));
      this.pending = this.pending.subarray(length);
      if (this.messageType === -1) this.messageType = type;
      if (status & PacketStatus.EOM) {
        const payload = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
        const message: TdsMessage = {
          type: this.messageType,
          payload,
          ignored: (status & PacketStatus.IGNORE) !== 0,
          resetConnection: (status & (PacketStatus.RESET_CONNECTION | PacketStatus.RESET_CONNECTION_SKIP_TRAN)) !== 0,
        };
        this.parts = [];
        this.messageType = -1;
        this.onMessage(message);
      }
    }
  }

  /** Bytes received but not yet a whole packet (must be none when TLS is switched on or off). */
  get buffered(): number {
    return this.pending.length;
  }
}

/** Where framed packets go: the socket, or the cleartext side of TLS. `false` means "wait for drain". */
export interface PacketSink {
  write(bytes: Buffer): boolean;
}

export interface FramingStats {
  packets: number;
  largestPacket: number;
}

/**
 * Frames one server message (a token stream) into packets no larger than the
 * negotiated packet size. Tokens are appended to `body`; `flush()` sends every
 * whole packet so far, so a long result streams packet by packet.
 */
export class MessageWriter {
  readonly body = new ByteWriter();
  private packetId = 1;

  constructor(
    private readonly sink: PacketSink,
    private readonly packetSize: number,
    private readonly stats: FramingStats,
    private readonly spid: number,
    private readonly type: number = PacketType.TABULAR_RESULT,
  ) {}

  /** Bytes appended but not yet sent. */
  get unsent(): number {
    return this.body.pos;
  }

  /**
   * Sends the whole packets (all of it, ending with EOM, when `final`).
   * Returns what the sink returned: false when the peer is not keeping up.
   */
  flush(final = false): boolean {
    const room = this.packetSize - HEADER_LENGTH;
    const data = this.body.view();
    const frames: Array<[number, number, boolean]> = [];
    let offset = 0;
    // Holding back the last (possibly full) packet until more comes keeps EOM on a packet with data.
    while (data.length - offset > room) {
      frames.push([offset, room, false]);
      offset += room;
    }
    if (final) {
      frames.push([offset, data.length - offset, true]);
      offset = data.length;
    }
    if (frames.length === 0) return true;
    const out = Buffer.allocUnsafe(frames.reduce((n, [, len]) => n + len + HEADER_LENGTH, 0));
    let at = 0;
    for (const [start, len, last] of frames) {
      out[at] = this.type;
      out[at + 1] = last ? PacketStatus.EOM : 0;
      out.writeUInt16BE(len + HEADER_LENGTH, at + 2);
      out.writeUInt16BE(this.spid, at + 4);
      out[at + 6] = this.packetId;
      out[at + 7] = 0;
      this.packetId = (this.packetId + 1) % 256;
      data.copy(out, at + HEADER_LENGTH, start, start + len);
      at += len + HEADER_LENGTH;
      this.stats.packets++;
      this.stats.largestPacket = Math.max(this.stats.largestPacket, len + HEADER_LENGTH);
    }
    this.body.consume(offset);
    return this.sink.write(out);
  }
}

/** A whole message in one go (PRELOGIN answers, TLS handshake flights, login replies). */
export function sendMessage(sink: PacketSink, type: number, payload: Buffer, packetSize: number, stats: FramingStats, spid: number): boolean {
  const w = new MessageWriter(sink, packetSize, stats, spid, type);
  w.body.bytes(payload);
  return w.flush(true);
}
