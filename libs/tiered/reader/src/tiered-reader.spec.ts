import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { metadataV1 } from '@stratus/contracts';
import { buildBatch } from '@stratus/kafka-records';
import { MemoryObjectStore } from '@stratus/tiered-object-store';
import { BatchScanner } from '@stratus/tiered-uploader';
import { ChunkCache, CorruptChunkError } from './chunk-cache';
import { TieredReader, type ManifestReader } from './tiered-reader';

const partition = { topicId: Buffer.alloc(16, 1), partition: 0 };
const CHUNK = 500;

interface Built {
  readonly bytes: Buffer;
  readonly batches: { base: bigint; end: bigint; bytes: Buffer }[];
  readonly entries: metadataV1.SegmentManifestEntry[];
}

/** Three segments of batches with 1-4 records each, uploaded to `store`. */
async function build(store: MemoryObjectStore): Promise<Built> {
  const batches: Built['batches'] = [];
  const entries: metadataV1.SegmentManifestEntry[] = [];
  let offset = 10n;
  for (let s = 0; s < 3; s++) {
    const base = offset;
    const frames: Buffer[] = [];
    for (let b = 0; b < 8; b++) {
      const n = 1 + ((s + b) % 4);
      const frame = buildBatch({ records: Array.from({ length: n }, (_, i) => ({ key: null, value: `v${offset + BigInt(i)}-${'y'.repeat(90)}` })), baseOffset: offset, baseTimestamp: 1000n + offset });
      batches.push({ base: offset, end: offset + BigInt(n), bytes: frame });
      frames.push(frame);
      offset += BigInt(n);
    }
    const bytes = Buffer.concat(frames);
    const scanner = new BatchScanner();
    for (let p = 0; p < bytes.length; p += CHUNK) scanner.push(bytes.subarray(p, p + CHUNK), crc32c(bytes.subarray(p, p + CHUNK)) >>> 0);
    const objectKey = `t/seg-${s}`;
    await store.putIfAbsent(objectKey, bytes);
    entries.push({
      partition: { topicId: { value: partition.topicId }, partition: 0 },
      segmentId: `s${s}`,
      baseOffset: base,
      endOffset: offset,
      sizeBytes: BigInt(bytes.length),
      objectKey,
      chunks: scanner.chunks.map((c) => ({ position: BigInt(c.position), sizeBytes: c.size, crc32c: c.crc32c, firstBatchOffset: c.firstBatchOffset, firstBatchPosition: c.firstBatchPosition })),
      crc32c: crc32c(bytes) >>> 0,
      minTimestampMs: -1n,
      maxTimestampMs: 0n,
      epochHistory: [],
      state: metadataV1.SegmentState.COMMITTED,
      uploadTimeMs: 0n,
    });
  }
  return { bytes: Buffer.concat(batches.map((b) => b.bytes)), batches, entries };
}

describe('TieredReader', () => {
  let dir: string;
  let store: MemoryObjectStore;
  let built: Built;
  let manifest: ManifestReader;
  let gets: number;
  let readers: TieredReader[];
  beforeEach(async () => {
    readers = [];
    dir = await mkdtemp(join(tmpdir(), 'tiered-reader-'));
    store = new MemoryObjectStore();
    built = await build(store);
    manifest = { list: async () => ({ segments: built.entries }) };
    gets = 0;
    const getRange = store.getRange.bind(store);
    store.getRange = (key, start, end) => {
      gets++;
      return getRange(key, start, end);
    };
  });
  afterEach(async () => {
    await Promise.all(readers.map((r) => r.prefetchesSettled()));
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const reader = async (maxBytes = 1 << 20) => {
    const cache = await ChunkCache.open({ dir, maxBytes });
    const r = new TieredReader({ manifest, store, cache });
    readers.push(r);
    return { cache, reader: r };
  };

  const chunkCount = () => built.entries.reduce((n, e) => n + e.chunks.length, 0);
  const lastOffset = () => built.entries[built.entries.length - 1]?.endOffset as bigint;

  /** Reads the whole tiered range one batch per fetch, as a consumer catching up would. */
  const scan = async (r: TieredReader, afterEach: () => Promise<void>): Promise<Buffer> => {
    const parts: Buffer[] = [];
    for (let offset = 10n; offset < lastOffset(); ) {
      const res = await r.fetch({ partition, offset, maxBytes: 1 });
      if (!res.ok) throw new Error(res.message);
      parts.push(res.records);
      offset = res.nextOffset;
      await afterEach();
    }
    return Buffer.concat(parts);
  };

  it('prefetches the next chunk for a sequential reader: each chunk is cached or in flight before the reader asks for it', async () => {
    const { cache, reader: r } = await reader();
    const get = cache.get.bind(cache);
    const firstAsked = new Map<string, boolean>();
    let fetches = 0;
    cache.get = (ref, fetch) => {
      const key = `${ref.objectKey}@${ref.position}`;
      if (!firstAsked.has(key)) firstAsked.set(key, fetches === 0 || cache.holds(ref));
      return get(ref, fetch);
    };
    const bytes = await scan(r, async () => {
      fetches++;
      await r.prefetchesSettled();
    });
    expect(bytes.equals(built.bytes)).toBe(true);
    expect(firstAsked.size).toBe(chunkCount());
    expect([...firstAsked].filter(([, held]) => !held)).toEqual([]);
    // Every chunk came from the object store exactly once (no duplicate gets), most by prefetch,
    // including the first chunk of each following segment.
    expect(gets).toBe(chunkCount());
    expect(cache.stats.prefetches).toBeGreaterThanOrEqual(chunkCount() - 2);
    expect(cache.stats.prefetchFailures).toBe(0);
  });

  it('does not prefetch for random reads', async () => {
    const { cache, reader: r } = await reader();
    // Batches that lie inside one chunk and end before its last byte.
    const inside: Built['batches'] = [];
    built.entries.forEach((e, s) => {
      let pos = 0;
      for (const b of built.batches.slice(s * 8, s * 8 + 8)) {
        const end = pos + b.bytes.length;
        if (Math.floor(pos / CHUNK) === Math.floor((end - 1) / CHUNK) && end % CHUNK !== 0 && end !== Number(e.sizeBytes)) inside.push(b);
        pos = end;
      }
    });
    const far = inside[inside.length - 1] as Built['batches'][number];
    const near = inside[0] as Built['batches'][number];
    expect(far.base).toBeGreaterThan(near.end);
    for (const b of [far, near]) {
      const res = await r.fetch({ partition, offset: b.base, maxBytes: 1 });
      expect(res.ok && res.records.equals(b.bytes)).toBe(true);
      await r.prefetchesSettled();
    }
    expect(cache.stats.prefetches).toBe(0);
    expect(gets).toBe(2);
  });

  it('keeps the cache bound while prefetching a scan larger than the cache', async () => {
    const { cache, reader: r } = await reader(2 * CHUNK);
    const onDisk = async () => {
      const names = await readdir(dir);
      const sizes = await Promise.all(names.map((n) => stat(join(dir, n)).then((s) => s.size, () => 0)));
      return sizes.reduce((a, b) => a + b, 0);
    };
    // Checked while prefetches may still be running: neither the accounting nor the directory
    // (temp files included) ever exceeds the bound.
    const bytes = await scan(r, async () => {
      expect(cache.usedBytes).toBeLessThanOrEqual(2 * CHUNK);
      expect(await onDisk()).toBeLessThanOrEqual(2 * CHUNK);
    });
    await r.prefetchesSettled();
    expect(bytes.equals(built.bytes)).toBe(true);
    expect(cache.stats.prefetches).toBeGreaterThan(0);
    expect(cache.usedBytes).toBeLessThanOrEqual(2 * CHUNK);
    expect((await readdir(dir)).filter((f) => f.endsWith('.chunk')).length).toBeLessThanOrEqual(2);
  });

  it('swallows a failed prefetch and reads the chunk again when the reader needs it', async () => {
    const { cache, reader: r } = await reader();
    const getRange = store.getRange.bind(store);
    let failing = false;
    store.getRange = async (key, start, end) => {
      if (failing) throw new Error('503 SlowDown');
      return getRange(key, start, end);
    };
    const bytes = await scan(r, async () => {
      if (cache.stats.prefetches === 0) {
        failing = true;
        return;
      }
      await r.prefetchesSettled();
      failing = false;
    });
    expect(bytes.equals(built.bytes)).toBe(true);
    expect(cache.stats.prefetchFailures).toBe(1);
  });

  it('returns the same bytes as the log from the first offset, across segments', async () => {
    const { reader: r } = await reader();
    const all = await r.fetch({ partition, offset: 10n, maxBytes: 1 << 20 });
    expect(all).toMatchObject({ ok: true, nextOffset: built.batches[built.batches.length - 1]?.end, logStartOffset: 10n });
    expect(all.ok && all.records.equals(built.bytes)).toBe(true);
  });

  it('starts at the batch containing any offset and honours maxBytes (at least one batch) and maxOffset', async () => {
    const { reader: r } = await reader();
    for (const b of built.batches) {
      for (let o = b.base; o < b.end; o++) {
        const res = await r.fetch({ partition, offset: o, maxBytes: 1 });
        expect(res.ok && res.records.equals(b.bytes)).toBe(true);
        expect(res.ok && res.nextOffset).toBe(b.end);
      }
    }
    const third = built.batches[3] as Built['batches'][number];
    const bounded = await r.fetch({ partition, offset: 10n, maxBytes: 1 << 20, maxOffset: third.base });
    expect(bounded.ok && bounded.records.equals(Buffer.concat(built.batches.slice(0, 3).map((b) => b.bytes)))).toBe(true);
    const end = built.entries[2]?.endOffset as bigint;
    expect(await r.fetch({ partition, offset: 9n, maxBytes: 100 })).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE', logStartOffset: 10n, endOffset: end });
    expect(await r.fetch({ partition, offset: end, maxBytes: 100 })).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE' });
  });

  it('serves repeated reads from the disk cache, also after a restart, and refetches a corrupt cache file', async () => {
    const first = await reader();
    await first.reader.fetch({ partition, offset: 10n, maxBytes: 1 << 20 });
    const fetched = gets;
    expect(fetched).toBeGreaterThan(0);
    await first.reader.fetch({ partition, offset: 10n, maxBytes: 1 << 20 });
    expect(gets).toBe(fetched);
    const restarted = await reader();
    expect(restarted.cache.usedBytes).toBe(built.bytes.length);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.chunk'));
    await writeFile(join(dir, files[0] as string), Buffer.from('garbage'));
    const again = await restarted.reader.fetch({ partition, offset: 10n, maxBytes: 1 << 20 });
    expect(again.ok && again.records.equals(built.bytes)).toBe(true);
    expect(restarted.cache.stats.corruptDropped).toBe(1);
    expect(gets).toBe(fetched + 1);
  });

  it('stays within its byte bound under a scan larger than the cache', async () => {
    const { cache, reader: r } = await reader(3 * CHUNK);
    const res = await r.fetch({ partition, offset: 10n, maxBytes: 1 << 20 });
    expect(res.ok && res.records.equals(built.bytes)).toBe(true);
    expect(cache.usedBytes).toBeLessThanOrEqual(3 * CHUNK);
    expect(cache.stats.evictions).toBeGreaterThan(0);
    const onDisk = (await readdir(dir)).filter((f) => f.endsWith('.chunk'));
    expect(onDisk.length).toBeLessThanOrEqual(3);
  });

  it('finds offsets by timestamp through the cache (ListOffsetsByTimestamp)', async () => {
    // Record timestamps are 1000 + offset here; give the entries their real maxima.
    built.entries.forEach((e) => Object.assign(e, { maxTimestampMs: 1000n + e.endOffset - 1n }));
    const { reader: r } = await reader();
    const last = built.batches[built.batches.length - 1]?.end ?? 0n;
    await expect(r.offsetForTimestamp(partition, 0n)).resolves.toEqual({ found: true, offset: 10n, timestampMs: 1010n, leaderEpoch: -1 });
    const inside = built.batches[9] as { base: bigint };
    await expect(r.offsetForTimestamp(partition, 1000n + inside.base)).resolves.toMatchObject({ found: true, offset: inside.base });
    await expect(r.offsetForTimestamp(partition, 1000n + last)).resolves.toEqual({ found: false });
  });

  it('never serves object bytes that do not match the manifest', async () => {
    const { reader: r } = await reader();
    store.getRange = async () => Buffer.alloc(CHUNK, 7);
    await expect(r.fetch({ partition, offset: 10n, maxBytes: 100 })).rejects.toThrow(CorruptChunkError);
  });
});
