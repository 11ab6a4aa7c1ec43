// The uploader's two narrow ports: where sealed segments come from (a replication node) and where
// their manifest entries go (metadata). gRPC implementations live beside them; unit tests use
// in-memory ones that follow the same contract rules.
import type { metadataV1, replicationV1 } from '@stratus/contracts';

export interface PartitionKey {
  /** 16 bytes (KIP-516). */
  readonly topicId: Uint8Array;
  readonly partition: number;
}

export type SegmentStreamEvent =
  | { readonly type: 'header'; readonly segment: replicationV1.SealedSegment }
  | { readonly type: 'chunk'; readonly position: bigint; readonly data: Uint8Array; readonly crc32c: number }
  | { readonly type: 'trailer'; readonly sizeBytes: bigint; readonly crc32c: number };

/** The replica went away, deleted the segment meanwhile, or answered an error: try again later. */
export class SegmentSourceError extends Error {
  override readonly name = 'SegmentSourceError';
}

export interface SegmentSource {
  /** Sealed segments ending above `fromOffset`, in base-offset order (all pages). */
  listSealed(partition: PartitionKey, fromOffset: bigint): Promise<replicationV1.SealedSegment[]>;
  /** header, chunks in order, trailer (replication segments.proto); throws SegmentSourceError. */
  read(partition: PartitionKey, baseOffset: bigint, options: { chunkSizeBytes: number }): AsyncIterable<SegmentStreamEvent>;
}

export interface ManifestView {
  /** COMMITTED entries, in base-offset order. */
  readonly segments: readonly metadataV1.SegmentManifestEntry[];
  readonly revision: bigint;
}

export interface SegmentManifest {
  list(partition: PartitionKey, options?: { fromOffset?: bigint; includeDeleting?: boolean }): Promise<ManifestView>;
  /** AddSegments: idempotent for identical entries; `expectedRevision` 0 = unconditional. */
  add(segments: readonly metadataV1.SegmentManifestEntry[], options?: { expectedRevision?: bigint }): Promise<{ revision: bigint }>;
  /** RemoveSegments: mark DELETING, or purge entries already marked. */
  remove(partition: PartitionKey, segmentIds: readonly string[], options: { purge: boolean; expectedRevision?: bigint }): Promise<{ revision: bigint }>;
}
