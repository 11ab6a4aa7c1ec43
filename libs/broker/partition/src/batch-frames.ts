// Cutting replicated bytes into batches and checking their offsets, for the in-memory replica and
// for reads served from the leader's tail cache. Structure and CRC only (origin 'log'): produce
// rules were applied once, by the leader, when the batch arrived.
import { splitBatches, validateBatch } from '@stratus/kafka-records';

export interface Frame {
  readonly baseOffset: bigint;
  /** Exclusive: lastOffset + 1. */
  readonly endOffset: bigint;
  readonly partitionLeaderEpoch: number;
  readonly bytes: Buffer;
}

/**
 * Splits `records` into frames that must tile [baseOffset, endOffset) without gaps (the leader
 * assigns dense offsets, design note I3). Returns a message on any violation.
 */
export function framesOf(records: Buffer, baseOffset: bigint, endOffset?: bigint): Frame[] | string {
  if (records.length === 0) return 'no record batch';
  const split = splitBatches(records);
  if (!split.ok) return split.error.message;
  if (split.value.partial) return `truncated batch at byte ${split.value.partial.offset}`;
  const frames: Frame[] = [];
  let next = baseOffset;
  for (const bytes of split.value.batches) {
    const checked = validateBatch(bytes, { origin: 'log' });
    if (!checked.ok) return checked.error.message;
    const header = checked.value;
    if (header.baseOffset !== next) return `batch starts at ${header.baseOffset}, expected ${next}`;
    next = header.lastOffset + 1n;
    frames.push({ baseOffset: header.baseOffset, endOffset: next, partitionLeaderEpoch: header.partitionLeaderEpoch, bytes });
  }
  if (endOffset !== undefined && next !== endOffset) return `batches end at ${next}, the request says ${endOffset}`;
  return frames;
}
