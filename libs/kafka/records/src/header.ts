import { compressionName, isCompressionId, type CompressionName, type TimestampType } from './compression-type';
import { batchError, fail, ok, type BatchResult } from './batch-error';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_MASK,
  CONTROL_BIT,
  CRC_OFFSET,
  DELETE_HORIZON_BIT,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
  TIMESTAMP_TYPE_BIT,
  TRANSACTIONAL_BIT,
} from './layout';

/**
 * A typed, read-only view of the 61-byte header of a batch. Fields are read from the buffer on access,
 * so peeking costs nothing per field that is not used (bigints are only created when asked for).
 */
export class BatchHeaderView {
  constructor(readonly buf: Buffer) {}

  get baseOffset(): bigint {
    return this.buf.readBigInt64BE(BASE_OFFSET_OFFSET);
  }
  /** Bytes following the batchLength field. */
  get batchLength(): number {
    return this.buf.readInt32BE(BATCH_LENGTH_OFFSET);
  }
  /** batchLength + 12: the bytes the whole batch occupies. */
  get totalSize(): number {
    return this.batchLength + LOG_OVERHEAD;
  }
  get partitionLeaderEpoch(): number {
    return this.buf.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET);
  }
  get magic(): number {
    return this.buf.readInt8(MAGIC_OFFSET);
  }
  get crc(): number {
    return this.buf.readUInt32BE(CRC_OFFSET);
  }
  get attributes(): number {
    return this.buf.readUInt16BE(ATTRIBUTES_OFFSET);
  }
  /** Raw codec id (0..7); 5..7 are not defined by Kafka and fail validation. */
  get compressionId(): number {
    return this.attributes & COMPRESSION_MASK;
  }
  get compression(): CompressionName | 'unknown' {
    const id = this.compressionId;
    return isCompressionId(id) ? compressionName(id) : 'unknown';
  }
  get timestampType(): TimestampType {
    return this.attributes & TIMESTAMP_TYPE_BIT ? 'log-append-time' : 'create-time';
  }
  get isTransactional(): boolean {
    return (this.attributes & TRANSACTIONAL_BIT) !== 0;
  }
  get isControl(): boolean {
    return (this.attributes & CONTROL_BIT) !== 0;
  }
  get hasDeleteHorizon(): boolean {
    return (this.attributes & DELETE_HORIZON_BIT) !== 0;
  }
  get lastOffsetDelta(): number {
    return this.buf.readInt32BE(LAST_OFFSET_DELTA_OFFSET);
  }
  /** baseOffset + lastOffsetDelta. */
  get lastOffset(): bigint {
    return this.baseOffset + BigInt(this.lastOffsetDelta);
  }
  get baseTimestamp(): bigint {
    return this.buf.readBigInt64BE(BASE_TIMESTAMP_OFFSET);
  }
  get maxTimestamp(): bigint {
    return this.buf.readBigInt64BE(MAX_TIMESTAMP_OFFSET);
  }
  get producerId(): bigint {
    return this.buf.readBigInt64BE(PRODUCER_ID_OFFSET);
  }
  get producerEpoch(): number {
    return this.buf.readInt16BE(PRODUCER_EPOCH_OFFSET);
  }
  get baseSequence(): number {
    return this.buf.readInt32BE(BASE_SEQUENCE_OFFSET);
  }
  get recordCount(): number {
    return this.buf.readInt32BE(RECORD_COUNT_OFFSET);
  }

  /** A plain snapshot of every field (for logs, tools and tests; not for the hot path). */
  toJSON(): BatchHeaderFields {
    return {
      baseOffset: this.baseOffset,
      batchLength: this.batchLength,
      partitionLeaderEpoch: this.partitionLeaderEpoch,
      magic: this.magic,
      crc: this.crc,
      attributes: this.attributes,
      compression: this.compression,
      timestampType: this.timestampType,
      isTransactional: this.isTransactional,
      isControl: this.isControl,
      hasDeleteHorizon: this.hasDeleteHorizon,
      lastOffsetDelta: this.lastOffsetDelta,
      baseTimestamp: this.baseTimestamp,
      maxTimestamp: this.maxTimestamp,
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: this.baseSequence,
      recordCount: this.recordCount,
    };
  }
}

export interface BatchHeaderFields {
  readonly baseOffset: bigint;
  readonly batchLength: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly compression: CompressionName | 'unknown';
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  readonly hasDeleteHorizon: boolean;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

/**
 * Reads the header of the batch at the start of `buf` without checking anything but that 61 bytes
 * exist. Use `validateBatch` before trusting the fields.
 */
export function peekBatchHeader(buf: Buffer): BatchResult<BatchHeaderView> {
  if (buf.length < BATCH_HEADER_SIZE) {
    return fail(batchError('truncated', `batch header needs ${BATCH_HEADER_SIZE} bytes, got ${buf.length}`));
  }
  return ok(new BatchHeaderView(buf));
}
