// Test helpers (not shipped): sealed segments of real RecordBatch v2 frames, uploaded through the
// real uploader into an in-memory manifest and store.
import { crc32c } from '@node-rs/crc32';
import { buildBatch } from '@stratus/kafka-records';
import { MemoryObjectStore } from '@stratus/tiered-object-store';
import { MemorySegmentManifest, MemorySegmentSource, uploadPartitionPass, type FakeSegment, type SegmentAddress } from '@stratus/tiered-uploader';
import type { AuditTarget, HotLogState } from './types';

export const ADDRESS: SegmentAddress = { tenantId: 'lkc-audit', topicId: Buffer.from('aabbccddeeff00112233445566778899', 'hex'), partition: 0 };
export const KEY = `${ADDRESS.tenantId}/aabbccddeeff00112233445566778899/0`;
export const T0 = 1_700_000_000_000;

/** `count` contiguous segments of 4 batches x 3 records; record timestamps start at `timestampMs`. */
export function makeSegments(count: number, options: { from?: bigint; timestampMs?: number } = {}): FakeSegment[] {
  let offset = options.from ?? 0n;
  const ts = BigInt(options.timestampMs ?? T0);
  const out: FakeSegment[] = [];
  for (let s = 0; s < count; s++) {
    const base = offset;
    const frames: Buffer[] = [];
    for (let b = 0; b < 4; b++) {
      frames.push(buildBatch({ records: [0, 1, 2].map((i) => ({ key: `k${offset + BigInt(i)}`, value: `v${offset + BigInt(i)}-${'y'.repeat(300)}` })), baseOffset: offset, partitionLeaderEpoch: 1, baseTimestamp: ts + offset }));
      offset += 3n;
    }
    const bytes = Buffer.concat(frames);
    out.push({
      bytes,
      info: { baseOffset: base, endOffset: offset, sizeBytes: BigInt(bytes.length), crc32c: crc32c(bytes) >>> 0, minTimestampMs: ts + base, maxTimestampMs: ts + offset - 1n, epochHistory: [{ epoch: 1, startOffset: base }], committed: true },
    });
  }
  return out;
}

export interface Fixture {
  readonly store: MemoryObjectStore;
  readonly manifest: MemorySegmentManifest;
  readonly source: MemorySegmentSource;
  readonly segments: FakeSegment[];
  hot: HotLogState | undefined;
  target(options?: { sources?: MemorySegmentSource[]; retentionMs?: number }): AuditTarget;
}

/** Segments uploaded and recorded; the replica still holds them all; the hot tier from `hotStart`. */
export async function uploadedFixture(count: number, options: { hotStart?: bigint } = {}): Promise<Fixture> {
  const store = new MemoryObjectStore();
  const manifest = new MemorySegmentManifest();
  const segments = makeSegments(count);
  const source = new MemorySegmentSource(segments);
  await uploadPartitionPass({ address: ADDRESS, source, manifest, store, chunkSizeBytes: 1000 });
  const end = segments.at(-1)?.info.endOffset ?? 0n;
  const fixture: Fixture = {
    store,
    manifest,
    source,
    segments,
    hot: { localLogStartOffset: options.hotStart ?? 0n, committedOffset: end + 10n },
    target: (o = {}) => ({
      key: KEY,
      address: ADDRESS,
      retention: { retentionMs: o.retentionMs ?? -1, retentionBytes: -1 },
      sources: o.sources ?? [source],
      hotState: async () => fixture.hot,
    }),
  };
  return fixture;
}
