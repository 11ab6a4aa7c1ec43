// Entry points shared by every generated message codec.
import { ProtocolDecodeError, ProtocolEncodeError, Reader, type UnknownTaggedField, type Writer } from '@stratus/kafka-protocol';

/** Versions a message supports, and the first flexible one (KIP-482), or null. */
export interface MessageVersions {
  readonly min: number;
  readonly max: number;
  readonly flexibleMin: number | null;
}

export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);
export const NO_TAGGED_FIELDS: readonly UnknownTaggedField[] = [];

function supports(version: number, versions: MessageVersions): boolean {
  return Number.isInteger(version) && version >= versions.min && version <= versions.max;
}

/**
 * Runs a generated struct reader. From a Buffer, the buffer must hold exactly one message
 * (trailing bytes are an error); from a Reader, the reader is left after the message.
 */
export function decodeMessage<T>(
  input: Reader | Buffer,
  version: number,
  versions: MessageVersions,
  read: (r: Reader, version: number) => T,
): T {
  if (!supports(version, versions)) {
    throw new ProtocolDecodeError('unsupported_version', input instanceof Reader ? input.offset : 0, `version ${version}`);
  }
  if (input instanceof Reader) return read(input, version);
  const r = new Reader(input);
  const message = read(r, version);
  r.expectEnd();
  return message;
}

export function checkEncodeVersion(name: string, version: number, versions: MessageVersions): void {
  if (!supports(version, versions)) {
    throw new ProtocolEncodeError('unsupported_version', `${name} has no version ${version} (${versions.min}-${versions.max})`);
  }
}

/** Narrows away null where the version being encoded does not allow it. */
export function nonNull<T>(value: T | null, field: string): T {
  if (value === null) throw new ProtocolEncodeError('invalid_value', `${field} is null but not nullable in this version`);
  return value;
}

/**
 * Writes the preserved unknown tagged fields whose tag is below `tag`, starting at index `from`;
 * returns the next index. Keeps the ascending tag order KIP-482 requires when known and unknown
 * fields are merged.
 */
export function writeUnknownTaggedFieldsBefore(
  w: Writer,
  unknown: readonly UnknownTaggedField[],
  from: number,
  tag: number,
): number {
  let i = from;
  while (i < unknown.length && (unknown[i] as UnknownTaggedField).tag < tag) w.writeUnknownTaggedField(unknown[i++] as UnknownTaggedField);
  return i;
}
