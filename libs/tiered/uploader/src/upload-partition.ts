// One tiering pass over a partition: every committed sealed segment the replica holds above the
// manifest's end is uploaded and then recorded. Segments are recorded in offset order and a
// pass stops at the first failure, so the manifest never skips ahead of a segment that failed
// and the hot tier (which may drop only what the manifest holds) never loses the gap.
import type { ObjectStore } from '@stratus/tiered-object-store';
import type { SegmentAddress } from './layout';
import type { SegmentManifest, SegmentSource } from './ports';
import { uploadSegment } from './upload-segment';

export interface UploadPartitionOptions {
  readonly address: SegmentAddress;
  readonly source: SegmentSource;
  readonly manifest: SegmentManifest;
  readonly store: ObjectStore;
  readonly chunkSizeBytes?: number;
  readonly now?: () => number;
}

export interface UploadPassResult {
  /** Segment ids recorded in this pass. */
  readonly uploaded: readonly string[];
  /** Exclusive end of what the manifest covers after the pass (0 when empty). */
  readonly tieredEndOffset: bigint;
  /**
   * Set when the pass stopped because this replica's next segment does not start at the manifest's
   * end (it rolled at other offsets than the replica tiered before): uploading it would leave a
   * gap or an overlap, so another replica has to provide the range.
   */
  readonly blockedAt: bigint | undefined;
}

export async function uploadPartitionPass(options: UploadPartitionOptions): Promise<UploadPassResult> {
  const { address, manifest } = options;
  const view = await manifest.list(address);
  let end = view.segments.reduce((max, s) => (s.endOffset > max ? s.endOffset : max), 0n);
  const sealed = await options.source.listSealed(address, end);
  const uploaded: string[] = [];
  let blockedAt: bigint | undefined;
  for (const segment of sealed) {
    // Uncommitted tails may still be truncated by leader recovery: never tier them.
    if (!segment.committed) break;
    // An empty manifest starts wherever the hot log starts; after that, offsets must continue.
    if (view.segments.length + uploaded.length > 0 && segment.baseOffset !== end) {
      blockedAt = segment.baseOffset;
      break;
    }
    const entry = await uploadSegment({ ...options, segment });
    await manifest.add([entry]);
    uploaded.push(entry.segmentId);
    end = segment.endOffset;
  }
  return { uploaded, tieredEndOffset: end, blockedAt };
}
