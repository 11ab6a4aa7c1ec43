// Tiering against a real S3 API server (s3rver in a child process) with the service's own pieces
// in-process: the upload loop with tiering-lag metrics, the durability audit and the cold read
// path. Replication is stood in for by an in-memory source that streams exactly as ReadSegment does
// (the end-to-end suite with real replication processes lives elsewhere).
//  - S3 stopped while segments keep sealing: nothing is recorded that is not stored, cold reads fail
//    with a retriable error, the lag gauges rise; after the restart uploads resume and lag falls to 0.
//  - An object deleted and another corrupted behind the system's back: the audit reports both and
//    re-uploads them from the replica, byte-identical; GetAuditStatus lists them as repaired.
//  - A scan of more data than the chunk cache holds keeps the cache within its byte bound.
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { tieredV1 } from '@stratus/contracts';
import { createMetrics, type Metrics } from '@stratus/platform-metrics';
import { makeTempDir, S3RVER_CREDENTIALS, s3Client, startS3, useHarness, type S3Handle } from '@stratus/platform-testing';
import { createAuditMetrics, DurabilityAuditor } from '@stratus/tiered-audit';
import { openObjectStore, type ObjectStore } from '@stratus/tiered-object-store';
import { ChunkCache, TieredReader } from '@stratus/tiered-reader';
import { MemorySegmentManifest, MemorySegmentSource, segmentObjectKey, uploadPartitionPass, type FakeSegment } from '@stratus/tiered-uploader';
import { makeSegments } from './memory-manifest.testkit';
import { auditStatusResponse } from './status-handlers';
import type { PartitionTarget } from './targets';
import { handleFetch } from './tiered-service';
import { TieringStatus } from './tiering-status';
import { UploadLoop } from './upload-loop';

jest.setTimeout(180_000);

const BUCKET = 'tiered-faults';
const TOPIC = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
const TARGET: PartitionTarget = { key: `${TOPIC.toString('hex')}/0`, address: { tenantId: 'lkc-faults', topicId: TOPIC, partition: 0 }, replicas: ['replica-1'], retention: { retentionMs: -1, retentionBytes: -1 } };
const SERIES = `{tenant="lkc-faults",topic_id="${TOPIC.toString('hex')}",partition="0"}`;
const silent = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined };

async function gauge(metrics: Metrics, name: string, labels = SERIES): Promise<number> {
  const line = (await metrics.render()).split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return Number(line?.split(' ').at(-1));
}

describe('tiered storage on a real S3 API server', () => {
  useHarness();
  let s3: S3Handle;
  let store: ObjectStore;

  beforeAll(async () => {
    s3 = await startS3({ bucket: BUCKET });
    // A small retry budget, so an outage surfaces in seconds (the production budget is 30 s).
    store = await openObjectStore(`s3://${BUCKET}/tiered`, {
      s3: { endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: S3RVER_CREDENTIALS, requestTimeoutMs: 3_000, connectionTimeoutMs: 1_000 },
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200, budgetMs: 3_000 },
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('audit: reports a deleted and a corrupted object and repairs both from the replica', async () => {
    const metrics = createMetrics({ service: 'audit-it', processMetrics: false });
    const manifest = new MemorySegmentManifest();
    const address = { ...TARGET.address, partition: 1 };
    const segments = makeSegments(3);
    const source = new MemorySegmentSource(segments);
    await uploadPartitionPass({ address, source, manifest, store });
    const [s0, s1] = segments as [FakeSegment, FakeSegment];
    // Behind the system's back, straight through the S3 API.
    const client = s3Client(s3);
    const key = (s: FakeSegment) => `tiered/${segmentObjectKey(address, s.info)}`;
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key(s0) }));
    const damaged = Buffer.from(s1.bytes);
    damaged[damaged.length - 5] = (damaged[damaged.length - 5] as number) ^ 0x01;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key(s1), Body: damaged }));
    expect(await store.getRange(segmentObjectKey(address, s1.info), 0, s1.bytes.length)).toEqual(damaged);

    const errors: object[] = [];
    const auditor = new DurabilityAuditor({
      targets: () => [{ key: `${TOPIC.toString('hex')}/1`, address, retention: TARGET.retention, sources: [source], hotState: async () => ({ localLogStartOffset: 0n, committedOffset: segments.at(-1)?.info.endOffset ?? 0n }) }],
      manifest,
      store,
      logger: { ...silent, error: (o: object) => void errors.push(o) },
      metrics: createAuditMetrics(metrics),
      intervalMs: 60_000,
      verifyBytesPerSecond: 1024 * 1024,
    });
    const report = await auditor.runPass();
    expect(report).toMatchObject({ partitions: 1, failed: [] });
    expect(errors).toEqual([]);
    for (const s of segments) expect(await store.get(segmentObjectKey(address, s.info), { verifyChecksum: true })).toEqual(s.bytes);
    const status = auditStatusResponse(auditor, tieredV1.GetAuditStatusRequest.fromPartial({ includeRepaired: true }));
    expect(status.findings.map((f) => [f.kind, f.startOffset, f.repairedTimeMs > 0n])).toEqual([
      [tieredV1.AuditFindingKind.MANIFEST_MISMATCH, s0.info.baseOffset, true],
      [tieredV1.AuditFindingKind.CHECKSUM_MISMATCH, s1.info.baseOffset, true],
    ]);
    expect(auditStatusResponse(auditor, tieredV1.GetAuditStatusRequest.fromPartial({})).findings).toEqual([]);
    expect(await gauge(metrics, 'stratus_tiered_audit_repairs_total', '{result="repaired"}')).toBe(2);

    // Once no replica holds the segment any more, the same damage is data loss, reported as such.
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key(s0) }));
    source.segments = segments.slice(1);
    await auditor.runPass();
    expect(await gauge(metrics, 'stratus_tiered_audit_data_loss_findings', '')).toBe(1);
    expect(errors).toHaveLength(1);
    const open = auditStatusResponse(auditor, tieredV1.GetAuditStatusRequest.fromPartial({})).findings;
    expect(open).toEqual([expect.objectContaining({ kind: tieredV1.AuditFindingKind.MANIFEST_MISMATCH, repairedTimeMs: 0n, detail: expect.stringContaining('DATA LOSS') })]);
  });

  it('keeps the chunk cache within its byte bound under a scan larger than the cache', async () => {
    const manifest = new MemorySegmentManifest();
    const address = { ...TARGET.address, partition: 2 };
    const segments = makeSegments(6);
    await uploadPartitionPass({ address, source: new MemorySegmentSource(segments), manifest, store, chunkSizeBytes: 100 });
    const total = segments.reduce((n, s) => n + s.bytes.length, 0);
    const dir = await makeTempDir('tiered-scan-cache');
    const maxBytes = 400;
    expect(total).toBeGreaterThan(3 * maxBytes);
    const cache = await ChunkCache.open({ dir: dir.path, maxBytes });
    const reader = new TieredReader({ manifest, store, cache });
    const end = segments.at(-1)?.info.endOffset ?? 0n;
    const scanned: Buffer[] = [];
    for (let offset = 0n; offset < end; ) {
      const r = await reader.fetch({ partition: address, offset, maxBytes: 600, maxOffset: 0n });
      if (!r.ok) throw new Error(r.message);
      scanned.push(Buffer.from(r.records));
      expect(cache.usedBytes).toBeLessThanOrEqual(maxBytes);
      offset = r.nextOffset;
    }
    expect(Buffer.concat(scanned)).toEqual(Buffer.concat(segments.map((s) => s.bytes)));
    const { readdir, stat } = await import('node:fs/promises');
    const onDisk = (await Promise.all((await readdir(dir.path)).map(async (n) => (await stat(`${dir.path}/${n}`)).size))).reduce((a, b) => a + b, 0);
    expect(onDisk).toBeLessThanOrEqual(maxBytes);
  });
  // Last: the restarted s3rver is a process of this test, stopped by the harness after it.
  it('keeps everything while S3 is down, reports rising lag, and catches up after the restart', async () => {
    const metrics = createMetrics({ service: 'faults-it', processMetrics: false });
    const tiering = new TieringStatus({ metrics });
    const manifest = new MemorySegmentManifest();
    const all = makeSegments(6);
    const source = new MemorySegmentSource(all.slice(0, 2));
    const loop = new UploadLoop({
      concurrency: 1,
      intervalMs: 60_000,
      logger: silent,
      onPassEnded: (t, o) => tiering.passEnded(t, o),
      ports: {
        targets: () => [TARGET],
        uploadPass: (t) => uploadPartitionPass({ address: t.address, source, manifest, store, maxSegments: 8, onLag: (lag) => tiering.updateLag(t, lag) }),
        retention: async () => ({ deleted: [], logStartOffset: undefined }),
      },
    });
    const dir = await makeTempDir('tiered-faults-cache');
    const reader = new TieredReader({ manifest, store, cache: await ChunkCache.open({ dir: dir.path, maxBytes: 1 << 20 }) });

    expect((await loop.runRound()).partitions[0]).toMatchObject({ uploaded: 2, uploadError: false });
    expect(await gauge(metrics, 'stratus_tiered_lag_segments')).toBe(0);

    await s3.stop();
    // Four more segments seal on the replica while S3 is down.
    source.segments = all;
    const down = await loop.runRound();
    expect(down.partitions[0]).toMatchObject({ uploaded: 0, uploadError: true });
    const pendingBytes = all.slice(2).reduce((n, s) => n + s.bytes.length, 0);
    expect(await gauge(metrics, 'stratus_tiered_lag_segments')).toBe(4);
    expect(await gauge(metrics, 'stratus_tiered_lag_bytes')).toBe(pendingBytes);
    expect(await gauge(metrics, 'stratus_tiered_upload_failures_total')).toBe(1);
    expect(tiering.get(TARGET.key)?.lastUploadError).not.toBe('');
    // The manifest holds only what S3 confirmed; the replica still holds the rest.
    expect(manifest.entries(TARGET.address).map((e) => e.endOffset)).toEqual(all.slice(0, 2).map((s) => s.info.endOffset));
    // A cold read fails with a retriable error instead of hanging or answering wrong bytes.
    const cold = await handleFetch(reader, tieredV1.FetchRequest.fromPartial({ partition: { topicId: { value: TOPIC }, partition: 0 }, offset: 0n, maxBytes: 1 << 20 }), silent as never);
    expect(cold.error?.code).toBe(tieredV1.TieredErrorCode.OBJECT_STORE_UNAVAILABLE);

    await s3.restart();
    const up = await loop.runRound();
    expect(up.partitions[0]).toMatchObject({ uploaded: 4, uploadError: false });
    expect(await gauge(metrics, 'stratus_tiered_lag_segments')).toBe(0);
    expect(await gauge(metrics, 'stratus_tiered_lag_bytes')).toBe(0);
    expect(tiering.get(TARGET.key)?.lastUploadError).toBe('');
    // Every segment is in S3, byte-identical, and the manifest is contiguous from 0.
    for (const s of all) expect(await store.get(segmentObjectKey(TARGET.address, s.info))).toEqual(s.bytes);
    const entries = manifest.entries(TARGET.address);
    expect(entries.map((e) => [e.baseOffset, e.endOffset])).toEqual(all.map((s) => [s.info.baseOffset, s.info.endOffset]));
    const warm = await handleFetch(reader, tieredV1.FetchRequest.fromPartial({ partition: { topicId: { value: TOPIC }, partition: 0 }, offset: 0n, maxBytes: 1 << 20 }), silent as never);
    expect(warm.error).toBeUndefined();
    expect(Buffer.from(warm.records).subarray(0, (all[0] as FakeSegment).bytes.length)).toEqual((all[0] as FakeSegment).bytes);
  });
});
