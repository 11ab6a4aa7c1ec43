// The protobuf writer every generated contract encodes with (generate.mjs points the generated
// files' `BinaryWriter` import here). It has the method set of @bufbuild/protobuf's BinaryWriter
// and writes the same bytes, but never copies a `bytes` field's payload before `finish()`.
//
// Why: the stock writer grows one buffer by doubling (each growth copies everything written so
// far), moves a nested message's contents with `copyWithin` at every `join()` whose length prefix
// needs more than one byte, slices in `finish()`, and the grpc-js serializer then copies the
// result into a Buffer once more. A Produce request's record batches sit two levels deep, so each
// record byte was copied five to seven times per gRPC hop; profiles of the router and broker at
// max rate put that writer at ~12% of CPU plus the garbage it leaves (docs/performance.md).
//
// This writer keeps an ordered list of parts instead: scalars go into a small scratch buffer,
// large `bytes`/`raw` chunks are referenced as they are, `fork()` reserves a slot for the length
// prefix and `join()` fills it with the nested message's length (a varint of its own part).
// `finish()` copies every part once into a single Buffer of the exact size.
import { protoInt64 } from '@bufbuild/protobuf';

/** Chunks up to this size are copied into the scratch buffer; larger ones are referenced. */
const COPY_THRESHOLD = 512;
/** First scratch buffer: small enough for Buffer's pool, so small messages cost one slice. */
const INITIAL_SCRATCH = 256;
const MAX_SCRATCH = 64 * 1024;
const EMPTY = Buffer.alloc(0);

const UINT32_MAX = 0xffffffff;
const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;
const FLOAT32_MAX = 3.4028234663852886e38;

interface Fork {
  /** Index in `parts` of the slot that will hold the nested message's length prefix. */
  readonly slot: number;
  /** `length` when the fork was taken. */
  readonly lengthAtFork: number;
}

export class BinaryWriter {
  private parts: Uint8Array[] = [];
  private scratch: Buffer = EMPTY;
  /** Start of the scratch bytes not yet handed to `parts`. */
  private pieceStart = 0;
  private pos = 0;
  /** Bytes written so far, in parts and the open scratch piece. */
  private length = 0;
  private forks: Fork[] = [];

  /** Returns all bytes written, as one Buffer, and resets the writer. */
  finish(): Buffer {
    this.closePiece();
    const result = Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.forks = [];
    this.length = 0;
    // The scratch bytes already handed out were copied into `result`, so the rest of the scratch
    // buffer may be reused.
    this.pos = this.pieceStart = 0;
    return result;
  }

  /** Starts a length-delimited nested message; `join()` ends it. */
  fork(): this {
    this.closePiece();
    this.forks.push({ slot: this.parts.length, lengthAtFork: this.length });
    this.parts.push(EMPTY);
    return this;
  }

  /** Ends the nested message begun by the matching `fork()`, writing its length before it. */
  join(): this {
    const fork = this.forks.pop();
    if (fork === undefined) throw new Error('invalid state, fork stack empty');
    this.closePiece();
    const nestedLength = this.length - fork.lengthAtFork;
    this.ensureScratch(5);
    const start = this.pos;
    this.writeVarint32(nestedLength);
    this.parts[fork.slot] = this.scratch.subarray(start, this.pos);
    this.pieceStart = this.pos;
    return this;
  }

  tag(fieldNo: number, type: number): this {
    return this.uint32(((fieldNo << 3) | type) >>> 0);
  }

  raw(chunk: Uint8Array): this {
    const size = chunk.byteLength;
    if (size <= COPY_THRESHOLD) {
      this.ensureScratch(size);
      this.scratch.set(chunk, this.pos);
      this.pos += size;
      this.length += size;
      return this;
    }
    // Referenced, not copied: the caller must not change the chunk before finish() (the
    // generated encoders pass message fields, which nobody mutates while a request is encoded).
    this.closePiece();
    this.parts.push(chunk);
    this.length += size;
    return this;
  }

  uint32(value: number): this {
    assertUInt32(value);
    this.ensureScratch(5);
    this.writeVarint32(value);
    return this;
  }

  int32(value: number): this {
    assertInt32(value);
    if (value >= 0) return this.uint32(value);
    // Negative int32 values are sign-extended to 64 bits: always ten bytes (protobuf encoding).
    this.ensureScratch(10);
    const buf = this.scratch;
    let v = value;
    for (let i = 0; i < 9; i++) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>= 7;
    }
    buf[this.pos++] = 1;
    this.length += 10;
    return this;
  }

  bool(value: boolean): this {
    this.ensureScratch(1);
    this.scratch[this.pos++] = value ? 1 : 0;
    this.length += 1;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.uint32(value.byteLength);
    return this.raw(value);
  }

  string(value: string): this {
    const text = typeof value === 'string' ? value : String(value);
    const size = Buffer.byteLength(text, 'utf8');
    this.uint32(size);
    if (size > COPY_THRESHOLD) return this.raw(Buffer.from(text, 'utf8'));
    this.ensureScratch(size);
    this.pos += this.scratch.write(text, this.pos, 'utf8');
    this.length += size;
    return this;
  }

  float(value: number): this {
    assertFloat32(value);
    this.ensureScratch(4);
    this.pos = this.scratch.writeFloatLE(value, this.pos);
    this.length += 4;
    return this;
  }

  double(value: number): this {
    this.ensureScratch(8);
    this.pos = this.scratch.writeDoubleLE(value, this.pos);
    this.length += 8;
    return this;
  }

  fixed32(value: number): this {
    assertUInt32(value);
    this.ensureScratch(4);
    this.pos = this.scratch.writeUInt32LE(value, this.pos);
    this.length += 4;
    return this;
  }

  sfixed32(value: number): this {
    assertInt32(value);
    this.ensureScratch(4);
    this.pos = this.scratch.writeInt32LE(value, this.pos);
    this.length += 4;
    return this;
  }

  sint32(value: number): this {
    assertInt32(value);
    return this.uint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  sfixed64(value: string | number | bigint): this {
    const tc = protoInt64.enc(value);
    return this.fixed64Parts(tc.lo, tc.hi);
  }

  fixed64(value: string | number | bigint): this {
    const tc = protoInt64.uEnc(value);
    return this.fixed64Parts(tc.lo, tc.hi);
  }

  int64(value: string | number | bigint): this {
    // Offsets, epochs and ids are small non-negative bigints almost always: one varint32 then.
    if (typeof value === 'bigint' && value >= 0n && value <= 0xffffffffn) return this.uint32(Number(value));
    const tc = protoInt64.enc(value);
    return this.varint64(tc.lo, tc.hi);
  }

  sint64(value: string | number | bigint): this {
    const tc = protoInt64.enc(value);
    const sign = tc.hi >> 31;
    const lo = (tc.lo << 1) ^ sign;
    const hi = ((tc.hi << 1) | (tc.lo >>> 31)) ^ sign;
    return this.varint64(lo, hi);
  }

  uint64(value: string | number | bigint): this {
    if (typeof value === 'bigint' && value >= 0n && value <= 0xffffffffn) return this.uint32(Number(value));
    const tc = protoInt64.uEnc(value);
    return this.varint64(tc.lo, tc.hi);
  }

  private fixed64Parts(lo: number, hi: number): this {
    this.ensureScratch(8);
    this.pos = this.scratch.writeInt32LE(lo, this.pos);
    this.pos = this.scratch.writeInt32LE(hi, this.pos);
    this.length += 8;
    return this;
  }

  /** Writes the 64-bit two's complement value (lo, hi) as a varint of up to ten bytes. */
  private varint64(lo: number, hi: number): this {
    this.ensureScratch(10);
    const buf = this.scratch;
    const start = this.pos;
    let low = lo >>> 0;
    let high = hi >>> 0;
    while (high > 0 || low > 0x7f) {
      buf[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.pos++] = low;
    this.length += this.pos - start;
    return this;
  }

  /** Writes an unsigned 32-bit varint; the caller ensured five bytes of scratch. */
  private writeVarint32(value: number): void {
    const buf = this.scratch;
    const start = this.pos;
    let v = value >>> 0;
    while (v > 0x7f) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
    this.length += this.pos - start;
  }

  /** Hands the scratch bytes written since the last part to `parts`. */
  private closePiece(): void {
    if (this.pos > this.pieceStart) {
      this.parts.push(this.scratch.subarray(this.pieceStart, this.pos));
      this.pieceStart = this.pos;
    }
  }

  /**
   * Makes room for `size` more scratch bytes. A full scratch buffer is closed and a larger one
   * started; parts already cut from the old one stay valid because it is never written again.
   */
  private ensureScratch(size: number): void {
    if (this.pos + size <= this.scratch.length) return;
    this.closePiece();
    const next = Math.min(MAX_SCRATCH, Math.max(INITIAL_SCRATCH, this.scratch.length * 2));
    this.scratch = Buffer.allocUnsafe(Math.max(next, size));
    this.pos = this.pieceStart = 0;
  }
}

function assertUInt32(value: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value > UINT32_MAX || value < 0) {
    throw new Error(`invalid uint32: ${String(value)}`);
  }
}

function assertInt32(value: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value > INT32_MAX || value < INT32_MIN) {
    throw new Error(`invalid int32: ${String(value)}`);
  }
}

function assertFloat32(value: number): void {
  if (typeof value !== 'number') throw new Error(`invalid float32: ${typeof value}`);
  if (Number.isFinite(value) && (value > FLOAT32_MAX || value < -FLOAT32_MAX)) throw new Error(`invalid float32: ${value}`);
}
