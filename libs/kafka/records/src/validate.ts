import { batchError, fail, ok, type BatchResult } from './batch-error';
import { isCompressionId } from './compression-type';
import { computeBatchCrc } from './crc';
import { BatchHeaderView } from './header';
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
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  MIN_BATCH_LENGTH,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
  TIMESTAMP_TYPE_BIT,
  TRANSACTIONAL_BIT,
} from './layout';

/**
 * The smallest encoded record: length, attributes, timestampDelta, offsetDelta, key length, value
 * length and header count, one byte each. Lets us reject absurd record counts in uncompressed batches
 * without parsing a single record.
 */
const MIN_RECORD_SIZE = 7;

export interface ValidateBatchOptions {
  /**
   * Who wrote the batch. 'producer' (default): it arrived in a Produce request, so Kafka's log-validator
   * rules apply too — baseOffset 0, at least one record, lastOffsetDelta = count - 1, no control batches,
   * consistent producer fields. 'log': it was already appended (replication, tiered reads, fetch
   * responses): structure and CRC only, since compaction can leave gaps and control batches are normal.
   */
  readonly origin?: 'producer' | 'log';
  /** Largest accepted batch in bytes (a topic's max.message.bytes). */
  readonly maxBatchBytes?: number;
  /**
   * CreateTime window (message.timestamp.before.max.ms / after.max.ms, KIP-937). Checked on the header
   * only — baseTimestamp (the first record's time, as producers write it) against `maxBeforeMs` and
   * maxTimestamp against `maxAfterMs` — because the hot path does not open records. Ignored for
   * LogAppendTime batches, whose timestamps the broker overwrites.
   */
  readonly timestamps?: { readonly now: bigint; readonly maxBeforeMs?: bigint; readonly maxAfterMs?: bigint };
}

/**
 * Checks one complete batch (exactly `buf`, as cut by `splitBatches`) without decompressing it:
 * lengths, magic, CRC-32C, attributes, counts and producer fields. Cost is one native CRC pass plus a
 * dozen header reads, which is what lets a leader validate produce traffic at memory speed.
 */
export function validateBatch(buf: Buffer, options: ValidateBatchOptions = {}): BatchResult<BatchHeaderView> {
  if (buf.length < BATCH_HEADER_SIZE) {
    return fail(batchError('truncated', `batch needs at least ${BATCH_HEADER_SIZE} bytes, got ${buf.length}`));
  }
  const batchLength = buf.readInt32BE(BATCH_LENGTH_OFFSET);
  if (batchLength < MIN_BATCH_LENGTH) {
    return fail(batchError('invalid_length', `batchLength ${batchLength} is below the minimum ${MIN_BATCH_LENGTH}`));
  }
  const size = batchLength + LOG_OVERHEAD;
  if (size > buf.length) {
    return fail(batchError('truncated', `batchLength says ${size} bytes, only ${buf.length} present`));
  }
  if (size < buf.length) {
    return fail(batchError('invalid_length', `batchLength says ${size} bytes but ${buf.length} were given`));
  }
  if (options.maxBatchBytes !== undefined && size > options.maxBatchBytes) {
    return fail(batchError('batch_too_large', `batch of ${size} bytes exceeds the limit of ${options.maxBatchBytes}`));
  }
  const magic = buf.readInt8(MAGIC_OFFSET);
  if (magic !== CURRENT_MAGIC) {
    return fail(batchError('unsupported_magic', `magic ${magic}, expected ${CURRENT_MAGIC}`));
  }
  const stored = buf.readUInt32BE(CRC_OFFSET);
  const computed = computeBatchCrc(buf);
  if (stored !== computed) {
    return fail(batchError('crc_mismatch', `stored CRC ${hex(stored)}, computed ${hex(computed)}`));
  }
  const attributes = buf.readUInt16BE(ATTRIBUTES_OFFSET);
  const compression = attributes & COMPRESSION_MASK;
  if (!isCompressionId(compression)) {
    return fail(batchError('unknown_compression', `compression id ${compression} is not defined`));
  }
  const count = buf.readInt32BE(RECORD_COUNT_OFFSET);
  const lastOffsetDelta = buf.readInt32BE(LAST_OFFSET_DELTA_OFFSET);
  if (count < 0) return fail(batchError('invalid_record_count', `record count ${count} is negative`));
  if (compression === 0 && count * MIN_RECORD_SIZE > size - BATCH_HEADER_SIZE) {
    return fail(batchError('invalid_record_count', `${count} records cannot fit in ${size - BATCH_HEADER_SIZE} bytes`));
  }
  if (options.timestamps && !(attributes & TIMESTAMP_TYPE_BIT)) {
    const problem = timestampRules(buf, options.timestamps);
    if (problem) return fail(problem);
  }
  if ((options.origin ?? 'producer') === 'producer') {
    const problem = producerRules(buf, attributes, count, lastOffsetDelta);
    if (problem) return fail(problem);
  } else if (count > 0 && lastOffsetDelta < count - 1) {
    return fail(batchError('invalid_record_count', `${count} records cannot span lastOffsetDelta ${lastOffsetDelta}`));
  }
  return ok(new BatchHeaderView(buf));
}

/** The checks Kafka's LogValidator applies to batches coming from clients (magic 2). */
function producerRules(buf: Buffer, attributes: number, count: number, lastOffsetDelta: number) {
  // int64 fields are compared through their int32 halves: no BigInt allocation on the produce path.
  if (buf.readInt32BE(BASE_OFFSET_OFFSET) !== 0 || buf.readInt32BE(BASE_OFFSET_OFFSET + 4) !== 0) {
    const baseOffset = buf.readBigInt64BE(BASE_OFFSET_OFFSET);
    return batchError('invalid_base_offset', `a produced batch must have baseOffset 0, got ${baseOffset}`);
  }
  if (count === 0) return batchError('invalid_record_count', 'a produced batch must hold at least one record');
  if (lastOffsetDelta !== count - 1) {
    return batchError('invalid_record_count', `lastOffsetDelta ${lastOffsetDelta} does not match ${count} records`);
  }
  if (attributes & CONTROL_BIT) {
    return batchError('control_batch_not_allowed', 'clients may not write control batches');
  }
  const pidHigh = buf.readInt32BE(PRODUCER_ID_OFFSET);
  const hasProducerId = pidHigh >= 0;
  const noProducerId = pidHigh === -1 && buf.readInt32BE(PRODUCER_ID_OFFSET + 4) === -1;
  const baseSequence = buf.readInt32BE(BASE_SEQUENCE_OFFSET);
  // -1 means "no producer id" (KIP-98); non-idempotent clients leave epoch and sequence at whatever they
  // like (kafkajs writes 0), so those are only checked when a producer id is present.
  if (!hasProducerId && !noProducerId) {
    return batchError('invalid_producer_fields', `producer id ${buf.readBigInt64BE(PRODUCER_ID_OFFSET)} is negative`);
  }
  if (hasProducerId && buf.readInt16BE(PRODUCER_EPOCH_OFFSET) < 0) {
    return batchError('invalid_producer_fields', `idempotent batch with negative producer epoch`);
  }
  if (hasProducerId && baseSequence < 0) {
    return batchError('invalid_producer_fields', `idempotent batch with invalid base sequence ${baseSequence}`);
  }
  if (attributes & TRANSACTIONAL_BIT && !hasProducerId) {
    return batchError('invalid_producer_fields', 'transactional batch without a producer id');
  }
  return undefined;
}

function timestampRules(buf: Buffer, window: NonNullable<ValidateBatchOptions['timestamps']>) {
  const { now, maxBeforeMs, maxAfterMs } = window;
  const base = buf.readBigInt64BE(BASE_TIMESTAMP_OFFSET);
  const max = buf.readBigInt64BE(MAX_TIMESTAMP_OFFSET);
  if (maxBeforeMs !== undefined && base < now - maxBeforeMs) {
    return batchError('invalid_timestamp', `timestamp ${base} is more than ${maxBeforeMs} ms before ${now}`);
  }
  if (maxAfterMs !== undefined && max > now + maxAfterMs) {
    return batchError('invalid_timestamp', `timestamp ${max} is more than ${maxAfterMs} ms after ${now}`);
  }
  return undefined;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
