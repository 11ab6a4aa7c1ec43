// One tiering pass over a partition: every committed sealed segment the replica holds above the
// manifest's end is uploaded and then recorded. Segments are recorded in offset order and a
// pass stops at the first failure, so the manifest never skips ahead of a segment that failed
// and the hot tier (which may drop only what the manifest holds) never loses the gap.
import type { ObjectStore } from '@stratus/tiered-object-store';
import type { SegmentAddress } from './layout';
import type { SegmentManifest, SegmentSource } from './ports';
import { uploadSegment } from './upload-segment';

/** What is sealed and committed on the replica but not yet in the manifest (issue 9: tiering lag). */
export interface TieringLag {
  /** Exclusive end of what the manifest covers (0 when empty). */
  readonly tieredEndOffset: bigint;
  /** End of the last committed sealed segment the replica listed (the hot tier's sealed, committed end). */
  readonly sealedCommittedEndOffset: bigint;
  readonly lagSegments: number;
  readonly lagBytes: bigint;
  /** Base offsets of the pending segments, oldest first (callers age them). */
  readonly pendingBaseOffsets: readonly bigint[];
}

export interface UploadPartitionOptions {
  readonly address: SegmentAddress;
  readonly source: SegmentSource;
  readonly manifest: SegmentManifest;
  readonly store: ObjectStore;
  readonly chunkSizeBytes?: number;
  readonly now?: () => number;
  /**
   * Stop after this many uploads (the rest waits for the next pass): a partition with a large
   * backlog then yields its upload slot, so other partitions — other tenants — get their turn.
   */
  readonly maxSegments?: number;
  /**
   * Called once the replica's sealed segments are known and again after every upload, so lag is
   * reported even when the object store fails mid-pass (the lag then stays up, as it should).
   */
  readonly onLag?: (lag: TieringLag) => void;
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
  /** True when the pass stopped at `maxSegments` with more committed segments waiting. */
  readonly more: boolean;
  /** Lag after the pass. */
  readonly lag: TieringLag;
}

type Sealed = Awaited<ReturnType<SegmentSource['listSealed']>>;

function lagOf(sealed: Sealed, tieredEnd: bigint): TieringLag {
  let sealedEnd = 0n;
  let bytes = 0n;
  const pending: bigint[] = [];
  for (const s of sealed) {
    if (!s.committed) break;
    sealedEnd = s.endOffset;
    if (s.endOffset > tieredEnd) {
      pending.push(s.baseOffset);
      bytes += s.sizeBytes;
    }
  }
  return { tieredEndOffset: tieredEnd, sealedCommittedEndOffset: sealedEnd, lagSegments: pending.length, lagBytes: bytes, pendingBaseOffsets: pending };
}

export async function uploadPartitionPass(options: UploadPartitionOptions): Promise<UploadPassResult> {
  const { address, manifest } = options;
  const view = await manifest.list(address);
  let end = view.segments.reduce((max, s) => (s.endOffset > max ? s.endOffset : max), 0n);
  const sealed = await options.source.listSealed(address, end);
  options.onLag?.(lagOf(sealed, end));
  const uploaded: string[] = [];
  let blockedAt: bigint | undefined;
  let more = false;
  for (const segment of sealed) {
    // Uncommitted tails may still be truncated by leader recovery: never tier them.
    if (!segment.committed) break;
    // An empty manifest starts wherever the hot log starts; after that, offsets must continue.
    if (view.segments.length + uploaded.length > 0 && segment.baseOffset !== end) {
      blockedAt = segment.baseOffset;
      break;
    }
    if (options.maxSegments !== undefined && uploaded.length >= options.maxSegments) {
      more = true;
      break;
    }
    const entry = await uploadSegment({ ...options, segment });
    await manifest.add([entry]);
    uploaded.push(entry.segmentId);
    end = segment.endOffset;
    options.onLag?.(lagOf(sealed, end));
  }
  return { uploaded, tieredEndOffset: end, blockedAt, more, lag: lagOf(sealed, end) };
}
