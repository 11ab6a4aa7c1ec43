import { tieredV1 } from '@stratus/contracts';
import { MemoryObjectStore, ObjectStoreUnavailableError } from '@stratus/tiered-object-store';
import { ChunkCache, TieredReader } from '@stratus/tiered-reader';
import { MemorySegmentSource, uploadPartitionPass } from '@stratus/tiered-uploader';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryManifest, makeSegments } from './memory-manifest.testkit';
import { handleFetch, type FetchPort } from './tiered-service';

const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() } as unknown as Parameters<typeof handleFetch>[2];
const TOPIC = Buffer.alloc(16, 0x22);
const request = (fields: Partial<tieredV1.FetchRequest> = {}) =>
  tieredV1.FetchRequest.fromPartial({ partition: { topicId: { value: TOPIC }, partition: 0 }, offset: 0n, maxBytes: 1 << 20, ...fields });

describe('tieredV1 Fetch', () => {
  let dir: string;
  let reader: TieredReader;
  const manifest = new MemoryManifest();
  const store = new MemoryObjectStore();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiered-fetch-'));
    reader = new TieredReader({ manifest, store, cache: await ChunkCache.open({ dir, maxBytes: 1 << 20 }) });
    await uploadPartitionPass({ address: { tenantId: 'lkc-1', topicId: TOPIC, partition: 0 }, source: new MemorySegmentSource(makeSegments(2)), manifest, store });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('returns the uploaded batches with the tiered range', async () => {
    const res = await handleFetch(reader, request({ offset: 7n }), logger);
    expect(res.error).toBeUndefined();
    expect(res.records.length).toBeGreaterThan(0);
    // The first batch returned is the one holding offset 7 (batches of 2 records: 6..7).
    expect(Buffer.from(res.records).readBigInt64BE(0)).toBe(6n);
    expect([res.nextOffset, res.tieredLogStartOffset, res.tieredEndOffset]).toEqual([12n, 0n, 12n]);
  });

  it('answers UNKNOWN_PARTITION for a partition with no tiered data, OFFSET_OUT_OF_RANGE past the end', async () => {
    const unknown = await handleFetch(reader, request({ partition: { topicId: { value: Buffer.alloc(16, 0x99) }, partition: 3 } }), logger);
    expect(unknown.error?.code).toBe(tieredV1.TieredErrorCode.UNKNOWN_PARTITION);
    const past = await handleFetch(reader, request({ offset: 12n }), logger);
    expect(past.error?.code).toBe(tieredV1.TieredErrorCode.OFFSET_OUT_OF_RANGE);
    expect([past.tieredLogStartOffset, past.tieredEndOffset]).toEqual([0n, 12n]);
  });

  it('answers INVALID_REQUEST for malformed requests and NOT_READY without a reader', async () => {
    for (const bad of [request({ partition: { topicId: { value: Buffer.alloc(3) }, partition: 0 } }), request({ offset: -1n }), request({ maxBytes: -5 }), request({ partition: undefined })]) {
      expect((await handleFetch(reader, bad, logger)).error?.code).toBe(tieredV1.TieredErrorCode.INVALID_REQUEST);
    }
    expect((await handleFetch(undefined, request(), logger)).error?.code).toBe(tieredV1.TieredErrorCode.NOT_READY);
  });

  it('maps an unreachable object store to OBJECT_STORE_UNAVAILABLE and rethrows bugs', async () => {
    const down: FetchPort = { fetch: async () => Promise.reject(new ObjectStoreUnavailableError('getRange', 3, new Error('ECONNREFUSED'))) };
    expect((await handleFetch(down, request(), logger)).error?.code).toBe(tieredV1.TieredErrorCode.OBJECT_STORE_UNAVAILABLE);
    const buggy: FetchPort = { fetch: async () => Promise.reject(new TypeError('boom')) };
    await expect(handleFetch(buggy, request(), logger)).rejects.toThrow('boom');
  });
});
