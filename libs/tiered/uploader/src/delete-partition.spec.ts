import { MemoryObjectStore } from '@stratus/tiered-object-store';
import { deletePartitionData, trimPartitionData } from './delete-partition';
import { partitionPrefix, segmentObjectKey } from './layout';
import { ADDRESS, MemoryManifest, MemorySegmentSource, makeSegments, TOPIC } from './memory-ports.testkit';
import { uploadPartitionPass } from './upload-partition';

describe('deleting tiered data', () => {
  let store: MemoryObjectStore;
  let manifest: MemoryManifest;
  beforeEach(() => {
    store = new MemoryObjectStore();
    manifest = new MemoryManifest();
  });
  afterEach(() => store.close());

  it('topic deletion removes every entry, every object and objects no entry names, and leaves other partitions alone', async () => {
    const segments = makeSegments(3);
    await uploadPartitionPass({ address: ADDRESS, source: new MemorySegmentSource(segments), manifest, store });
    // An upload that crashed before AddSegments left an object without an entry.
    await store.putIfAbsent(`${partitionPrefix(ADDRESS)}orphan.log`, Buffer.from('x'));
    const other = { ...ADDRESS, partition: 3 };
    await store.putIfAbsent(`${partitionPrefix(other)}keep.log`, Buffer.from('y'));
    const result = await deletePartitionData({ address: ADDRESS, manifest, store });
    expect(result).toEqual({ segmentsDeleted: 3, bytesDeleted: segments.reduce((n, s) => n + s.info.sizeBytes, 0n), orphansDeleted: 1 });
    expect((await manifest.list(ADDRESS, { includeDeleting: true })).segments).toEqual([]);
    expect((await store.list(partitionPrefix(ADDRESS))).objects).toEqual([]);
    expect((await store.list(`${ADDRESS.tenantId}/${TOPIC.toString('hex')}/3/`)).objects.map((o) => o.key)).toEqual([`${partitionPrefix(other)}keep.log`]);
    // Idempotent: a second run (another node, a retry) finds nothing.
    expect(await deletePartitionData({ address: ADDRESS, manifest, store })).toEqual({ segmentsDeleted: 0, bytesDeleted: 0n, orphansDeleted: 0 });
  });

  it('trimming deletes segments wholly below the new log start and keeps the one that straddles it', async () => {
    const segments = makeSegments(3);
    await uploadPartitionPass({ address: ADDRESS, source: new MemorySegmentSource(segments), manifest, store });
    const [s0, s1, s2] = segments.map((s) => s.info);
    if (!s0 || !s1 || !s2) throw new Error('three segments');
    const result = await trimPartitionData({ address: ADDRESS, manifest, store, logStartOffset: s1.baseOffset + 1n });
    expect(result).toMatchObject({ segmentsDeleted: 1, bytesDeleted: s0.sizeBytes, tieredLogStartOffset: s1.baseOffset });
    expect(await store.head(segmentObjectKey(ADDRESS, s0))).toBeUndefined();
    expect(await store.head(segmentObjectKey(ADDRESS, s1))).toBeDefined();
    expect((await trimPartitionData({ address: ADDRESS, manifest, store, logStartOffset: s2.endOffset })).tieredLogStartOffset).toBeUndefined();
  });
});
