import { patchCrc } from './crc-shift';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BATCH_HEADER_SIZE,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  TIMESTAMP_TYPE_BIT,
} from './layout';

const INT64_MAX = (1n << 63n) - 1n;
/** attributes .. end of maxTimestamp: the only CRC-covered bytes LogAppendTime changes. */
const PATCHED_END = MAX_TIMESTAMP_OFFSET + 8;
/** Reused scratch for the changed bytes (single-threaded; never escapes this module). */
const diff = Buffer.alloc(PATCHED_END - ATTRIBUTES_OFFSET);

export interface AssignOffsetsOptions {
  /** Offset of the first record in the partition log. */
  readonly baseOffset: bigint;
  /**
   * Broker time in ms for topics with message.timestamp.type=LogAppendTime: sets the timestamp-type
   * attribute and maxTimestamp (record timestamps are then ignored by readers, KIP-32).
   */
  readonly logAppendTime?: bigint;
  /** Leader epoch of the appending leader (KIP-101), used by followers and fetchers to detect truncation. */
  readonly partitionLeaderEpoch?: number;
}

export interface AssignedOffsets {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  /** Whether fields inside the CRC range changed, so the CRC was recomputed. */
  readonly crcRewritten: boolean;
}

/**
 * Rewrites a validated batch in place as the leader appends it: baseOffset, optionally the
 * partition leader epoch and LogAppendTime. baseOffset and partitionLeaderEpoch lie before the CRC
 * range, so the common case touches 12 bytes and no CRC. LogAppendTime changes attributes and
 * maxTimestamp, which are covered by the CRC; rather than a second pass over the batch, the stored CRC
 * is patched from the changed bytes alone (see crc-shift.ts), so the cost does not grow with batch size
 * and a batch with a bad CRC keeps its bad CRC. Records are never decompressed or moved.
 * @throws RangeError for arguments outside their wire ranges (a caller bug, not bad input).
 */
export function assignOffsets(batch: Buffer, options: AssignOffsetsOptions): AssignedOffsets {
  if (batch.length < BATCH_HEADER_SIZE) throw new RangeError(`not a batch: ${batch.length} bytes`);
  const { baseOffset, logAppendTime, partitionLeaderEpoch } = options;
  const lastOffsetDelta = batch.readInt32BE(LAST_OFFSET_DELTA_OFFSET);
  const lastOffset = baseOffset + BigInt(lastOffsetDelta);
  if (baseOffset < 0n || lastOffset > INT64_MAX) throw new RangeError(`base offset ${baseOffset} out of range`);
  batch.writeBigInt64BE(baseOffset, BASE_OFFSET_OFFSET);
  if (partitionLeaderEpoch !== undefined) batch.writeInt32BE(partitionLeaderEpoch, PARTITION_LEADER_EPOCH_OFFSET);
  if (logAppendTime === undefined) return { baseOffset, lastOffset, crcRewritten: false };
  batch.copy(diff, 0, ATTRIBUTES_OFFSET, PATCHED_END);
  batch.writeUInt16BE(batch.readUInt16BE(ATTRIBUTES_OFFSET) | TIMESTAMP_TYPE_BIT, ATTRIBUTES_OFFSET);
  batch.writeBigInt64BE(logAppendTime, MAX_TIMESTAMP_OFFSET);
  for (let i = 0; i < diff.length; i++) diff[i] ^= batch[ATTRIBUTES_OFFSET + i] as number;
  const crc = patchCrc(batch.readUInt32BE(CRC_OFFSET), diff, batch.length - ATTRIBUTES_OFFSET);
  batch.writeUInt32BE(crc, CRC_OFFSET);
  return { baseOffset, lastOffset, crcRewritten: true };
}
