// In-memory ports for unit tests (not exported): a replica holding sealed segments built from real
// RecordBatch v2 frames, and a manifest with AddSegments' rules (idempotent ids, no overlaps).
import { crc32c } from '@node-rs/crc32';
import type { metadataV1 } from '@stratus/contracts';
import { buildBatch } from '@stratus/kafka-records';
import { MemorySegmentSource, type FakeSegment } from './memory-source';
import type { ManifestView, PartitionKey, SegmentManifest } from './ports';

export { MemorySegmentSource, type FakeSegment };

export const TOPIC = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
export const ADDRESS = { tenantId: 'lkc-test', topicId: TOPIC, partition: 2 };

/** Segments of `batches` batches of `records` records each, contiguous from `from`. */
export function makeSegments(count: number, options: { from?: bigint; batches?: number; records?: number; committed?: number } = {}): FakeSegment[] {
  let offset = options.from ?? 0n;
  const out: FakeSegment[] = [];
  for (let s = 0; s < count; s++) {
    const base = offset;
    const frames: Buffer[] = [];
    for (let b = 0; b < (options.batches ?? 5); b++) {
      const n = options.records ?? 3;
      frames.push(
        buildBatch({ records: Array.from({ length: n }, (_, i) => ({ key: `k${offset + BigInt(i)}`, value: `v${offset + BigInt(i)}-${'x'.repeat(200)}` })), baseOffset: offset, partitionLeaderEpoch: 1, baseTimestamp: 1_700_000_000_000n + offset }),
      );
      offset += BigInt(n);
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
        maxTimestampMs: 1_700_000_000_000n + offset - 1n,
        epochHistory: s === 0 ? [{ epoch: 1, startOffset: base }] : [],
        committed: s < (options.committed ?? count),
      },
    });
  }
  return out;
}

export class MemoryManifest implements SegmentManifest {
  readonly entries = new Map<string, metadataV1.SegmentManifestEntry>();
  revision = 1n;
  /** Fail the next add after nothing was written (a crash between upload and commit). */
  failNextAdd = false;

  async list(_p: PartitionKey, options: { includeDeleting?: boolean } = {}): Promise<ManifestView> {
    const segments = [...this.entries.values()].filter((e) => options.includeDeleting === true || e.state === 1).sort((a, b) => (a.baseOffset < b.baseOffset ? -1 : 1));
    return { segments, revision: this.revision };
  }

  async add(segments: readonly metadataV1.SegmentManifestEntry[]): Promise<{ revision: bigint }> {
    if (this.failNextAdd) {
      this.failNextAdd = false;
      throw new Error('metadata unavailable');
    }
    for (const s of segments) {
      const clash = [...this.entries.values()].find((e) => e.segmentId !== s.segmentId && e.baseOffset < s.endOffset && s.baseOffset < e.endOffset);
      if (clash) throw new Error(`overlap with ${clash.segmentId}`);
      if (!this.entries.has(s.segmentId)) {
        this.entries.set(s.segmentId, s);
        this.revision++;
      }
    }
    return { revision: this.revision };
  }

  async remove(_p: PartitionKey, ids: readonly string[], options: { purge: boolean }): Promise<{ revision: bigint }> {
    for (const id of ids) {
      const e = this.entries.get(id);
      if (!e) continue;
      if (options.purge) this.entries.delete(id);
      else this.entries.set(id, { ...e, state: 2 });
      this.revision++;
    }
    return { revision: this.revision };
  }
}
