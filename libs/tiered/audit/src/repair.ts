// Repair of a missing or corrupt object from a replica (issue 9 item 6). A replica's sealed
// segment may stand in for the manifest entry only if it is the same segment: same base and end
// offsets, size and CRC32C — the object key and segment id are functions of exactly these, so the
// repaired object lands under the entry's own key and the entry stays valid. The damaged object is
// deleted first (a corrupt object may still carry the right checksum metadata, which would make
// the conditional create take it for ours) and the upload verifies every chunk on the way in.
import { segmentObjectKey, uploadSegment, type SegmentAddress, type SegmentSource } from '@stratus/tiered-uploader';
import type { ObjectStore } from '@stratus/tiered-object-store';
import type { ManifestEntry } from './types';

export type RepairOutcome =
  | { readonly repaired: true; readonly fromReplica: number }
  /** No replica holds the segment any more (or every attempt failed): data loss unless one comes back. */
  | { readonly repaired: false; readonly reason: string };

export interface RepairOptions {
  readonly address: SegmentAddress;
  readonly entry: ManifestEntry;
  readonly sources: readonly SegmentSource[];
  readonly store: ObjectStore;
}

export async function repairFromReplica(options: RepairOptions): Promise<RepairOutcome> {
  const { address, entry, store } = options;
  const reasons: string[] = [];
  for (const [index, source] of options.sources.entries()) {
    try {
      const sealed = await source.listSealed(address, entry.baseOffset);
      const segment = sealed.find((s) => s.baseOffset === entry.baseOffset);
      if (!segment) {
        reasons.push(`replica ${index}: segment ${entry.baseOffset} no longer held`);
        continue;
      }
      if (segment.endOffset !== entry.endOffset || segment.sizeBytes !== entry.sizeBytes || segment.crc32c >>> 0 !== entry.crc32c >>> 0) {
        reasons.push(`replica ${index}: segment at ${entry.baseOffset} differs (rolled at other offsets or other bytes)`);
        continue;
      }
      if (segmentObjectKey(address, segment) !== entry.objectKey) {
        reasons.push(`replica ${index}: key ${segmentObjectKey(address, segment)} is not the entry's ${entry.objectKey}`);
        continue;
      }
      await store.delete(entry.objectKey);
      await uploadSegment({ address, segment, source, store });
      return { repaired: true, fromReplica: index };
    } catch (error) {
      reasons.push(`replica ${index}: ${(error as Error).message}`);
    }
  }
  return { repaired: false, reason: reasons.length > 0 ? reasons.join('; ') : 'no live replica' };
}
