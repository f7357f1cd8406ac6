/**
 * Little helpers to write and read the TDS wire format. TDS is little-endian
 * except for the packet header and the PRELOGIN option table, which say so.
 */

/** A growable buffer that token writers append to; grows by doubling so a 300k-row stream does few copies. */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initial = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeUInt16LE(v, this.pos);
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeUInt32LE(v >>> 0, this.pos);
    return this;
  }

  i16(v: number): this {
    this.ensure(2);
    this.pos = this.buf.writeInt16LE(v, this.pos);
    return this;
  }

  i32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeInt32LE(v, this.pos);
    return this;
  }

  u32be(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeUInt32BE(v >>> 0, this.pos);
    return this;
  }

  i64(v: bigint): this {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64LE(v, this.pos);
    return this;
  }

  u64(v: bigint): this {
    this.ensure(8);
    this.pos = this.buf.writeBigUInt64LE(v, this.pos);
    return this;
  }

  f64(v: number): this {
    this.ensure(8);
    this.pos = this.buf.writeDoubleLE(v, this.pos);
    return this;
  }

  f32(v: number): this {
    this.ensure(4);
    this.pos = this.buf.writeFloatLE(v, this.pos);
    return this;
  }

  /** An unsigned integer of 3, 4 or 5 bytes (datetime2 time and date parts). */
  uintN(v: number, bytes: number): this {
    this.ensure(bytes);
    this.pos = this.buf.writeUIntLE(v, this.pos, bytes);
    return this;
  }

  bytes(b: Buffer): this {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }

  /** UTF-16LE text without a length. */
  ucs2(s: string): this {
    this.ensure(s.length * 2);
    this.pos += this.buf.write(s, this.pos, 'utf16le');
    return this;
  }

  /** B_VARCHAR: a one-byte character count, then UTF-16LE. */
  bVarchar(s: string): this {
    return this.u8(s.length).ucs2(s);
  }

  /** US_VARCHAR: a two-byte character count, then UTF-16LE. */
  usVarchar(s: string): this {
    return this.u16(s.length).ucs2(s);
  }

  /** Overwrites a 16-bit length written earlier (token lengths are only known after the body). */
  patchU16(at: number, v: number): void {
    this.buf.writeUInt16LE(v, at);
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Drops the first `n` bytes (sent already), keeping the rest at the start. */
  consume(n: number): void {
    this.buf.copy(this.buf, 0, n, this.pos);
    this.pos -= n;
  }
}

/** Reads a request payload; every read is bounds-checked so a malformed request fails as one error. */
export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error(`TDS payload too short: wanted ${n} bytes at ${this.pos} of ${this.buf.length}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  f32(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  uintN(bytes: number): number {
    this.need(bytes);
    const v = this.buf.readUIntLE(this.pos, bytes);
    this.pos += bytes;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  ucs2(chars: number): string {
    return this.bytes(chars * 2).toString('utf16le');
  }

  bVarchar(): string {
    return this.ucs2(this.u8());
  }
}
