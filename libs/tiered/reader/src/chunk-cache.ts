// The local disk cache of segment chunks in front of the object store (issue 9 "Reads"): LRU,
// bounded in bytes, and it survives a restart. Every chunk read from disk is checked against the
// CRC32C the manifest recorded for it, so a torn or bit-rotted cache file is dropped and fetched
// again instead of reaching a consumer; files are written to a temp name and renamed, so a crash
// leaves either the whole chunk or a temp file that the next start removes.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';

export interface ChunkRef {
  readonly objectKey: string;
  readonly position: bigint;
  readonly sizeBytes: number;
  readonly crc32c: number;
}

/** The object store returned bytes that do not match the manifest: never served. */
export class CorruptChunkError extends Error {
  override readonly name = 'CorruptChunkError';
}

export interface ChunkCacheStats {
  hits: number;
  misses: number;
  corruptDropped: number;
  evictions: number;
  /** Background reads of a sequential reader's next chunk that were started. */
  prefetches: number;
  /** Background reads that failed; swallowed, the foreground read fetches the chunk again. */
  prefetchFailures: number;
}

export interface ChunkCacheOptions {
  readonly dir: string;
  readonly maxBytes: number;
}

const SUFFIX = '.chunk';

export class ChunkCache {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<Buffer>>();
  private bytes = 0;
  private tmpSeq = 0;
  /** Unlinks of evicted files, in order; a write waits for all of them. */
  private unlinking: Promise<void> = Promise.resolve();
  readonly stats: ChunkCacheStats = { hits: 0, misses: 0, corruptDropped: 0, evictions: 0, prefetches: 0, prefetchFailures: 0 };

  private constructor(private readonly options: ChunkCacheOptions) {}

  /** Opens the cache, re-adopting chunks from an earlier run in their last-use order. */
  static async open(options: ChunkCacheOptions): Promise<ChunkCache> {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0) throw new RangeError('maxBytes must be a non-negative integer');
    await mkdir(options.dir, { recursive: true });
    const cache = new ChunkCache(options);
    const found: { name: string; size: number; used: number }[] = [];
    for (const name of await readdir(options.dir)) {
      const path = join(options.dir, name);
      if (!name.endsWith(SUFFIX)) {
        if (name.endsWith('.tmp')) await unlink(path).catch(() => undefined);
        continue;
      }
      const s = await stat(path).catch(() => undefined);
      if (s?.isFile()) found.push({ name, size: s.size, used: s.mtimeMs });
    }
    found.sort((a, b) => a.used - b.used);
    for (const f of found) {
      cache.entries.set(f.name, f.size);
      cache.bytes += f.size;
    }
    await cache.evict();
    return cache;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** The chunk's bytes, from disk when cached and intact, else from `fetch` (then cached). */
  async get(ref: ChunkRef, fetch: () => Promise<Buffer>): Promise<Buffer> {
    return this.load(ref, fetch);
  }

  /** Whether `ref` is cached or being loaded right now (a get would not reach the object store). */
  holds(ref: ChunkRef): boolean {
    const name = fileName(ref);
    return this.entries.has(name) || this.inflight.has(name);
  }

  /**
   * Loads `ref` in the background unless it is already cached or loading, or could not be kept
   * (larger than the whole cache). Failures are counted and swallowed: a prefetch is only a hint,
   * the reader that needs the chunk later fetches it again and sees the error itself. Returns the
   * settled load, or undefined when nothing was started.
   */
  prefetch(ref: ChunkRef, fetch: () => Promise<Buffer>): Promise<void> | undefined {
    if (this.holds(ref) || ref.sizeBytes > this.options.maxBytes) return undefined;
    this.stats.prefetches++;
    return this.load(ref, fetch).then(
      () => undefined,
      () => {
        this.stats.prefetchFailures++;
      },
    );
  }

  /** Concurrent loads of one chunk share one object-store read. */
  private load(ref: ChunkRef, fetch: () => Promise<Buffer>): Promise<Buffer> {
    const name = fileName(ref);
    const running = this.inflight.get(name);
    if (running) return running;
    const work = this.read(name, ref, fetch).finally(() => this.inflight.delete(name));
    this.inflight.set(name, work);
    return work;
  }

  private async read(name: string, ref: ChunkRef, fetch: () => Promise<Buffer>): Promise<Buffer> {
    const path = join(this.options.dir, name);
    if (this.entries.has(name)) {
      const data = await readFile(path).catch(() => undefined);
      if (data && intact(data, ref)) {
        this.stats.hits++;
        this.touch(name, data.length);
        // mtime carries the LRU order across restarts.
        const now = new Date();
        await utimes(path, now, now).catch(() => undefined);
        return data;
      }
      this.stats.corruptDropped++;
      this.forget(name);
      await unlink(path).catch(() => undefined);
    }
    this.stats.misses++;
    const data = await fetch();
    if (!intact(data, ref)) throw new CorruptChunkError(`chunk ${ref.position} of ${ref.objectKey} does not match its manifest size/CRC32C`);
    if (data.length <= this.options.maxBytes) {
      // Reserve the space and remove the victims before writing, so the directory never holds more
      // than maxBytes either — also while a prefetch and a foreground read load at the same time.
      this.touch(name, data.length);
      await this.evict();
      const tmp = join(this.options.dir, `${name}.${process.pid}.${this.tmpSeq++}.tmp`);
      await writeFile(tmp, data);
      await rename(tmp, path);
      // A concurrent load may have evicted this chunk while it was being written.
      if (!this.entries.has(name)) await unlink(path).catch(() => undefined);
    }
    return data;
  }

  private touch(name: string, size: number): void {
    this.forget(name);
    this.entries.set(name, size);
    this.bytes += size;
  }

  private forget(name: string): void {
    const size = this.entries.get(name);
    if (size === undefined) return;
    this.entries.delete(name);
    this.bytes -= size;
  }

  private async evict(): Promise<void> {
    // Choose every victim before the first await, so concurrent loads (a prefetch next to a
    // foreground read) never observe the accounting above the bound.
    const victims: string[] = [];
    while (this.bytes > this.options.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.forget(oldest.value);
      this.stats.evictions++;
      victims.push(oldest.value);
    }
    const removed = this.unlinking.then(async () => {
      for (const name of victims) await unlink(join(this.options.dir, name)).catch(() => undefined);
    });
    this.unlinking = removed;
    // Every victim chosen so far (also by other loads) is gone before this load writes.
    await removed;
  }
}

function intact(data: Buffer, ref: ChunkRef): boolean {
  return data.length === ref.sizeBytes && crc32c(data) >>> 0 === ref.crc32c >>> 0;
}

function fileName(ref: ChunkRef): string {
  // Object keys may hold any character and be 1 KiB long: the file name is a digest of the key.
  const digest = createHash('sha256').update(ref.objectKey).digest('hex').slice(0, 40);
  return `${digest}-${ref.position}${SUFFIX}`;
}
