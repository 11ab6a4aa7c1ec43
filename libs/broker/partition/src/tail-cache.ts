// The leader's hot tail: the most recent batches it appended, bounded in bytes, so consumers at
// the head and catching-up replicas are served from memory. Older data is read from a replica.
import type { Frame } from './batch-frames';
import { readFrames } from './memory-replica';
import type { ReadResponse, ReplicaError } from './replica-port';

/**
 * A produced batch is a view into the gRPC message it arrived in (@stratus/contracts decodes large
 * `bytes` fields without copying), and that message may carry other partitions' batches too. The
 * cache keeps a batch for as long as its partition is quiet, so a view could pin a much larger
 * message for minutes while the byte budget counts only the batch: such batches are copied out.
 * A batch that is (nearly) its whole message, the common single-partition case, is kept as is.
 */
export function ownMemory(frame: Frame): Frame {
  const bytes = frame.bytes;
  if (bytes.buffer.byteLength <= 2 * bytes.length + POOL_SLACK_BYTES) return frame;
  return { ...frame, bytes: Buffer.from(bytes) };
}

/** Buffer's allocation pool slab: small Buffers share one, which is harmless to pin. */
const POOL_SLACK_BYTES = 8 * 1024;

export class TailCache {
  private frames: Frame[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new RangeError(`tail cache size must be a non-negative integer, got ${maxBytes}`);
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** First offset the cache can serve (undefined when empty). */
  get startOffset(): bigint | undefined {
    return this.frames[this.head]?.baseOffset;
  }

  /** Appends the next batch (offsets contiguous with the last one) and evicts the oldest beyond the budget. */
  push(frame: Frame): void {
    const last = this.frames[this.frames.length - 1];
    if (last && this.head < this.frames.length && last.endOffset !== frame.baseOffset) this.clear();
    this.frames.push(ownMemory(frame));
    this.bytes += frame.bytes.length;
    while (this.bytes > this.maxBytes && this.head < this.frames.length) {
      this.bytes -= (this.frames[this.head] as Frame).bytes.length;
      this.head++;
    }
    // Compact the array now and then instead of shifting on every eviction.
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.frames = [];
    this.head = 0;
    this.bytes = 0;
  }

  covers(offset: bigint): boolean {
    const start = this.startOffset;
    return start !== undefined && offset >= start;
  }

  /** The cached batches from the one holding `from` up to `to` (exclusive), or undefined if not cached. */
  range(from: bigint, to: bigint): Frame[] | undefined {
    if (!this.covers(from)) return undefined;
    return this.live().filter((f) => f.endOffset > from && f.endOffset <= to);
  }

  read(offset: bigint, maxBytes: number, maxOffset: bigint, logStart: bigint, logEnd: bigint): ReadResponse | ReplicaError | undefined {
    if (!this.covers(offset)) return undefined;
    return readFrames(this.live(), { offset, maxBytes, maxOffset, logStart, logEnd });
  }

  private live(): Frame[] {
    return this.head === 0 ? this.frames : this.frames.slice(this.head);
  }
}
