// ListOffsets by timestamp over tiered segments (tieredV1 ListOffsetsByTimestamp). Kafka's rule:
// the answer is the first record, in offset order, whose timestamp is >= the target. Timestamps
// need not grow with offsets, so the search uses maxima: the first segment whose largest
// timestamp reaches the target (the manifest records it), then in it the first batch whose header
// max timestamp does, then in that batch the first record — only that one batch is decoded.
import type { metadataV1 } from '@stratus/contracts';
import { peekBatchHeader, readRecords } from '@stratus/kafka-records';

/** Bytes of one segment object at a position (the reader's cached chunk access). */
export interface SegmentByteReader {
  read(segment: metadataV1.SegmentManifestEntry, position: number, length: number): Promise<Buffer>;
}

export type TimestampLookupResult =
  | { readonly found: true; readonly offset: bigint; readonly timestampMs: bigint; readonly leaderEpoch: number }
  | { readonly found: false };

/** RecordBatch v2 header through maxTimestamp (61 bytes; the records count ends it). */
const BATCH_HEADER_BYTES = 61;
const LENGTH_FIELD_END = 12;

export async function offsetForTimestamp(
  segments: readonly metadataV1.SegmentManifestEntry[],
  timestampMs: bigint,
  bytes: SegmentByteReader,
): Promise<TimestampLookupResult> {
  for (const seg of segments) {
    // A segment without a recorded maximum (-1: no timestamps) can be skipped only if it has one.
    if (seg.maxTimestampMs >= 0n && seg.maxTimestampMs < timestampMs) continue;
    const found = await searchSegment(seg, timestampMs, bytes);
    if (found.found) return found;
  }
  return { found: false };
}

async function searchSegment(seg: metadataV1.SegmentManifestEntry, target: bigint, bytes: SegmentByteReader): Promise<TimestampLookupResult> {
  const size = Number(seg.sizeBytes);
  let pos = 0;
  while (pos + LENGTH_FIELD_END <= size) {
    const head = await bytes.read(seg, pos, Math.min(BATCH_HEADER_BYTES, size - pos));
    const length = LENGTH_FIELD_END + head.readInt32BE(8);
    const header = peekBatchHeader(head);
    if (!header.ok) throw new RangeError(`segment ${seg.segmentId}: bad batch header at ${pos}: ${header.error.message}`);
    if (header.value.maxTimestamp >= target) {
      const batch = await bytes.read(seg, pos, length);
      const records = readRecords(batch);
      if (records.ok) {
        for (const r of records.value) {
          if (r.timestamp >= target) return { found: true, offset: r.offset, timestampMs: r.timestamp, leaderEpoch: header.value.partitionLeaderEpoch };
        }
      } else {
        // Undecodable (codec unavailable): the batch start never lies past the answer.
        return { found: true, offset: header.value.baseOffset, timestampMs: header.value.maxTimestamp, leaderEpoch: header.value.partitionLeaderEpoch };
      }
    }
    pos += length;
  }
  return { found: false };
}
