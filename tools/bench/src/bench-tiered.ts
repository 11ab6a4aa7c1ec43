// Tiered storage benchmark (issue 9, "Performance"): upload throughput to a local S3 API server,
// cold read throughput with an empty chunk cache and with a warm one, first-byte latency of a cold
// fetch, and the ratio of cold to hot read throughput.
//
// What runs where: s3rver is a real S3 API server in its own process (@stratus/platform-testing
// startS3, the same server the integration tests use), reached over HTTP by the production S3
// object store (@stratus/tiered-object-store). The uploader (uploadPartitionPass, with its
// per-chunk CRC32C checks and read-back HEAD), the reader (TieredReader) and its disk chunk cache
// run in this process, as inside the tiered-storage service — without the gRPC hop from the
// broker, which both tiers share in production. "Hot" is the replication hot tier's own read
// path: PartitionReplica.read over the same batches in segment files on local disk (page cache
// warm, as the tail of a log normally is), also in process. So the ratio compares the two
// storage paths, not two network stacks.
//
// Rounds interleave cold, warm and hot scans (a burst of load from other processes on a shared
// machine then hits all three alike); every figure is the median over rounds, the ratio the
// median of per-round ratios.
//
//   npx nx run bench:bench-tiered
//   BENCH_TIERED_SEGMENTS=8 BENCH_TIERED_SEGMENT_MB=8 BENCH_TIERED_ROUNDS=3 npx nx run bench:bench-tiered
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { buildBatch } from '@stratus/kafka-records';
import { S3RVER_CREDENTIALS, startS3, type S3Handle } from '@stratus/platform-testing';
import { DEFAULT_PARTITION_LOG_CONFIG, NodeFileIo, PartitionReplica, leaderEpoch, partitionKey } from '@stratus/replication-partition-log';
import { openObjectStore, type ObjectStore } from '@stratus/tiered-object-store';
import { ChunkCache, TieredReader } from '@stratus/tiered-reader';
import { MemorySegmentManifest, MemorySegmentSource, uploadPartitionPass, type FakeSegment, type SegmentAddress } from '@stratus/tiered-uploader';
import { formatResult, machineInfo, type BenchResult } from './result';

const MB = 1024 * 1024;
const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
};

const SEGMENTS = envInt('BENCH_TIERED_SEGMENTS', 8);
const SEGMENT_MB = envInt('BENCH_TIERED_SEGMENT_MB', 8);
const ROUNDS = envInt('BENCH_TIERED_ROUNDS', 3);
const LATENCY_SAMPLES = envInt('BENCH_TIERED_LATENCY_SAMPLES', 20);
/** One record batch: 64 records of 1 KiB random (incompressible) values, as a producer sends them. */
const RECORDS_PER_BATCH = 64;
const VALUE_BYTES = 1024;
/** A consumer's fetch size per partition (Kafka's max.partition.fetch.bytes default). */
const FETCH_BYTES = MB;
const EPOCH = 1;
const TOPIC_HEX = '0123456789abcdef0123456789abcdef';

/** Segments of whole batches, each about SEGMENT_MB, with the sealed-segment info a replica announces. */
function buildSegments(): { segments: FakeSegment[]; batches: Buffer[]; endOffset: bigint } {
  const values = Array.from({ length: RECORDS_PER_BATCH }, () => randomBytes(VALUE_BYTES));
  const segments: FakeSegment[] = [];
  const batches: Buffer[] = [];
  let offset = 0n;
  for (let s = 0; s < SEGMENTS; s++) {
    const base = offset;
    const frames: Buffer[] = [];
    let size = 0;
    while (size < SEGMENT_MB * MB) {
      const batch = buildBatch({ records: values.map((value, i) => ({ key: `k${offset + BigInt(i)}`, value })), baseOffset: offset, partitionLeaderEpoch: EPOCH, baseTimestamp: 1_700_000_000_000n + offset });
      frames.push(batch);
      batches.push(batch);
      size += batch.length;
      offset += BigInt(RECORDS_PER_BATCH);
    }
    const bytes = Buffer.concat(frames);
    segments.push({
      bytes,
      info: { baseOffset: base, endOffset: offset, sizeBytes: BigInt(bytes.length), crc32c: crc32c(bytes) >>> 0, minTimestampMs: -1n, maxTimestampMs: 1_700_000_000_000n + offset, epochHistory: s === 0 ? [{ epoch: EPOCH, startOffset: base }] : [], committed: true },
    });
  }
  return { segments, batches, endOffset: offset };
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const percentile = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Reads [0, end) in consumer-sized fetches; returns bytes read and seconds taken. */
async function scan(read: (offset: bigint) => Promise<{ bytes: number; next: bigint }>, end: bigint): Promise<{ bytes: number; seconds: number }> {
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  for (let at = 0n; at < end; ) {
    const r = await read(at);
    if (r.next <= at) throw new Error(`scan stuck at offset ${at}`);
    bytes += r.bytes;
    at = r.next;
  }
  return { bytes, seconds: seconds(t0) };
}

async function openHotLog(dir: string, batches: readonly Buffer[]): Promise<PartitionReplica> {
  const log = await PartitionReplica.open({ key: partitionKey(TOPIC_HEX, 0), dir, io: new NodeFileIo(), config: { ...DEFAULT_PARTITION_LOG_CONFIG, segmentBytes: SEGMENT_MB * MB } });
  const epoch = leaderEpoch(EPOCH);
  const fenced = await log.fence(epoch);
  if (!fenced.ok) throw new Error(fenced.error.message);
  let end = 0n;
  for (const b of batches) {
    const appended = await log.append(epoch, end, b);
    if (!appended.ok) throw new Error(appended.error.message);
    end = appended.value.logEnd;
  }
  return log;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'bench-tiered-'));
  let s3: S3Handle | undefined;
  let store: ObjectStore | undefined;
  let hot: PartitionReplica | undefined;
  try {
    const { segments, batches, endOffset } = buildSegments();
    const totalBytes = segments.reduce((n, s) => n + s.bytes.length, 0);
    s3 = await startS3({ bucket: 'bench-tiered' });
    store = await openObjectStore('s3://bench-tiered/bench', { s3: { endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: S3RVER_CREDENTIALS } });
    hot = await openHotLog(join(work, 'hot'), batches);
    const hotLog = hot;
    const objectStore = store;

    const upload: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    const hotRates: number[] = [];
    const ratios: number[] = [];
    const firstFetchMs: number[] = [];
    let lastManifest: { manifest: MemorySegmentManifest; address: SegmentAddress } | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      // Upload: every round a new partition, so every segment is really written (conditional create).
      const address: SegmentAddress = { tenantId: 'bench', topicId: Buffer.from(TOPIC_HEX, 'hex'), partition: round };
      const manifest = new MemorySegmentManifest();
      const u0 = process.hrtime.bigint();
      const pass = await uploadPartitionPass({ address, source: new MemorySegmentSource(segments), manifest, store: objectStore });
      if (pass.uploaded.length !== SEGMENTS) throw new Error(`uploaded ${pass.uploaded.length} of ${SEGMENTS} segments`);
      upload.push(totalBytes / MB / seconds(u0));
      lastManifest = { manifest, address };

      // Cold (empty cache: every chunk from S3), then warm (the same reader again: every chunk from disk).
      const coldCache = await ChunkCache.open({ dir: join(work, `cold-${round}`), maxBytes: 2 * totalBytes });
      const coldReader = new TieredReader({ manifest, store: objectStore, cache: coldCache });
      const c = await scan(async (offset) => {
        const r = await coldReader.fetch({ partition: address, offset, maxBytes: FETCH_BYTES });
        if (!r.ok) throw new Error(r.message);
        return { bytes: r.records.length, next: r.nextOffset };
      }, endOffset);
      const w = await scan(async (offset) => {
        const r = await coldReader.fetch({ partition: address, offset, maxBytes: FETCH_BYTES });
        if (!r.ok) throw new Error(r.message);
        return { bytes: r.records.length, next: r.nextOffset };
      }, endOffset);
      const h = await scan(async (offset) => {
        const r = await hotLog.read(offset, FETCH_BYTES);
        if (!r.ok) throw new Error(r.error.message);
        return { bytes: r.value.records.length, next: r.value.nextOffset };
      }, endOffset);
      for (const r of [c, w, h]) if (r.bytes < totalBytes) throw new Error(`a scan returned ${r.bytes} of ${totalBytes} bytes`);
      cold.push(c.bytes / MB / c.seconds);
      warm.push(w.bytes / MB / w.seconds);
      hotRates.push(h.bytes / MB / h.seconds);
      ratios.push(c.bytes / c.seconds / (h.bytes / h.seconds));
      await rm(join(work, `cold-${round}`), { recursive: true, force: true });
    }

    // First-byte latency of a cold fetch: an empty cache each time, an offset anywhere in the log
    // (so the manifest lookup, a ranged GET of one chunk, its CRC check and the cache write).
    if (!lastManifest) throw new Error('no round ran');
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const cache = await ChunkCache.open({ dir: join(work, `latency-${i}`), maxBytes: 2 * totalBytes });
      const reader = new TieredReader({ manifest: lastManifest.manifest, store: objectStore, cache });
      const offset = BigInt(Math.floor(Math.random() * Number(endOffset)));
      const t0 = process.hrtime.bigint();
      const r = await reader.fetch({ partition: lastManifest.address, offset, maxBytes: 1 });
      firstFetchMs.push(seconds(t0) * 1000);
      if (!r.ok || r.records.length === 0) throw new Error(`cold fetch at ${offset} returned nothing`);
      await rm(join(work, `latency-${i}`), { recursive: true, force: true });
    }

    const result: BenchResult = {
      name: 'tiered',
      unit: 'MB/s',
      metrics: {
        uploadMBps: round2(median(upload)),
        coldReadMBps: round2(median(cold)),
        warmReadMBps: round2(median(warm)),
        hotReadMBps: round2(median(hotRates)),
        coldToHotRatio: round2(median(ratios)),
        warmToHotRatio: round2(median(warm.map((w, i) => w / (hotRates[i] as number)))),
        coldFirstFetchMsP50: round2(median(firstFetchMs)),
        coldFirstFetchMsP99: round2(percentile(firstFetchMs, 99)),
        coldFirstFetchMsMin: round2(Math.min(...firstFetchMs)),
      },
      params: {
        segments: SEGMENTS,
        segmentMB: SEGMENT_MB,
        totalMB: round2(totalBytes / MB),
        rounds: ROUNDS,
        fetchBytes: FETCH_BYTES,
        uploadChunkBytes: MB,
        batchBytes: batches[0]?.length ?? 0,
        firstFetchSamples: firstFetchMs.length,
        objectStore: 's3rver (child process, HTTP on 127.0.0.1), path-style',
        hot: 'PartitionReplica.read on local segment files (in process, page cache warm)',
        statistic: 'median over rounds; ratios are medians of per-round ratios',
        perRound: JSON.stringify({ upload: upload.map(round2), cold: cold.map(round2), warm: warm.map(round2), hot: hotRates.map(round2) }),
      },
      machine: machineInfo(),
    };
    process.stdout.write(`${formatResult(result)}\n`);
  } finally {
    await hot?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await s3?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
