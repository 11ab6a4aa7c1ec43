import { batchError, fail, ok, type BatchResult } from './batch-error';
import { BATCH_LENGTH_OFFSET, LOG_OVERHEAD, MIN_BATCH_LENGTH } from './layout';

/** The incomplete batch a message set may end with (fetch responses cut batches at max bytes). */
export interface PartialBatch {
  /** Where it starts in the message set. */
  readonly offset: number;
  /** Bytes present. */
  readonly availableBytes: number;
  /** Its full size from batchLength, when at least 12 bytes are present. */
  readonly declaredSize: number | undefined;
}

export interface SplitBatches {
  /** Zero-copy views, one per complete batch, in order. */
  readonly batches: Buffer[];
  readonly partial: PartialBatch | undefined;
}

/**
 * Cuts a message set (the `records` field of Produce/Fetch) into batches using only the
 * batchLength fields. Nothing is validated beyond the lengths; run `validateBatch` on each batch.
 * A producer's message set must not end in a partial batch — the caller turns `partial` into
 * CORRUPT_MESSAGE there — while a consumer-side reader simply ignores it, as Kafka clients do.
 */
export function splitBatches(messageSet: Buffer): BatchResult<SplitBatches> {
  const batches: Buffer[] = [];
  let at = 0;
  while (at < messageSet.length) {
    const available = messageSet.length - at;
    if (available < LOG_OVERHEAD) {
      return ok({ batches, partial: { offset: at, availableBytes: available, declaredSize: undefined } });
    }
    const batchLength = messageSet.readInt32BE(at + BATCH_LENGTH_OFFSET);
    if (batchLength < MIN_BATCH_LENGTH) {
      return fail(batchError('invalid_length', `batch at byte ${at} has batchLength ${batchLength}`));
    }
    const size = batchLength + LOG_OVERHEAD;
    if (size > available) {
      return ok({ batches, partial: { offset: at, availableBytes: available, declaredSize: size } });
    }
    batches.push(messageSet.subarray(at, at + size));
    at += size;
  }
  return ok({ batches, partial: undefined });
}
