import { MemoryObjectStore } from '@stratus/tiered-object-store';
import { segmentObjectKey } from './layout';
import { ADDRESS, MemoryManifest, MemorySegmentSource, makeSegments, type FakeSegment } from './memory-ports.testkit';
import { SegmentSourceError } from './ports';
import { uploadPartitionPass } from './upload-partition';

describe('uploadPartitionPass', () => {
  let store: MemoryObjectStore;
  let manifest: MemoryManifest;
  beforeEach(() => {
    store = new MemoryObjectStore();
    manifest = new MemoryManifest();
  });
  afterEach(() => store.close());

  const pass = (source: MemorySegmentSource) => uploadPartitionPass({ address: ADDRESS, source, manifest, store, chunkSizeBytes: 700, now: () => 1234 });

  it('uploads committed sealed segments byte-identical, records them in order, and a second pass does nothing', async () => {
    const segments = makeSegments(4, { committed: 3 });
    const source = new MemorySegmentSource(segments);
    const result = await pass(source);
    expect(result.uploaded).toHaveLength(3);
    expect(result.tieredEndOffset).toBe(segments[2]?.info.endOffset);
    for (const s of segments.slice(0, 3)) {
      expect(await store.get(segmentObjectKey(ADDRESS, s.info))).toEqual(s.bytes);
    }
    // The uncommitted tail can still be truncated: never uploaded.
    expect(await store.head(segmentObjectKey(ADDRESS, (segments[3] as FakeSegment).info))).toBeUndefined();
    const entries = (await manifest.list(ADDRESS)).segments;
    expect(entries.map((e) => e.baseOffset)).toEqual(segments.slice(0, 3).map((s) => s.info.baseOffset));
    const first = entries[0];
    expect(first).toMatchObject({ sizeBytes: segments[0]?.info.sizeBytes, crc32c: segments[0]?.info.crc32c, uploadTimeMs: 1234n, epochHistory: [{ epoch: 1, startOffset: 0n }] });
    expect(first?.chunks.reduce((n, c) => n + c.sizeBytes, 0)).toBe(Number(segments[0]?.info.sizeBytes));
    expect(first?.chunks[0]?.firstBatchOffset).toBe(0n);
    const readsBefore = source.reads;
    expect((await pass(source)).uploaded).toEqual([]);
    expect(source.reads).toBe(readsBefore);
  });

  it('recovers from a crash between upload and manifest commit without writing the object twice', async () => {
    const segments = makeSegments(2);
    const source = new MemorySegmentSource(segments);
    manifest.failNextAdd = true;
    await expect(pass(source)).rejects.toThrow('metadata unavailable');
    const key = segmentObjectKey(ADDRESS, (segments[0] as FakeSegment).info);
    const etag = (await store.head(key))?.etag;
    const result = await pass(source);
    expect(result.uploaded).toHaveLength(2);
    expect((await store.head(key))?.etag).toBe(etag);
    expect((await manifest.list(ADDRESS)).segments[0]?.chunks.length).toBeGreaterThan(1);
  });

  it('never trusts a half-written or foreign object at the key: it is replaced by the real bytes', async () => {
    const segments = makeSegments(1);
    const seg = segments[0] as (typeof segments)[number];
    const key = segmentObjectKey(ADDRESS, seg.info);
    await store.putIfAbsent(key, seg.bytes.subarray(0, 100));
    await pass(new MemorySegmentSource(segments));
    expect(await store.get(key)).toEqual(seg.bytes);
    expect((await manifest.list(ADDRESS)).segments).toHaveLength(1);
  });

  it('makes nothing visible and records nothing when the replica sends a corrupt chunk', async () => {
    const segments = makeSegments(1);
    const source = new MemorySegmentSource(segments);
    source.corruptNextChunk = true;
    await expect(pass(source)).rejects.toThrow(SegmentSourceError);
    expect(await store.head(segmentObjectKey(ADDRESS, (segments[0] as FakeSegment).info))).toBeUndefined();
    expect((await manifest.list(ADDRESS)).segments).toEqual([]);
    expect((await pass(source)).uploaded).toHaveLength(1);
  });

  it('stops at a segment that does not continue the manifest instead of leaving a gap', async () => {
    const first = makeSegments(1);
    await pass(new MemorySegmentSource(first));
    const end = first[0]?.info.endOffset as bigint;
    // Another replica that rolled 5 offsets later: its segments start past the manifest's end.
    const other = makeSegments(2, { from: end + 5n });
    const result = await pass(new MemorySegmentSource(other));
    expect(result).toMatchObject({ uploaded: [], blockedAt: end + 5n, tieredEndOffset: end });
  });
  it('reports tiering lag when the replica is listed and after every upload, and it stays up when an upload fails', async () => {
    const segments = makeSegments(3, { committed: 3 });
    const source = new MemorySegmentSource(segments);
    const lags: { segments: number; bytes: bigint; tieredEnd: bigint }[] = [];
    const onLag = (l: { lagSegments: number; lagBytes: bigint; tieredEndOffset: bigint }) => lags.push({ segments: l.lagSegments, bytes: l.lagBytes, tieredEnd: l.tieredEndOffset });
    const total = segments.reduce((n, s) => n + s.info.sizeBytes, 0n);
    // The store refuses every write after the first: the pass fails on the second segment.
    const put = store.putIfAbsent.bind(store);
    let puts = 0;
    store.putIfAbsent = async (...args) => {
      if (++puts > 1) throw new Error('S3 down');
      return put(...args);
    };
    await expect(uploadPartitionPass({ address: ADDRESS, source, manifest, store, onLag })).rejects.toThrow('S3 down');
    expect(lags).toEqual([
      { segments: 3, bytes: total, tieredEnd: 0n },
      { segments: 2, bytes: total - (segments[0] as FakeSegment).info.sizeBytes, tieredEnd: (segments[0] as FakeSegment).info.endOffset },
    ]);
    store.putIfAbsent = put;
    const result = await uploadPartitionPass({ address: ADDRESS, source, manifest, store, onLag });
    expect(result.lag).toMatchObject({ lagSegments: 0, lagBytes: 0n, tieredEndOffset: (segments[2] as FakeSegment).info.endOffset, sealedCommittedEndOffset: (segments[2] as FakeSegment).info.endOffset });
  });

  it('stops after maxSegments with more waiting, and the next pass continues where it stopped', async () => {
    const segments = makeSegments(5);
    const source = new MemorySegmentSource(segments);
    const first = await uploadPartitionPass({ address: ADDRESS, source, manifest, store, maxSegments: 2 });
    expect(first).toMatchObject({ more: true, lag: { lagSegments: 3 } });
    expect(first.uploaded).toHaveLength(2);
    const second = await uploadPartitionPass({ address: ADDRESS, source, manifest, store, maxSegments: 3 });
    expect(second).toMatchObject({ more: false, lag: { lagSegments: 0 } });
    expect((await manifest.list(ADDRESS)).segments.map((e) => e.baseOffset)).toEqual(segments.map((s) => s.info.baseOffset));
  });
});
