// The segment manifest RPCs over the in-memory KV, invoked as grpc-js would.
import { status } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { newTopicId } from '@stratus/metadata-model';
import { MemoryKvStore, MetadataStore } from '@stratus/metadata-store';
import { topicIdToBytes } from '../convert';
import { createMetadataService } from '../service';

type Unary = (call: { request: unknown }, cb: (err: { code: number; details?: string } | null, res?: unknown) => void) => void;

function invoke<Res>(service: metadataV1.MetadataServiceServer, method: keyof metadataV1.MetadataServiceServer, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (service[method] as unknown as Unary)({ request }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

const topic = newTopicId();
const partition = { topicId: { value: topicIdToBytes(topic) }, partition: 3 };

function entry(id: string, base: bigint, end: bigint, extra: Partial<metadataV1.SegmentManifestEntry> = {}): metadataV1.SegmentManifestEntry {
  return {
    partition,
    segmentId: id,
    baseOffset: base,
    endOffset: end,
    sizeBytes: 300n,
    objectKey: `t/${topic}/3/${id}`,
    chunks: [
      { position: 0n, sizeBytes: 200, crc32c: 0xdeadbeef, firstBatchOffset: base, firstBatchPosition: 0 },
      { position: 200n, sizeBytes: 100, crc32c: 7, firstBatchOffset: base + 1n, firstBatchPosition: 30 },
    ],
    crc32c: 0xfffffffe,
    minTimestampMs: 1000n,
    maxTimestampMs: 2000n,
    epochHistory: [{ epoch: 4, startOffset: base }],
    state: metadataV1.SegmentState.COMMITTED,
    uploadTimeMs: 5n,
    ...extra,
  };
}

describe('segment manifest RPCs', () => {
  let kv: MemoryKvStore;
  let service: metadataV1.MetadataServiceServer;
  const add = (segments: metadataV1.SegmentManifestEntry[], expectedRevision = 0n) =>
    invoke<metadataV1.AddSegmentsResponse>(service, 'addSegments', { segments, expectedRevision });
  const list = (req: Partial<metadataV1.ListSegmentsRequest> = {}) =>
    invoke<metadataV1.ListSegmentsResponse>(service, 'listSegments', { partition, fromOffset: 0n, includeDeleting: false, ...req });
  const remove = (segmentIds: string[], options: { purge: boolean; expectedRevision?: bigint }) =>
    invoke<metadataV1.RemoveSegmentsResponse>(service, 'removeSegments', { partition, segmentIds, purge: options.purge, expectedRevision: options.expectedRevision ?? 0n });

  beforeEach(() => {
    kv = new MemoryKvStore();
    service = createMetadataService(new MetadataStore({ kv }));
  });
  afterEach(() => kv.close());

  it('adds segments, lists them in offset order with every field intact, and filters by from_offset', async () => {
    const added = await add([entry('b', 100n, 200n), entry('a', 0n, 100n)]);
    expect(added.revision).toBeGreaterThan(0n);
    const all = await list();
    expect(all.segments.map((s) => s.segmentId)).toEqual(['a', 'b']);
    expect(all.segments[0]).toEqual(entry('a', 0n, 100n));
    expect(all.revision).toBeGreaterThanOrEqual(added.revision);
    // end_offset is exclusive: a segment ending at 100 holds nothing at or above 100.
    expect((await list({ fromOffset: 100n })).segments.map((s) => s.segmentId)).toEqual(['b']);
    expect((await list({ fromOffset: 99n })).segments.map((s) => s.segmentId)).toEqual(['a', 'b']);
    expect((await list({ fromOffset: 200n })).segments).toEqual([]);
    // Another partition of the same topic has its own manifest.
    expect((await list({ partition: { ...partition, partition: 4 } })).segments).toEqual([]);
  });

  it('is idempotent for a retried add, and refuses a different segment under the same id or over committed offsets', async () => {
    const first = await add([entry('a', 0n, 100n)]);
    const again = await add([entry('a', 0n, 100n, { uploadTimeMs: 99n })]);
    expect(again.revision).toBe(first.revision);
    await expect(add([entry('a', 0n, 100n, { crc32c: 1 })])).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
    await expect(add([entry('a2', 50n, 150n)])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('overlaps committed segment a') });
    expect((await list()).segments).toHaveLength(1);
  });

  it('rejects malformed segments with INVALID_ARGUMENT and writes nothing', async () => {
    const bad: metadataV1.SegmentManifestEntry[] = [
      entry('x', 10n, 10n),
      entry('x', -1n, 10n),
      entry('x/y', 0n, 10n),
      entry('x', 0n, 10n, { sizeBytes: 0n }),
      entry('x', 0n, 10n, { objectKey: '' }),
      entry('x', 0n, 10n, { chunks: [{ position: 0n, sizeBytes: 100, crc32c: 0, firstBatchOffset: 0n, firstBatchPosition: 0 }] }),
      entry('x', 0n, 10n, { chunks: [{ position: 0n, sizeBytes: 300, crc32c: 0, firstBatchOffset: 0n, firstBatchPosition: 300 }] }),
      entry('x', 0n, 10n, { state: metadataV1.SegmentState.DELETING }),
      entry('x', 0n, 10n, { partition: { topicId: { value: Buffer.alloc(3) }, partition: 3 } }),
      entry('x', 0n, 10n, { partition: undefined }),
    ];
    for (const s of bad) await expect(add([s])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(add([])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(add([entry('a', 0n, 10n), entry('b', 5n, 20n)])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(add([entry('a', 0n, 10n), entry('b', 10n, 20n, { partition: { ...partition, partition: 9 } })])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    expect((await list({ includeDeleting: true })).segments).toEqual([]);
  });

  it('compares on the manifest revision: a write based on a stale read is refused with ABORTED', async () => {
    const empty = await list();
    // An empty manifest can be written conditionally too.
    const r1 = await add([entry('a', 0n, 100n)], empty.revision);
    await expect(add([entry('b', 100n, 200n)], empty.revision)).rejects.toMatchObject({ code: status.ABORTED });
    const r2 = await add([entry('b', 100n, 200n)], r1.revision);
    expect(r2.revision).toBeGreaterThan(r1.revision);
    await expect(remove(['a'], { purge: false, expectedRevision: r1.revision })).rejects.toMatchObject({ code: status.ABORTED });
    // A change to another partition does not move this manifest's revision.
    await add([entry('z', 0n, 10n, { partition: { ...partition, partition: 0 } })]);
    await remove(['a'], { purge: false, expectedRevision: r2.revision });
  });

  it('removes in two steps: mark DELETING (hidden from reads), then purge; retries are no-ops', async () => {
    await add([entry('a', 0n, 100n), entry('b', 100n, 200n)]);
    await expect(remove(['a'], { purge: true })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('mark it deleting') });
    const marked = await remove(['a'], { purge: false });
    expect((await list()).segments.map((s) => s.segmentId)).toEqual(['b']);
    const withDeleting = await list({ includeDeleting: true });
    expect(withDeleting.segments.map((s) => [s.segmentId, s.state])).toEqual([
      ['a', metadataV1.SegmentState.DELETING],
      ['b', metadataV1.SegmentState.COMMITTED],
    ]);
    expect((await remove(['a'], { purge: false })).revision).toBe(marked.revision);
    // A repair may re-add the range under a new id once the old entry stopped serving reads.
    await add([entry('a-repair', 0n, 100n)]);
    await remove(['a'], { purge: true });
    await remove(['a', 'never-existed'], { purge: true });
    expect((await list({ includeDeleting: true })).segments.map((s) => s.segmentId)).toEqual(['a-repair', 'b']);
    await expect(remove([], { purge: false })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('pages through a long manifest in order without gaps or repeats', async () => {
    const all = Array.from({ length: 25 }, (_, i) => entry(`s${String(i).padStart(2, '0')}`, BigInt(i * 10), BigInt(i * 10 + 10)));
    await add(all.slice(0, 13));
    await add(all.slice(13));
    const seen: string[] = [];
    let token = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = await list({ page: { pageSize: 7, pageToken: token } });
      seen.push(...page.segments.map((s) => s.segmentId));
      token = page.page?.nextPageToken ?? '';
      if (token === '') break;
    }
    expect(seen).toEqual(all.map((s) => s.segmentId));
    await expect(list({ page: { pageSize: 5, pageToken: 'garbage!' } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});
