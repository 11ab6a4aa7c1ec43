// Retention of the tiered log (issue 9 "Retention"): whole segments past retention.ms or
// retention.bytes leave the manifest and the object store, oldest first, as Kafka deletes whole
// segments. The order protects readers and auditors: first the entries are marked DELETING (reads
// stop using them), then the objects are deleted, then the entries are purged. A crash anywhere
// leaves DELETING entries that the next run finishes, and never an entry pointing at nothing
// that reads would still use.
import { metadataV1 } from '@stratus/contracts';
import type { ObjectStore } from '@stratus/tiered-object-store';
import type { PartitionKey, SegmentManifest } from './ports';

export interface RetentionPolicy {
  /** retention.ms: -1 keeps forever. A segment goes once its largest timestamp is older. */
  readonly retentionMs: number;
  /** retention.bytes: -1 keeps any size. Counted over the whole log, hot bytes included. */
  readonly retentionBytes: number;
}

export interface RetentionOptions {
  readonly partition: PartitionKey;
  readonly manifest: SegmentManifest;
  readonly store: ObjectStore;
  readonly policy: RetentionPolicy;
  /** Bytes of the partition still only in the hot tier (counted against retention.bytes). */
  readonly hotBytes?: bigint;
  readonly now?: () => number;
}

export interface RetentionResult {
  /** Segment ids whose objects were deleted and entries purged in this run. */
  readonly deleted: readonly string[];
  /** The tiered log start after the run (the first remaining segment's base offset). */
  readonly logStartOffset: bigint | undefined;
}

/** At most this many segments per RemoveSegments (the metadata per-request cap). */
const BATCH = 100;

export function expiredSegments(segments: readonly metadataV1.SegmentManifestEntry[], policy: RetentionPolicy, options: { now: number; hotBytes: bigint }): metadataV1.SegmentManifestEntry[] {
  const expired: metadataV1.SegmentManifestEntry[] = [];
  let total = segments.reduce((n, s) => n + s.sizeBytes, options.hotBytes);
  for (const s of segments) {
    const tooOld = policy.retentionMs >= 0 && s.maxTimestampMs >= 0n && s.maxTimestampMs < BigInt(options.now - policy.retentionMs);
    // Like Kafka: delete a segment only if the log stays at or above the limit without it.
    const tooBig = policy.retentionBytes >= 0 && total - s.sizeBytes >= BigInt(policy.retentionBytes);
    if (!tooOld && !tooBig) break;
    expired.push(s);
    total -= s.sizeBytes;
  }
  return expired;
}

export async function applyRetention(options: RetentionOptions): Promise<RetentionResult> {
  const { partition, manifest, store } = options;
  const committed = (await manifest.list(partition)).segments;
  const expired = expiredSegments(committed, options.policy, { now: (options.now ?? Date.now)(), hotBytes: options.hotBytes ?? 0n });
  for (let i = 0; i < expired.length; i += BATCH) {
    await manifest.remove(partition, expired.slice(i, i + BATCH).map((s) => s.segmentId), { purge: false });
  }
  // Everything DELETING now, including leftovers of a run that crashed half way.
  const withDeleting = (await manifest.list(partition, { includeDeleting: true })).segments;
  const deleting = withDeleting.filter((s) => s.state === metadataV1.SegmentState.DELETING);
  for (const s of deleting) await store.delete(s.objectKey);
  for (let i = 0; i < deleting.length; i += BATCH) {
    await manifest.remove(partition, deleting.slice(i, i + BATCH).map((s) => s.segmentId), { purge: true });
  }
  const remaining = withDeleting.filter((s) => s.state !== metadataV1.SegmentState.DELETING);
  return { deleted: deleting.map((s) => s.segmentId), logStartOffset: remaining[0]?.baseOffset };
}
