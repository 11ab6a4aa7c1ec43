// Size computation for the first pass of size-then-fill encoding: every encoder computes the
// exact byte length of a message first and allocates one buffer of that size.

/** Bytes of an unsigned LEB128 varint holding a uint32. */
export function sizeOfUnsignedVarint(value: number): number {
  let v = value >>> 0;
  let bytes = 1;
  while (v >= 0x80) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

/** Bytes of a zig-zag varint holding an int32 (record headers, KIP-98 record format). */
export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
}

/** Bytes of a zig-zag varlong holding an int64. */
export function sizeOfVarlong(value: bigint): number {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  let bytes = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    bytes++;
  }
  return bytes;
}

/** UTF-8 byte length of a string. */
export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** Classic string: int16 length + bytes (null is length -1). */
export function sizeOfString(value: string | null): number {
  return value === null ? 2 : 2 + utf8Length(value);
}

/** Compact string (KIP-482): unsigned varint length+1 (0 is null) + bytes. */
export function sizeOfCompactString(value: string | null): number {
  if (value === null) return 1;
  const len = utf8Length(value);
  return sizeOfUnsignedVarint(len + 1) + len;
}

/** Classic bytes: int32 length + bytes (null is length -1). */
export function sizeOfBytes(value: Uint8Array | null): number {
  return value === null ? 4 : 4 + value.length;
}

/** Compact bytes: unsigned varint length+1 (0 is null) + bytes. */
export function sizeOfCompactBytes(value: Uint8Array | null): number {
  if (value === null) return 1;
  return sizeOfUnsignedVarint(value.length + 1) + value.length;
}

/** Classic array header: int32 count (-1 is null). */
export function sizeOfArrayLength(): number {
  return 4;
}

/** Compact array header: unsigned varint count+1 (0 is null). */
export function sizeOfCompactArrayLength(count: number | null): number {
  return count === null ? 1 : sizeOfUnsignedVarint(count + 1);
}

/** A tagged field (KIP-482) on the wire: tag, size, then `dataSize` bytes of value. */
export function sizeOfTaggedField(tag: number, dataSize: number): number {
  return sizeOfUnsignedVarint(tag) + sizeOfUnsignedVarint(dataSize) + dataSize;
}

/** A field the decoder did not know, kept verbatim so a round trip does not drop it. */
export interface UnknownTaggedField {
  readonly tag: number;
  readonly data: Buffer;
}

/** Size of unknown tagged fields alone (their count is counted by the caller). */
export function sizeOfUnknownTaggedFields(fields: readonly UnknownTaggedField[] | undefined): number {
  if (fields === undefined) return 0;
  let size = 0;
  for (const field of fields) size += sizeOfTaggedField(field.tag, field.data.length);
  return size;
}
