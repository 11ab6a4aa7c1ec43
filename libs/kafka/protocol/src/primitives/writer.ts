// The fill pass of size-then-fill encoding: a Writer wraps a buffer allocated once with the exact
// size the encoder computed. Writing past the end is an encoder bug (its size computation and its
// fill disagree) and surfaces as ProtocolEncodeError('size_mismatch'), never as a silent overrun.
import { ProtocolEncodeError } from './errors';
import { utf8Length, type UnknownTaggedField } from './sizes';
import { uuidToBytes, type Uuid } from './uuid';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export class Writer {
  /** The buffer being filled; callers only read it (a GatherWriter moves on to a new one when it is full). */
  buf: Buffer;
  offset: number;

  constructor(buf: Buffer, offset = 0) {
    this.buf = buf;
    this.offset = offset;
  }

  /** Allocates exactly `size` bytes (uninitialised: every byte is overwritten by the fill pass). */
  static alloc(size: number): Writer {
    return new Writer(Buffer.allocUnsafe(size));
  }

  /**
   * Claims `n` bytes and returns where they start in `buf`. Every write calls this before it reads
   * `buf`: a GatherWriter may move to a new buffer here.
   */
  protected reserve(n: number): number {
    const at = this.offset;
    if (at + n > this.buf.length) {
      throw new ProtocolEncodeError('size_mismatch', `write of ${n} bytes at ${at} exceeds buffer of ${this.buf.length}`);
    }
    this.offset = at + n;
    return at;
  }

  /** Asserts the fill pass ended exactly where the size pass said; returns the buffer. */
  finish(): Buffer {
    if (this.offset !== this.buf.length) {
      throw new ProtocolEncodeError('size_mismatch', `wrote ${this.offset} bytes, computed ${this.buf.length}`);
    }
    return this.buf;
  }

  writeBool(value: boolean): void {
    const at = this.reserve(1);
    this.buf[at] = value ? 1 : 0;
  }

  writeInt8(value: number): void {
    const v = checkInt(value, -0x80, 0x7f, 'int8');
    const at = this.reserve(1);
    this.buf.writeInt8(v, at);
  }

  writeInt16(value: number): void {
    const v = checkInt(value, -0x8000, 0x7fff, 'int16');
    const at = this.reserve(2);
    this.buf.writeInt16BE(v, at);
  }

  writeUInt16(value: number): void {
    const v = checkInt(value, 0, 0xffff, 'uint16');
    const at = this.reserve(2);
    this.buf.writeUInt16BE(v, at);
  }

  writeInt32(value: number): void {
    const v = checkInt(value, -0x80000000, 0x7fffffff, 'int32');
    const at = this.reserve(4);
    this.buf.writeInt32BE(v, at);
  }

  writeUInt32(value: number): void {
    const v = checkInt(value, 0, 0xffffffff, 'uint32');
    const at = this.reserve(4);
    this.buf.writeUInt32BE(v, at);
  }

  writeInt64(value: bigint): void {
    if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
      throw new ProtocolEncodeError('invalid_value', `not an int64: ${String(value)}`);
    }
    const at = this.reserve(8);
    this.buf.writeBigInt64BE(value, at);
  }

  writeFloat64(value: number): void {
    const at = this.reserve(8);
    this.buf.writeDoubleBE(value, at);
  }

  writeUuid(value: Uuid): void {
    const at = this.reserve(16);
    uuidToBytes(value, this.buf, at);
  }

  writeUnsignedVarint(value: number): void {
    let v = checkInt(value, 0, 0xffffffff, 'unsigned varint');
    while (v >= 0x80) {
      const at = this.reserve(1);
      this.buf[at] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    const at = this.reserve(1);
    this.buf[at] = v;
  }

  /** Zig-zag int32 varint. */
  writeVarint(value: number): void {
    const v = checkInt(value, -0x80000000, 0x7fffffff, 'varint');
    this.writeUnsignedVarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zig-zag int64 varlong. */
  writeVarlong(value: bigint): void {
    if (value < INT64_MIN || value > INT64_MAX) {
      throw new ProtocolEncodeError('invalid_value', `not an int64: ${String(value)}`);
    }
    let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    while (v >= 0x80n) {
      const at = this.reserve(1);
      this.buf[at] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    const at = this.reserve(1);
    this.buf[at] = Number(v);
  }

  writeRaw(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buf.set(bytes, at);
  }

  private writeUtf8(value: string, len: number): void {
    const at = this.reserve(len);
    this.buf.write(value, at, len, 'utf8');
  }

  writeString(value: string): void {
    const len = utf8Length(value);
    this.writeInt16(len);
    this.writeUtf8(value, len);
  }

  writeNullableString(value: string | null): void {
    if (value === null) this.writeInt16(-1);
    else this.writeString(value);
  }

  writeCompactString(value: string): void {
    const len = utf8Length(value);
    // Kafka strings hold at most 32767 UTF-8 bytes in either encoding; readers reject longer ones.
    if (len > 0x7fff) throw new ProtocolEncodeError('invalid_value', `string of ${len} bytes exceeds 32767`);
    this.writeUnsignedVarint(len + 1);
    this.writeUtf8(value, len);
  }

  writeCompactNullableString(value: string | null): void {
    if (value === null) this.writeUnsignedVarint(0);
    else this.writeCompactString(value);
  }

  writeBytes(value: Uint8Array): void {
    this.writeInt32(value.length);
    this.writeRaw(value);
  }

  writeNullableBytes(value: Uint8Array | null): void {
    if (value === null) this.writeInt32(-1);
    else this.writeBytes(value);
  }

  writeCompactBytes(value: Uint8Array): void {
    this.writeUnsignedVarint(value.length + 1);
    this.writeRaw(value);
  }

  writeCompactNullableBytes(value: Uint8Array | null): void {
    if (value === null) this.writeUnsignedVarint(0);
    else this.writeCompactBytes(value);
  }

  /** Classic array count (-1 for null). */
  writeArrayLength(count: number | null): void {
    this.writeInt32(count === null ? -1 : count);
  }

  /** Compact array count: count+1, 0 for null (KIP-482). */
  writeCompactArrayLength(count: number | null): void {
    this.writeUnsignedVarint(count === null ? 0 : count + 1);
  }

  /** Header of one tagged field; the caller writes exactly `dataSize` bytes next. */
  writeTaggedFieldHeader(tag: number, dataSize: number): void {
    this.writeUnsignedVarint(tag);
    this.writeUnsignedVarint(dataSize);
  }

  writeUnknownTaggedField(field: UnknownTaggedField): void {
    this.writeTaggedFieldHeader(field.tag, field.data.length);
    this.writeRaw(field.data);
  }
}

function checkInt(value: number, min: number, max: number, type: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ProtocolEncodeError('invalid_value', `not a ${type}: ${String(value)}`);
  }
  return value;
}
