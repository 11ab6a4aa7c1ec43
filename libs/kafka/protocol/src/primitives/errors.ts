// Typed failures of the wire codecs. A decoder never throws anything else on bad input: callers
// (the router's frame handler, fuzz tests) can catch exactly this class and answer with a Kafka
// error or close the connection, while any other exception stays a bug.

/** Why a frame could not be decoded. */
export type DecodeFailureKind =
  /** The frame ended before a value was complete. */
  | 'truncated'
  /** A declared length (string, bytes, array, tagged field) is negative, too large or inconsistent. */
  | 'invalid_length'
  /** A varint ran past its maximum width (5 bytes for 32-bit, 10 bytes for 64-bit). */
  | 'invalid_varint'
  /** A value is outside its domain (e.g. null where the version does not allow it, a bad header). */
  | 'invalid_value'
  /** An API version outside the range a message declares. */
  | 'unsupported_version'
  /** Bytes were left over after a complete message. */
  | 'trailing_bytes';

export class ProtocolDecodeError extends Error {
  override readonly name = 'ProtocolDecodeError';
  constructor(
    readonly kind: DecodeFailureKind,
    /** Byte offset in the buffer being read where the failure was detected. */
    readonly offset: number,
    detail: string,
  ) {
    super(`${kind} at offset ${offset}: ${detail}`);
  }
}

/** Why a message could not be encoded: the value does not fit the wire type or the version. */
export type EncodeFailureKind = 'invalid_value' | 'unsupported_version' | 'size_mismatch';

export class ProtocolEncodeError extends Error {
  override readonly name = 'ProtocolEncodeError';
  constructor(
    readonly kind: EncodeFailureKind,
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

/** Result of a decode that must not throw (framing loops, fuzzing). */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolDecodeError };

/**
 * Runs a decoder and turns its typed failure into a value. Anything other than
 * ProtocolDecodeError is re-thrown: it would be a bug in the codec, not bad input.
 */
export function tryDecode<T>(decode: () => T): DecodeResult<T> {
  try {
    return { ok: true, value: decode() };
  } catch (error: unknown) {
    if (error instanceof ProtocolDecodeError) return { ok: false, error };
    throw error;
  }
}
