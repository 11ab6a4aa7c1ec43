// Upload → metadata manifest → read back, on real servers: s3rver (S3 API), etcd behind the
// metadata app process. The segments come from an in-memory source (the replication app cannot
// yet be configured with small segments; see docs/tiered-storage.md "Not yet").
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { metadataV1 } from '@stratus/contracts';
import { buildBatch } from '@stratus/kafka-records';
import { createGrpcClient } from '@stratus/platform-grpc';
import { S3RVER_CREDENTIALS, startApp, startEtcd, startS3, useHarness, type S3Handle } from '@stratus/platform-testing';
import { openObjectStore, type ObjectStore } from '@stratus/tiered-object-store';
import { applyRetention, GrpcSegmentManifest, MemorySegmentSource, segmentObjectKey, uploadPartitionPass, type FakeSegment } from '@stratus/tiered-uploader';
import { ChunkCache } from './chunk-cache';
import { TieredReader } from './tiered-reader';

const BUCKET = 'tiered-it';
const address = { tenantId: 'lkc-it', topicId: Buffer.from('0123456789abcdef0123456789abcdef', 'hex'), partition: 1 };

function segments(count: number): FakeSegment[] {
  let offset = 0n;
  const out: FakeSegment[] = [];
  for (let s = 0; s < count; s++) {
    const base = offset;
    const frames: Buffer[] = [];
    for (let b = 0; b < 20; b++) {
      const n = 1 + (b % 5);
      frames.push(buildBatch({ records: Array.from({ length: n }, (_, i) => ({ key: `k${offset + BigInt(i)}`, value: Buffer.alloc(3000, Number(offset % 251n) + i) })), baseOffset: offset, partitionLeaderEpoch: 3, baseTimestamp: 1_700_000_000_000n + offset }));
      offset += BigInt(n);
    }
    const bytes = Buffer.concat(frames);
    out.push({ bytes, info: { baseOffset: base, endOffset: offset, sizeBytes: BigInt(bytes.length), crc32c: crc32c(bytes) >>> 0, minTimestampMs: -1n, maxTimestampMs: 1_700_000_000_000n + offset, epochHistory: [], committed: true } });
  }
  return out;
}

describe('tiered upload, read and retention against s3rver and the metadata service', () => {
  useHarness();
  let s3: S3Handle;
  let metadataAddress: string;
  let cacheDir: string;
  const open = (): Promise<ObjectStore> =>
    openObjectStore(`s3://${BUCKET}/tiered`, { s3: { endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, partSize: 5 * 1024 * 1024 } });
  const manifestClient = () => {
    const client = createGrpcClient(metadataV1.MetadataServiceClient, metadataAddress);
    return { client, manifest: new GrpcSegmentManifest(client) };
  };

  beforeAll(async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(','), STRATUS_LOG_LEVEL: 'warn' } });
    metadataAddress = metadata.grpcAddress;
    s3 = await startS3({ bucket: BUCKET });
    cacheDir = await mkdtemp(join(tmpdir(), 'tiered-it-cache-'));
  });
  afterAll(() => rm(cacheDir, { recursive: true, force: true }));

  it('uploads sealed segments once, and after a restart reads them back byte-identical through the cache', async () => {
    const sealed = segments(4);
    const whole = Buffer.concat(sealed.map((s) => s.bytes));
    const first = { store: await open(), ...manifestClient() };
    const result = await uploadPartitionPass({ address, source: new MemorySegmentSource(sealed), manifest: first.manifest, store: first.store, chunkSizeBytes: 64 * 1024 });
    expect(result.uploaded).toHaveLength(4);
    // A second uploader (a restarted process) finds everything recorded and reads nothing.
    const again = new MemorySegmentSource(sealed);
    expect((await uploadPartitionPass({ address, source: again, manifest: first.manifest, store: first.store })).uploaded).toEqual([]);
    expect(again.reads).toBe(0);
    first.client.close();
    await first.store.close();

    // "Restart": new clients, a new cache instance over the same directory.
    const readSide = async (maxBytes: number) => {
      const store = await open();
      const { client, manifest } = manifestClient();
      const cache = await ChunkCache.open({ dir: cacheDir, maxBytes });
      return { store, client, cache, reader: new TieredReader({ manifest, store, cache }) };
    };
    const r1 = await readSide(64 * 1024 * 1024);
    const all = await r1.reader.fetch({ partition: address, offset: 0n, maxBytes: 64 * 1024 * 1024 });
    expect(all.ok && all.records.equals(whole)).toBe(true);
    expect(r1.cache.stats.misses).toBeGreaterThan(0);
    r1.client.close();
    await r1.store.close();

    const r2 = await readSide(64 * 1024 * 1024);
    expect(r2.cache.usedBytes).toBe(whole.length);
    const files = (await readdir(cacheDir)).filter((f) => f.endsWith('.chunk'));
    await writeFile(join(cacheDir, files[files.length - 1] as string), Buffer.from('torn write'));
    // Read in small fetches from offset 0, as a consumer would.
    const parts: Buffer[] = [];
    let offset = 0n;
    while (offset < (sealed[sealed.length - 1] as FakeSegment).info.endOffset) {
      const res = await r2.reader.fetch({ partition: address, offset, maxBytes: 20_000 });
      if (!res.ok) throw new Error(res.message);
      parts.push(res.records);
      offset = res.nextOffset;
    }
    expect(Buffer.concat(parts).equals(whole)).toBe(true);
    expect(r2.cache.stats.corruptDropped).toBe(1);
    expect(r2.cache.stats.misses).toBe(1);
    r2.client.close();
    await r2.store.close();

    // Retention by time: the two oldest segments expire; their objects and entries go.
    const store = await open();
    const { client, manifest } = manifestClient();
    const now = Number((sealed[1] as FakeSegment).info.maxTimestampMs) + 60_001;
    const kept = await applyRetention({ partition: address, manifest, store, policy: { retentionMs: 60_000, retentionBytes: -1 }, now: () => now });
    expect(kept.deleted).toHaveLength(2);
    expect(kept.logStartOffset).toBe(sealed[2]?.info.baseOffset);
    for (const [i, s] of sealed.entries()) expect((await store.head(segmentObjectKey(address, s.info))) === undefined).toBe(i < 2);
    expect((await manifest.list(address, { includeDeleting: true })).segments.map((s) => s.baseOffset)).toEqual(sealed.slice(2).map((s) => s.info.baseOffset));
    client.close();
    await store.close();
  });
});
