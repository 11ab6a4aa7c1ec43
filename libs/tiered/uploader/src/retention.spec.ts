import { MemoryObjectStore } from '@stratus/tiered-object-store';
import { segmentObjectKey } from './layout';
import { ADDRESS, MemoryManifest, MemorySegmentSource, makeSegments, type FakeSegment } from './memory-ports.testkit';
import { applyRetention } from './retention';
import { uploadPartitionPass } from './upload-partition';

describe('applyRetention', () => {
  let store: MemoryObjectStore;
  let manifest: MemoryManifest;
  const segments: FakeSegment[] = makeSegments(4);
  beforeEach(async () => {
    store = new MemoryObjectStore();
    manifest = new MemoryManifest();
    await uploadPartitionPass({ address: ADDRESS, source: new MemorySegmentSource(segments), manifest, store });
  });
  afterEach(() => store.close());

  const keyOf = (s: FakeSegment) => segmentObjectKey(ADDRESS, s.info);
  const maxTs = (i: number) => Number((segments[i] as FakeSegment).info.maxTimestampMs);
  const size = Number(segments[0]?.info.sizeBytes);

  it('deletes whole segments older than retention.ms, oldest first, from the store and the manifest', async () => {
    const result = await applyRetention({ partition: ADDRESS, manifest, store, policy: { retentionMs: 1000, retentionBytes: -1 }, now: () => maxTs(1) + 1001 });
    expect(result.deleted).toHaveLength(2);
    expect(result.logStartOffset).toBe(segments[2]?.info.baseOffset);
    for (const [i, s] of segments.entries()) expect((await store.head(keyOf(s))) === undefined).toBe(i < 2);
    expect((await manifest.list(ADDRESS, { includeDeleting: true })).segments.map((s) => s.baseOffset)).toEqual(segments.slice(2).map((s) => s.info.baseOffset));
  });

  it('keeps the log at or above retention.bytes (hot bytes counted) and keeps everything with -1', async () => {
    expect((await applyRetention({ partition: ADDRESS, manifest, store, policy: { retentionMs: -1, retentionBytes: -1 }, now: () => 1e15 })).deleted).toEqual([]);
    // Segments are equally sized: 4 tiered + 1 segment's worth of hot bytes, limit 2.5 segments → 2 go.
    const result = await applyRetention({ partition: ADDRESS, manifest, store, policy: { retentionMs: -1, retentionBytes: Math.floor(size * 2.5) }, hotBytes: BigInt(size), now: () => 0 });
    expect(result.deleted).toHaveLength(2);
  });

  it('finishes a run that crashed after marking: DELETING entries get their objects deleted and are purged', async () => {
    const first = (await manifest.list(ADDRESS)).segments[0];
    await manifest.remove(ADDRESS, [first?.segmentId as string], { purge: false });
    const result = await applyRetention({ partition: ADDRESS, manifest, store, policy: { retentionMs: -1, retentionBytes: -1 } });
    expect(result.deleted).toEqual([first?.segmentId]);
    expect(await store.head(first?.objectKey as string)).toBeUndefined();
    expect(manifest.entries.size).toBe(3);
  });
});
