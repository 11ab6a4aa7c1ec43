// An in-memory SegmentManifest with metadata's AddSegments/RemoveSegments rules (docs/metadata.md
// "Segment manifest"): per partition, adds idempotent per segment id, a range overlapping a
// COMMITTED entry refused, removal marks DELETING then purges. For unit tests and in-process
// harnesses of the tiered libraries; `edit` lets a test change the manifest behind the system's back.
import { metadataV1 } from '@stratus/contracts';
import type { ManifestView, PartitionKey, SegmentManifest } from './ports';

const keyOf = (p: PartitionKey) => `${Buffer.from(p.topicId).toString('hex')}/${p.partition}`;

export class MemorySegmentManifest implements SegmentManifest {
  private readonly byPartition = new Map<string, Map<string, metadataV1.SegmentManifestEntry>>();
  private revision = 1n;

  entries(p: PartitionKey): metadataV1.SegmentManifestEntry[] {
    return [...(this.byPartition.get(keyOf(p))?.values() ?? [])].sort((a, b) => (a.baseOffset < b.baseOffset ? -1 : a.baseOffset > b.baseOffset ? 1 : 0));
  }

  async list(p: PartitionKey, options: { fromOffset?: bigint; includeDeleting?: boolean } = {}): Promise<ManifestView> {
    const from = options.fromOffset ?? 0n;
    const segments = this.entries(p).filter((e) => e.endOffset > from && (options.includeDeleting === true || e.state === metadataV1.SegmentState.COMMITTED));
    return { segments, revision: this.revision };
  }

  async add(segments: readonly metadataV1.SegmentManifestEntry[]): Promise<{ revision: bigint }> {
    for (const s of segments) {
      const p = { topicId: s.partition?.topicId?.value ?? new Uint8Array(0), partition: s.partition?.partition ?? 0 };
      const entries = this.byPartition.get(keyOf(p)) ?? new Map<string, metadataV1.SegmentManifestEntry>();
      if (entries.has(s.segmentId)) continue;
      const clash = [...entries.values()].find((e) => e.state === metadataV1.SegmentState.COMMITTED && e.baseOffset < s.endOffset && s.baseOffset < e.endOffset);
      if (clash) throw new Error(`segment ${s.segmentId} overlaps ${clash.segmentId}`);
      entries.set(s.segmentId, s);
      this.byPartition.set(keyOf(p), entries);
      this.revision++;
    }
    return { revision: this.revision };
  }

  async remove(p: PartitionKey, ids: readonly string[], options: { purge: boolean }): Promise<{ revision: bigint }> {
    const entries = this.byPartition.get(keyOf(p));
    for (const id of ids) {
      const e = entries?.get(id);
      if (!e || !entries) continue;
      if (options.purge) entries.delete(id);
      else entries.set(id, { ...e, state: metadataV1.SegmentState.DELETING });
      this.revision++;
    }
    return { revision: this.revision };
  }

  /** Replaces or deletes an entry without any rule (a test damaging the manifest). */
  edit(p: PartitionKey, segmentId: string, entry: metadataV1.SegmentManifestEntry | undefined): void {
    const entries = this.byPartition.get(keyOf(p)) ?? new Map<string, metadataV1.SegmentManifestEntry>();
    if (entry) entries.set(segmentId, entry);
    else entries.delete(segmentId);
    this.byPartition.set(keyOf(p), entries);
    this.revision++;
  }
}
