import { ErrorCode } from '@stratus/kafka-errors';

/** What is wrong with a batch. Each kind maps to the Kafka error code a producer expects. */
export type RecordBatchErrorKind =
  /** Fewer bytes than the header or than batchLength says. */
  | 'truncated'
  /** batchLength below the header size, or not matching the buffer. */
  | 'invalid_length'
  /** Magic byte other than 2 (older formats are not accepted on this path). */
  | 'unsupported_magic'
  /** Stored CRC-32C differs from the computed one. */
  | 'crc_mismatch'
  /** Compression id 5..7. */
  | 'unknown_compression'
  /** Record count negative, zero for a produce, or not matching lastOffsetDelta. */
  | 'invalid_record_count'
  /** A producer sent a batch whose baseOffset is not 0 (the broker assigns offsets). */
  | 'invalid_base_offset'
  /** A producer sent a control batch; only coordinators write those (KIP-98). */
  | 'control_batch_not_allowed'
  /** Producer id/epoch/sequence combination that cannot be valid (e.g. transactional without id). */
  | 'invalid_producer_fields'
  /** Batch larger than the configured limit (max.message.bytes). */
  | 'batch_too_large'
  /** CreateTime timestamps outside the topic's accepted window (KIP-937). */
  | 'invalid_timestamp'
  /** A record inside the batch does not parse (lengths, varints, count). */
  | 'corrupt_record'
  /** The compressed payload does not decompress. */
  | 'decompression_failed'
  /** A codec needs its asynchronous loader first (zstd: call `loadCodecs()` once at start-up). */
  | 'codec_not_loaded';

const codeOf: Record<RecordBatchErrorKind, ErrorCode> = {
  truncated: ErrorCode.CORRUPT_MESSAGE,
  invalid_length: ErrorCode.CORRUPT_MESSAGE,
  unsupported_magic: ErrorCode.CORRUPT_MESSAGE,
  crc_mismatch: ErrorCode.CORRUPT_MESSAGE,
  unknown_compression: ErrorCode.CORRUPT_MESSAGE,
  // Kafka's log validator raises InvalidRecordException for the offset/count/producer rules below.
  invalid_record_count: ErrorCode.INVALID_RECORD,
  invalid_base_offset: ErrorCode.INVALID_RECORD,
  control_batch_not_allowed: ErrorCode.INVALID_RECORD,
  invalid_producer_fields: ErrorCode.INVALID_RECORD,
  batch_too_large: ErrorCode.MESSAGE_TOO_LARGE,
  invalid_timestamp: ErrorCode.INVALID_TIMESTAMP,
  corrupt_record: ErrorCode.CORRUPT_MESSAGE,
  decompression_failed: ErrorCode.CORRUPT_MESSAGE,
  codec_not_loaded: ErrorCode.UNKNOWN_SERVER_ERROR,
};

/** A batch problem as a value: the kind, the Kafka error code to answer with, and a readable detail. */
export interface RecordBatchError {
  readonly kind: RecordBatchErrorKind;
  readonly code: ErrorCode;
  readonly message: string;
}

export function batchError(kind: RecordBatchErrorKind, message: string): RecordBatchError {
  return { kind, code: codeOf[kind], message };
}

export type BatchResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RecordBatchError };

export const ok = <T>(value: T): BatchResult<T> => ({ ok: true, value });
export const fail = <T>(error: RecordBatchError): BatchResult<T> => ({ ok: false, error });

/**
 * Thrown only by the record iterator (a generator cannot return a value per failure). Carries the
 * error value; `readRecords` turns it back into a result.
 */
export class RecordBatchException extends Error {
  readonly error: RecordBatchError;
  constructor(error: RecordBatchError) {
    super(`${error.kind}: ${error.message}`);
    this.name = 'RecordBatchException';
    this.error = error;
  }
}
