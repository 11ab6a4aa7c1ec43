// AddSegments / ListSegments / RemoveSegments: the tiered segment manifest (proto
// stratus/metadata/v1/segments.proto) over SegmentStore. The rules (compare on the manifest's
// revision, idempotent adds, mark-then-purge removal) live in the store; this file converts.
import type { commonV1 } from '@stratus/contracts';
import { metadataV1 } from '@stratus/contracts';
import { SegmentStore, type MetadataStore, type SegmentPartition, type SegmentRecord } from '@stratus/metadata-store';
import { topicIdFromBytes, topicIdToBytes } from '../convert';
import { BadRequest, orThrow, unary } from '../rpc';

function partitionFrom(ref: commonV1.PartitionRef | undefined): SegmentPartition {
  const id = topicIdFromBytes(ref?.topicId?.value);
  if (!ref || !id) throw new BadRequest('partition with a 16-byte topic_id is required');
  if (ref.partition < 0) throw new BadRequest('partition index must be >= 0');
  return { topicId: id, partition: ref.partition };
}

function segmentFromProto(s: metadataV1.SegmentManifestEntry): SegmentRecord {
  const p = partitionFrom(s.partition);
  if (s.state !== metadataV1.SegmentState.UNSPECIFIED && s.state !== metadataV1.SegmentState.COMMITTED) {
    throw new BadRequest(`segment ${s.segmentId}: only committed segments can be added`);
  }
  return {
    topicId: p.topicId,
    partition: p.partition,
    segmentId: s.segmentId,
    baseOffset: s.baseOffset,
    endOffset: s.endOffset,
    sizeBytes: s.sizeBytes,
    objectKey: s.objectKey,
    chunks: s.chunks.map((c) => ({ position: c.position, sizeBytes: c.sizeBytes, crc32c: c.crc32c >>> 0, firstBatchOffset: c.firstBatchOffset, firstBatchPosition: c.firstBatchPosition })),
    crc32c: s.crc32c >>> 0,
    minTimestampMs: s.minTimestampMs,
    maxTimestampMs: s.maxTimestampMs,
    epochHistory: s.epochHistory.map((e) => ({ epoch: e.epoch, startOffset: e.startOffset })),
    state: 'committed',
    uploadTimeMs: s.uploadTimeMs,
  };
}

export function segmentToProto(s: SegmentRecord): metadataV1.SegmentManifestEntry {
  return {
    partition: { topicId: { value: topicIdToBytes(s.topicId) }, partition: s.partition },
    segmentId: s.segmentId,
    baseOffset: s.baseOffset,
    endOffset: s.endOffset,
    sizeBytes: s.sizeBytes,
    objectKey: s.objectKey,
    chunks: s.chunks.map((c) => ({ ...c })),
    crc32c: s.crc32c,
    minTimestampMs: s.minTimestampMs,
    maxTimestampMs: s.maxTimestampMs,
    epochHistory: s.epochHistory.map((e) => ({ ...e })),
    state: s.state === 'deleting' ? metadataV1.SegmentState.DELETING : metadataV1.SegmentState.COMMITTED,
    uploadTimeMs: s.uploadTimeMs,
  };
}

export function segmentHandlers(store: MetadataStore) {
  const segments = new SegmentStore({ kv: store.kv, keys: store.keys, now: Date.now });
  return {
    addSegments: unary(async (req: metadataV1.AddSegmentsRequest): Promise<metadataV1.AddSegmentsResponse> => {
      const added = orThrow(await segments.add(req.segments.map(segmentFromProto), { expectedRevision: req.expectedRevision }));
      return { revision: added.revision };
    }),
    listSegments: unary(async (req: metadataV1.ListSegmentsRequest): Promise<metadataV1.ListSegmentsResponse> => {
      const page = orThrow(
        await segments.list(partitionFrom(req.partition), {
          fromOffset: req.fromOffset,
          includeDeleting: req.includeDeleting,
          pageSize: req.page?.pageSize,
          pageToken: req.page?.pageToken,
        }),
      );
      return { segments: page.segments.map(segmentToProto), page: { nextPageToken: page.nextPageToken }, revision: page.revision };
    }),
    removeSegments: unary(async (req: metadataV1.RemoveSegmentsRequest): Promise<metadataV1.RemoveSegmentsResponse> => {
      const removed = orThrow(await segments.remove(partitionFrom(req.partition), req.segmentIds, { purge: req.purge, expectedRevision: req.expectedRevision }));
      return { revision: removed.revision };
    }),
  };
}
