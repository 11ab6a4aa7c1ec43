// TEMPORARY adapter over the RecordBatch v2 header. @stratus/kafka-records (peekBatchHeader,
// validateBatch, splitBatches) is being written in parallel; once it exports them this file is
// replaced by re-exports of that library, so the storage never carries a second batch parser.
// Only the fields the log needs are read; records stay opaque.
import { crc32c } from '@node-rs/crc32';

/** Bytes of the v2 header up to and including recordCount. */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset (8) + batchLength (4): batchLength counts the bytes after these. */
export const BATCH_LOG_OVERHEAD = 12;
const CRC_COVERAGE_START = 21;

export interface BatchHeader {
  readonly baseOffset: bigint;
  /** Total bytes of the batch, including baseOffset and batchLength. */
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly lastOffsetDelta: number;
  readonly maxTimestamp: bigint;
  readonly recordCount: number;
  /** baseOffset + lastOffsetDelta. */
  readonly lastOffset: bigint;
}

export type HeaderProblem = 'short' | 'bad-length' | 'bad-magic' | 'bad-offsets';

/** Reads the header at `pos` without touching the records; reports why it cannot when it cannot. */
export function peekHeader(buf: Buffer, pos = 0): { ok: true; header: BatchHeader } | { ok: false; problem: HeaderProblem } {
  if (buf.length - pos < BATCH_HEADER_SIZE) return { ok: false, problem: 'short' };
  const batchLength = buf.readInt32BE(pos + 8);
  if (batchLength < BATCH_HEADER_SIZE - BATCH_LOG_OVERHEAD) return { ok: false, problem: 'bad-length' };
  const magic = buf.readInt8(pos + 16);
  if (magic !== 2) return { ok: false, problem: 'bad-magic' };
  const baseOffset = buf.readBigInt64BE(pos);
  const lastOffsetDelta = buf.readInt32BE(pos + 23);
  if (baseOffset < 0n || lastOffsetDelta < 0) return { ok: false, problem: 'bad-offsets' };
  return {
    ok: true,
    header: {
      baseOffset,
      sizeInBytes: batchLength + BATCH_LOG_OVERHEAD,
      partitionLeaderEpoch: buf.readInt32BE(pos + 12),
      magic,
      crc: buf.readUInt32BE(pos + 17),
      lastOffsetDelta,
      maxTimestamp: buf.readBigInt64BE(pos + 35),
      recordCount: buf.readInt32BE(pos + 57),
      lastOffset: baseOffset + BigInt(lastOffsetDelta),
    },
  };
}

/** CRC32C over attributes..end (KIP-98 moved the CRC to cover everything after it). */
export function crcMatches(batch: Buffer, header: BatchHeader): boolean {
  return crc32c(batch.subarray(CRC_COVERAGE_START, header.sizeInBytes)) >>> 0 === header.crc;
}
