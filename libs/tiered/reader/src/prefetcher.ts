// Read-ahead for sequential tiered readers (issue 9 "Reads": prefetch of the next chunk). A
// consumer catching up from the object store fetches offset after offset; without read-ahead every
// chunk boundary costs a full object-store round trip in the consumer's fetch latency. After a
// sequential fetch the reader asks for the chunk that follows the last one it read, so that the
// next fetch finds it cached or in flight.
import type { ChunkCache, ChunkRef } from './chunk-cache';
import type { PartitionKey } from './tiered-reader';

export interface PrefetchTarget {
  readonly ref: ChunkRef;
  /** Reads the chunk's bytes from the object store. */
  readonly fetch: () => Promise<Buffer>;
}

export interface PrefetcherOptions {
  readonly cache: ChunkCache;
  /** Streams (partitions) whose last fetch end is remembered; the oldest is forgotten first. */
  readonly maxStreams?: number;
  /** Prefetches running at once over all streams. */
  readonly maxInFlight?: number;
}

interface StreamState {
  nextOffset: bigint;
  prefetching: boolean;
}

export class SequentialPrefetcher {
  /** Insertion order is recency order, as in the chunk cache. */
  private readonly streams = new Map<string, StreamState>();
  private readonly running = new Set<Promise<void>>();
  private readonly maxStreams: number;
  private readonly maxInFlight: number;

  constructor(private readonly options: PrefetcherOptions) {
    this.maxStreams = options.maxStreams ?? 4096;
    this.maxInFlight = options.maxInFlight ?? 4;
  }

  /** Whether a fetch at `offset` continues exactly where the partition's previous fetch ended. */
  continues(partition: PartitionKey, offset: bigint): boolean {
    return this.streams.get(streamKey(partition))?.nextOffset === offset;
  }

  /**
   * Records where a fetch ended and, when it was sequential, starts reading `next` in the
   * background: at most one per stream and `maxInFlight` overall, never a chunk that is already
   * cached or in flight (the cache coalesces those), and never one that would not fit in the cache
   * next to the chunk being read (`currentSize`) — it would evict what the reader needs next.
   */
  after(partition: PartitionKey, end: { nextOffset: bigint; sequential: boolean; currentSize: number; next: PrefetchTarget | undefined }): void {
    const key = streamKey(partition);
    const state = this.streams.get(key) ?? { nextOffset: end.nextOffset, prefetching: false };
    this.streams.delete(key);
    state.nextOffset = end.nextOffset;
    this.streams.set(key, state);
    while (this.streams.size > this.maxStreams) {
      const oldest = this.streams.keys().next();
      if (oldest.done) break;
      this.streams.delete(oldest.value);
    }
    const { cache } = this.options;
    const next = end.next;
    if (!end.sequential || !next || state.prefetching || this.running.size >= this.maxInFlight) return;
    if (next.ref.sizeBytes + end.currentSize > cache.maxBytes) return;
    const started = cache.prefetch(next.ref, next.fetch);
    if (!started) return;
    state.prefetching = true;
    const done: Promise<void> = started.finally(() => {
      state.prefetching = false;
      this.running.delete(done);
    });
    this.running.add(done);
  }

  /** Resolves once every prefetch started so far has settled (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

function streamKey(p: PartitionKey): string {
  return `${Buffer.from(p.topicId).toString('hex')}:${p.partition}`;
}
