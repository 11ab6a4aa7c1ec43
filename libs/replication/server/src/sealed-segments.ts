// Tiering support: list sealed segments and stream one as CRC32C-checksummed chunks. Only
// segments below the leader's committed offset are marked committed, because an uncommitted
// tail can still be truncated by leader recovery and must never reach the object store.
import { crc32c } from '@node-rs/crc32';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { replicationV1 } from '@stratus/contracts';
import type { PartitionReplica } from '@stratus/replication-partition-log';
import { wireError } from './mapping';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
const DEFAULT_CHUNK = 1024 * 1024;
const MAX_CHUNK = 16 * 1024 * 1024;

/** Whole-file CRCs, computed once per (partition, segment, size): sealed segments never change. */
const crcCache = new WeakMap<PartitionReplica, Map<string, number>>();

async function segmentCrc(replica: PartitionReplica, baseOffset: bigint, size: number): Promise<number | undefined> {
  const cache = crcCache.get(replica) ?? new Map<string, number>();
  crcCache.set(replica, cache);
  const id = `${baseOffset}:${size}`;
  const known = cache.get(id);
  if (known !== undefined) return known;
  let crc = 0;
  for (let pos = 0; pos < size; pos += DEFAULT_CHUNK) {
    const bytes = await replica.readSealedSegment(baseOffset, pos, DEFAULT_CHUNK);
    if (!bytes) return undefined;
    crc = crc32c(bytes, crc);
  }
  cache.set(id, crc >>> 0);
  return crc >>> 0;
}

function describe(replica: PartitionReplica, seg: { baseOffset: bigint; nextOffset: bigint; size: number; maxTimestamp: bigint }, crc: number): replicationV1.SealedSegment {
  const state = replica.logState();
  return {
    baseOffset: seg.baseOffset,
    endOffset: seg.nextOffset,
    sizeBytes: BigInt(seg.size),
    crc32c: crc,
    // Segments track only their largest timestamp (as Kafka's time index does); -1 = not tracked.
    minTimestampMs: -1n,
    maxTimestampMs: seg.maxTimestamp,
    epochHistory: state.epochHistory.filter((e) => e.startOffset >= seg.baseOffset && e.startOffset < seg.nextOffset).map((e) => ({ epoch: e.epoch, startOffset: e.startOffset })),
    committed: seg.nextOffset <= state.committedOffset,
  };
}

export async function listSealedSegments(replica: PartitionReplica, req: replicationV1.ListSealedSegmentsRequest): Promise<replicationV1.ListSealedSegmentsResponse> {
  const committedOffset = replica.logState().committedOffset;
  const pageSize = Math.min(req.page?.pageSize || DEFAULT_PAGE, MAX_PAGE);
  let after = -1n;
  if (req.page?.pageToken) {
    if (!/^\d+$/.test(req.page.pageToken)) {
      return { error: wireError(replicationV1.ReplicaErrorCode.INVALID_REQUEST, 'malformed page_token'), segments: [], page: undefined, committedOffset };
    }
    after = BigInt(req.page.pageToken);
  }
  const candidates = replica.sealedSegments().filter((s) => s.nextOffset > req.fromOffset && s.baseOffset > after);
  const segments: replicationV1.SealedSegment[] = [];
  for (const seg of candidates.slice(0, pageSize)) {
    const crc = await segmentCrc(replica, seg.baseOffset, seg.size);
    if (crc !== undefined) segments.push(describe(replica, seg, crc));
  }
  const last = segments[segments.length - 1];
  const nextPageToken = candidates.length > pageSize && last ? last.baseOffset.toString() : '';
  return { error: undefined, segments, page: { nextPageToken }, committedOffset };
}

type SegmentCall = ServerWritableStream<replicationV1.ReadSegmentRequest, replicationV1.ReadSegmentResponse>;

function write(call: SegmentCall, msg: replicationV1.ReadSegmentResponse): Promise<void> {
  return call.write(msg) ? Promise.resolve() : new Promise((resolve) => call.once('drain', () => resolve()));
}

/** Header, chunks in order, trailer; an error (e.g. the segment was deleted meanwhile) ends the stream. */
export async function streamSegment(replica: PartitionReplica, req: replicationV1.ReadSegmentRequest, call: SegmentCall): Promise<void> {
  const seg = replica.sealedSegments().find((s) => s.baseOffset === req.baseOffset);
  const gone = () => wireError(replicationV1.ReplicaErrorCode.OFFSET_OUT_OF_RANGE, `no sealed segment with base offset ${req.baseOffset}`);
  const crc = seg && (await segmentCrc(replica, seg.baseOffset, seg.size));
  if (!seg || crc === undefined) {
    await write(call, { event: { $case: 'error', value: gone() } });
    call.end();
    return;
  }
  await write(call, { event: { $case: 'header', value: describe(replica, seg, crc) } });
  const chunkSize = Math.min(req.chunkSizeBytes > 0 ? req.chunkSizeBytes : DEFAULT_CHUNK, MAX_CHUNK);
  let whole = 0;
  for (let pos = 0; pos < seg.size; pos += chunkSize) {
    if (call.cancelled) return;
    const data = await replica.readSealedSegment(seg.baseOffset, pos, chunkSize);
    if (!data) {
      await write(call, { event: { $case: 'error', value: gone() } });
      call.end();
      return;
    }
    whole = crc32c(data, whole);
    await write(call, { event: { $case: 'chunk', value: { position: BigInt(pos), data, crc32c: crc32c(data) >>> 0 } } });
  }
  await write(call, { event: { $case: 'trailer', value: { sizeBytes: BigInt(seg.size), crc32c: whole >>> 0 } } });
  call.end();
}
