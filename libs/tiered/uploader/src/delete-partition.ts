// Deleting tiered data outside retention: topic deletion (every segment of a partition) and
// DeleteRecords / TrimPartition (every segment wholly below a new log start). Both follow
// retention's order — mark DELETING, delete the objects, purge the entries — so a crash leaves
// DELETING entries that the next run (or retention) finishes, never an entry that reads would
// follow to a missing object.
import { metadataV1 } from '@stratus/contracts';
import type { ObjectStore } from '@stratus/tiered-object-store';
import { partitionPrefix, type SegmentAddress } from './layout';
import type { SegmentManifest } from './ports';

/** At most this many segments per RemoveSegments (the metadata per-request cap). */
const BATCH = 100;

export interface DeletedSegments {
  readonly segmentsDeleted: number;
  readonly bytesDeleted: bigint;
}

async function removeAll(manifest: SegmentManifest, address: SegmentAddress, ids: readonly string[], purge: boolean): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) await manifest.remove(address, ids.slice(i, i + BATCH), { purge });
}

async function deleteEntries(options: { address: SegmentAddress; manifest: SegmentManifest; store: ObjectStore }, select: (s: metadataV1.SegmentManifestEntry) => boolean): Promise<DeletedSegments> {
  const { address, manifest, store } = options;
  const committed = (await manifest.list(address)).segments.filter(select);
  await removeAll(
    manifest,
    address,
    committed.map((s) => s.segmentId),
    false,
  );
  const deleting = (await manifest.list(address, { includeDeleting: true })).segments.filter((s) => s.state === metadataV1.SegmentState.DELETING);
  for (const s of deleting) await store.delete(s.objectKey);
  await removeAll(
    manifest,
    address,
    deleting.map((s) => s.segmentId),
    true,
  );
  return { segmentsDeleted: deleting.length, bytesDeleted: deleting.reduce((n, s) => n + s.sizeBytes, 0n) };
}

/**
 * Topic deletion: every manifest entry of the partition and every object under its prefix —
 * including objects no entry names (an upload that crashed before AddSegments), which only a
 * prefix delete can find.
 */
export async function deletePartitionData(options: { address: SegmentAddress; manifest: SegmentManifest; store: ObjectStore }): Promise<DeletedSegments & { orphansDeleted: number }> {
  const deleted = await deleteEntries(options, () => true);
  const orphansDeleted = await options.store.deletePrefix(partitionPrefix(options.address));
  return { ...deleted, orphansDeleted };
}

/**
 * DeleteRecords (KIP-107) moved the log start: segments ending at or below it hold nothing
 * readable any more. A segment straddling the new start stays; reads below the start are refused
 * by the broker's log start check, as Kafka keeps the straddling segment too.
 */
export async function trimPartitionData(options: { address: SegmentAddress; manifest: SegmentManifest; store: ObjectStore; logStartOffset: bigint }): Promise<DeletedSegments & { tieredLogStartOffset: bigint | undefined }> {
  const deleted = await deleteEntries(options, (s) => s.endOffset <= options.logStartOffset);
  const remaining = (await options.manifest.list(options.address)).segments;
  return { ...deleted, tieredLogStartOffset: remaining[0]?.baseOffset };
}
