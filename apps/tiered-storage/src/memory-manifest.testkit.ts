// Test helpers (not shipped): a segment manifest with AddSegments' rules per partition, and
// sealed segments built from real RecordBatch v2 frames.
import { crc32c } from '@node-rs/crc32';
import { metadataV1 } from '@stratus/contracts';
import { buildBatch } from '@stratus/kafka-records';
import type { FakeSegment, ManifestView, PartitionKey, SegmentManifest } from '@stratus/tiered-uploader';

const keyOf = (p: PartitionKey) => `${Buffer.from(p.topicId).toString('hex')}/${p.partition}`;

export class MemoryManifest implements SegmentManifest {
  readonly byPartition = new Map<string, Map<string, metadataV1.SegmentManifestEntry>>();
  private revision = 1n;

  entries(p: PartitionKey): metadataV1.SegmentManifestEntry[] {
    return [...(this.byPartition.get(keyOf(p))?.values() ?? [])].sort((a, b) => (a.baseOffset < b.baseOffset ? -1 : 1));
  }

  async list(p: PartitionKey, options: { fromOffset?: bigint; includeDeleting?: boolean } = {}): Promise<ManifestView> {
    const segments = this.entries(p).filter((e) => options.includeDeleting === true || e.state === metadataV1.SegmentState.COMMITTED);
    return { segments, revision: this.revision };
  }

  async add(segments: readonly metadataV1.SegmentManifestEntry[]): Promise<{ revision: bigint }> {
    for (const s of segments) {
      const p = { topicId: s.partition?.topicId?.value ?? new Uint8Array(), partition: s.partition?.partition ?? 0 };
      const map = this.byPartition.get(keyOf(p)) ?? new Map<string, metadataV1.SegmentManifestEntry>();
      this.byPartition.set(keyOf(p), map);
      const clash = [...map.values()].find((e) => e.segmentId !== s.segmentId && e.baseOffset < s.endOffset && s.baseOffset < e.endOffset);
      if (clash) throw new Error(`overlap with ${clash.segmentId}`);
      if (!map.has(s.segmentId)) map.set(s.segmentId, s);
      this.revision++;
    }
    return { revision: this.revision };
  }

  async remove(p: PartitionKey, ids: readonly string[], options: { purge: boolean }): Promise<{ revision: bigint }> {
    const map = this.byPartition.get(keyOf(p));
    for (const id of ids) {
      const e = map?.get(id);
      if (!e) continue;
      if (options.purge) map?.delete(id);
      else map?.set(id, { ...e, state: metadataV1.SegmentState.DELETING });
      this.revision++;
    }
    return { revision: this.revision };
  }
}

/** `count` committed segments of 3 batches x 2 records, contiguous from offset 0, timestamps at `timestampMs`. */
export function makeSegments(count: number, options: { timestampMs?: bigint } = {}): FakeSegment[] {
  const ts = options.timestampMs ?? 1_700_000_000_000n;
  let offset = 0n;
  const out: FakeSegment[] = [];
  for (let s = 0; s < count; s++) {
    const base = offset;
    const frames: Buffer[] = [];
    for (let b = 0; b < 3; b++) {
      frames.push(buildBatch({ records: [{ key: `k${offset}`, value: `v${offset}` }, { key: `k${offset + 1n}`, value: `v${offset + 1n}` }], baseOffset: offset, partitionLeaderEpoch: 1, baseTimestamp: ts }));
      offset += 2n;
    }
    const bytes = Buffer.concat(frames);
    out.push({
      bytes,
      info: {
        baseOffset: base,
        endOffset: offset,
        sizeBytes: BigInt(bytes.length),
        crc32c: crc32c(bytes) >>> 0,
        minTimestampMs: -1n,
        maxTimestampMs: ts,
        epochHistory: s === 0 ? [{ epoch: 1, startOffset: base }] : [],
        committed: true,
      },
    });
  }
  return out;
}
