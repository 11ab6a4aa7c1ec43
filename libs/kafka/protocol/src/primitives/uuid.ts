// Kafka UUIDs (topic ids, KIP-516) travel as 16 raw bytes. In memory we keep the canonical
// lower-case 8-4-4-4-12 text form: it is comparable with ===, usable as a Map key and readable in
// logs. Kafka's own zero UUID means "no id".
import { ProtocolEncodeError } from './errors';

export type Uuid = string;

export const ZERO_UUID: Uuid = '00000000-0000-0000-0000-000000000000';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): value is Uuid {
  return UUID_PATTERN.test(value);
}

/** Formats 16 bytes at `offset` of `buf` (the caller has checked the bounds). */
export function uuidFromBytes(buf: Uint8Array, offset: number): Uuid {
  const hex = Buffer.from(buf.buffer, buf.byteOffset + offset, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Writes the 16 bytes of `uuid` into `buf` at `offset`. */
export function uuidToBytes(uuid: Uuid, buf: Buffer, offset: number): void {
  if (!UUID_PATTERN.test(uuid)) {
    throw new ProtocolEncodeError('invalid_value', `not a canonical lower-case UUID: ${JSON.stringify(uuid)}`);
  }
  buf.write(uuid.replace(/-/g, ''), offset, 16, 'hex');
}
