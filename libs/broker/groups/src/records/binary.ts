// A tiny length-prefixed binary writer/reader for offsets-topic records. Big-endian like Kafka;
// strings are int16 length + UTF-8 (-1 = null); bytes are int32 length (-1 = null); arrays are
// int32 count. Readers throw RecordFormatError on truncated or inconsistent input: a record that
// does not decode is a storage bug, not a client error.

export class RecordFormatError extends Error {}

export class BinaryWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(b: Uint8Array): this {
    this.chunks.push(b);
    this.size += b.length;
    return this;
  }
  u8(v: number): this {
    return this.push(Uint8Array.of(v & 0xff));
  }
  i16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.push(b);
  }
  i32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.push(b);
  }
  i64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    return this.push(b);
  }
  /** A millisecond timestamp or duration; stored as int64. */
  ms(v: number): this {
    return this.i64(BigInt(v));
  }
  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }
  str(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.i16(-1);
    const b = Buffer.from(v, 'utf8');
    if (b.length > 0x7fff) throw new RecordFormatError('string too long for a record');
    return this.i16(b.length).push(b);
  }
  bytes(v: Uint8Array | null | undefined): this {
    if (v === null || v === undefined) return this.i32(-1);
    return this.i32(v.length).push(v);
  }
  array<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.i32(items.length);
    for (const it of items) each(this, it);
    return this;
  }
  finish(): Uint8Array {
    return Buffer.concat(this.chunks, this.size);
  }
}

export class BinaryReader {
  private pos = 0;
  private readonly buf: Buffer;
  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RecordFormatError('record truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.pos++);
  }
  i16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  ms(): number {
    return Number(this.i64());
  }
  bool(): boolean {
    return this.u8() !== 0;
  }
  strOrNull(): string | null {
    const n = this.i16();
    if (n < -1) throw new RecordFormatError('bad string length');
    if (n === -1) return null;
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  str(): string {
    const s = this.strOrNull();
    if (s === null) throw new RecordFormatError('unexpected null string');
    return s;
  }
  bytesOrNull(): Uint8Array | null {
    const n = this.i32();
    if (n < -1) throw new RecordFormatError('bad bytes length');
    if (n === -1) return null;
    this.need(n);
    const b = Uint8Array.prototype.slice.call(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  bytes(): Uint8Array {
    const b = this.bytesOrNull();
    if (b === null) throw new RecordFormatError('unexpected null bytes');
    return b;
  }
  array<T>(each: (r: this) => T): T[] {
    const n = this.i32();
    if (n < 0 || n > this.buf.length - this.pos) throw new RecordFormatError('bad array length');
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each(this));
    return out;
  }
  end(): void {
    if (this.pos !== this.buf.length) throw new RecordFormatError('trailing bytes in record');
  }
}
