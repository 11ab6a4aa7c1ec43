// Bounds-checked reading of Kafka's primitive types from one Buffer.
//
// Every failure is a ProtocolDecodeError (a single typed class), thrown at the first problem, so a
// generated decoder needs no checks of its own and a caller catches exactly one class (see
// tryDecode). Lengths are validated against the bytes that remain BEFORE anything is allocated:
// a frame that declares a 2-billion-element array costs nothing. Byte fields are zero-copy
// `subarray` views into the frame (record batches stay opaque and are never copied).
import { ProtocolDecodeError, type DecodeFailureKind } from './errors';
import type { UnknownTaggedField } from './sizes';
import { uuidFromBytes, type Uuid } from './uuid';

export class Reader {
  readonly buf: Buffer;
  offset: number;
  /** Exclusive end of the readable region (a reader may cover part of a larger buffer). */
  readonly end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  fail(kind: DecodeFailureKind, detail: string): never {
    throw new ProtocolDecodeError(kind, this.offset, detail);
  }

  /** Advances past `n` bytes and returns where they start. */
  private take(n: number, what: string): number {
    const at = this.offset;
    if (n > this.end - at) this.fail('truncated', `${what} needs ${n} bytes, ${this.end - at} left`);
    this.offset = at + n;
    return at;
  }

  /** Fails unless the whole region was consumed (a frame must hold exactly one message). */
  expectEnd(): void {
    if (this.offset !== this.end) this.fail('trailing_bytes', `${this.end - this.offset} bytes after the message`);
  }

  readBool(): boolean {
    return this.buf[this.take(1, 'bool')] !== 0;
  }

  readInt8(): number {
    return this.buf.readInt8(this.take(1, 'int8'));
  }

  readInt16(): number {
    return this.buf.readInt16BE(this.take(2, 'int16'));
  }

  readUInt16(): number {
    return this.buf.readUInt16BE(this.take(2, 'uint16'));
  }

  readInt32(): number {
    return this.buf.readInt32BE(this.take(4, 'int32'));
  }

  readUInt32(): number {
    return this.buf.readUInt32BE(this.take(4, 'uint32'));
  }

  readInt64(): bigint {
    return this.buf.readBigInt64BE(this.take(8, 'int64'));
  }

  readFloat64(): number {
    return this.buf.readDoubleBE(this.take(8, 'float64'));
  }

  readUuid(): Uuid {
    return uuidFromBytes(this.buf, this.take(16, 'uuid'));
  }

  /** Unsigned LEB128 varint of at most 5 bytes (a uint32). */
  readUnsignedVarint(): number {
    const at = this.offset;
    // Fast path: lengths, counts and tag counts of flexible versions are almost always < 128.
    if (at < this.end) {
      const first = this.buf[at] as number;
      if (first < 0x80) {
        this.offset = at + 1;
        return first;
      }
    }
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.buf[this.take(1, 'varint')] as number;
      if (i === 4 && b > 0x0f) this.fail('invalid_varint', 'unsigned varint exceeds 32 bits');
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    return this.fail('invalid_varint', 'unsigned varint longer than 5 bytes');
  }

  /** Zig-zag int32 varint. */
  readVarint(): number {
    const u = this.readUnsignedVarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag int64 varlong of at most 10 bytes. */
  readVarlong(): bigint {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.take(1, 'varlong')] as number;
      if (i === 9 && b > 0x01) this.fail('invalid_varint', 'varlong exceeds 64 bits');
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return BigInt.asIntN(64, (value >> 1n) ^ -(value & 1n));
    }
    return this.fail('invalid_varint', 'varlong longer than 10 bytes');
  }

  private utf8(len: number): string {
    const at = this.take(len, 'string');
    return this.buf.toString('utf8', at, at + len);
  }

  /** int16-length string; length -1 is null. */
  readNullableString(): string | null {
    const len = this.readInt16();
    if (len === -1) return null;
    if (len < 0) this.fail('invalid_length', `string length ${len}`);
    return this.utf8(len);
  }

  readString(): string {
    const value = this.readNullableString();
    return value === null ? this.fail('invalid_value', 'null in a non-nullable string') : value;
  }

  readCompactNullableString(): string | null {
    const lenPlusOne = this.readUnsignedVarint();
    if (lenPlusOne === 0) return null;
    if (lenPlusOne - 1 > 0x7fff) this.fail('invalid_length', `compact string length ${lenPlusOne - 1}`);
    return this.utf8(lenPlusOne - 1);
  }

  readCompactString(): string {
    const value = this.readCompactNullableString();
    return value === null ? this.fail('invalid_value', 'null in a non-nullable compact string') : value;
  }

  /** A view of the next `len` bytes (no copy). */
  readRaw(len: number): Buffer {
    const at = this.take(len, 'bytes');
    return this.buf.subarray(at, at + len);
  }

  readNullableBytes(): Buffer | null {
    const len = this.readInt32();
    if (len === -1) return null;
    if (len < 0) this.fail('invalid_length', `bytes length ${len}`);
    return this.readRaw(len);
  }

  readBytes(): Buffer {
    const value = this.readNullableBytes();
    return value === null ? this.fail('invalid_value', 'null in non-nullable bytes') : value;
  }

  readCompactNullableBytes(): Buffer | null {
    const lenPlusOne = this.readUnsignedVarint();
    if (lenPlusOne === 0) return null;
    return this.readRaw(lenPlusOne - 1);
  }

  readCompactBytes(): Buffer {
    const value = this.readCompactNullableBytes();
    return value === null ? this.fail('invalid_value', 'null in non-nullable compact bytes') : value;
  }

  /**
   * Classic array count; -1 means null. The count is checked against the remaining bytes
   * (each element takes at least `minElementSize` bytes) before the caller allocates anything.
   */
  readArrayLength(minElementSize = 1): number {
    const count = this.readInt32();
    if (count === -1) return -1;
    return this.checkCount(count, minElementSize);
  }

  /** Compact array count (KIP-482: count+1, 0 is null); -1 means null. */
  readCompactArrayLength(minElementSize = 1): number {
    const countPlusOne = this.readUnsignedVarint();
    if (countPlusOne === 0) return -1;
    return this.checkCount(countPlusOne - 1, minElementSize);
  }

  private checkCount(count: number, minElementSize: number): number {
    if (count < 0) this.fail('invalid_length', `array length ${count}`);
    if (count * Math.max(minElementSize, 1) > this.end - this.offset) {
      this.fail('invalid_length', `array of ${count} elements cannot fit in ${this.end - this.offset} bytes`);
    }
    return count;
  }

  /** Number of tagged fields that follow (KIP-482), bounded by the remaining bytes. */
  readTaggedFieldCount(): number {
    // Each tagged field takes at least 2 bytes (tag and size varints).
    return this.checkCount(this.readUnsignedVarint(), 2);
  }

  /** Size varint of a tagged field, checked against the remaining bytes. */
  readTaggedFieldSize(): number {
    const size = this.readUnsignedVarint();
    if (size > this.end - this.offset) this.fail('invalid_length', `tagged field of ${size} bytes`);
    return size;
  }

  /** Keeps a tagged field this version does not know, as a view of its bytes. */
  readUnknownTaggedField(tag: number, size: number): UnknownTaggedField {
    return { tag, data: this.readRaw(size) };
  }

  /** Fails if a known tagged field's value did not span exactly its declared size. */
  endTaggedField(start: number, size: number, tag: number): void {
    if (this.offset !== start + size) {
      this.fail('invalid_length', `tagged field ${tag} declared ${size} bytes, value used ${this.offset - start}`);
    }
  }
}
