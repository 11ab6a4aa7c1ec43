import { FrameError } from './frame-error';

/** Kafka's default socket.request.max.bytes: 100 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

/**
 * The smallest possible request header: api key (int16) + api version (int16) + correlation id (int32)
 * + client id length (int16, -1 for null). Anything shorter cannot be a request.
 */
export const REQUEST_HEADER_MIN_BYTES = 10;

/** The smallest possible response: the correlation id (int32). Use this when reading responses. */
export const RESPONSE_HEADER_MIN_BYTES = 4;

const SIZE_PREFIX_BYTES = 4;

export interface FrameReaderOptions {
  /** Largest accepted frame body in bytes (the int32 prefix excluded). Default 100 MiB. */
  readonly maxFrameBytes?: number;
  /** Smallest accepted frame body in bytes. Default REQUEST_HEADER_MIN_BYTES (10). */
  readonly minFrameBytes?: number;
}

/**
 * Cuts a TCP byte stream into Kafka frames (int32 big-endian size, then that many bytes).
 *
 * Chunks are kept as a list and never concatenated: a frame that lies inside one chunk is returned as a
 * zero-copy view of it; a frame spanning chunks is copied once into a buffer of exactly its size. The
 * size prefix is checked as soon as its 4 bytes are here — before the body arrives and before anything
 * is allocated — so a hostile or confused peer cannot make us buffer or allocate a huge frame.
 * Memory held is the unconsumed chunks only.
 *
 * After a FrameError the reader stays failed: every later `next()` throws the same error, because the
 * stream is no longer aligned on frame boundaries.
 */
export class FrameReader implements Iterable<Buffer> {
  private readonly maxFrameBytes: number;
  private readonly minFrameBytes: number;
  private chunks: Buffer[] = [];
  /** Index of the first live chunk in `chunks` (consumed ones are dropped lazily). */
  private first = 0;
  /** Offset of the first unread byte inside `chunks[first]`. */
  private offset = 0;
  private buffered = 0;
  /** Validated body size of the frame being waited for, or -1 when its prefix is not read yet. */
  private pendingSize = -1;
  private failure: FrameError | undefined;

  constructor(options: FrameReaderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.minFrameBytes = options.minFrameBytes ?? REQUEST_HEADER_MIN_BYTES;
    if (!Number.isInteger(this.maxFrameBytes) || this.maxFrameBytes < 0 || this.maxFrameBytes > 0x7fffffff) {
      throw new RangeError(`maxFrameBytes must be an integer in [0, 2^31-1], got ${this.maxFrameBytes}`);
    }
    if (!Number.isInteger(this.minFrameBytes) || this.minFrameBytes < 0 || this.minFrameBytes > this.maxFrameBytes) {
      throw new RangeError(`minFrameBytes must be an integer in [0, maxFrameBytes], got ${this.minFrameBytes}`);
    }
  }

  /** Bytes received and not yet returned as frames (size prefixes included). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk as received from the socket. The reader keeps a reference; do not reuse the buffer. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /**
   * The next complete frame body (without its size prefix), or undefined until more bytes arrive.
   * @throws FrameError when a size prefix is out of bounds.
   */
  next(): Buffer | undefined {
    if (this.failure) throw this.failure;
    if (this.pendingSize < 0) {
      if (this.buffered < SIZE_PREFIX_BYTES) return undefined;
      const size = this.readInt32();
      this.failure = this.check(size);
      if (this.failure) throw this.failure;
      this.pendingSize = size;
    }
    if (this.buffered < this.pendingSize) return undefined;
    const frame = this.take(this.pendingSize);
    this.pendingSize = -1;
    return frame;
  }

  *[Symbol.iterator](): Iterator<Buffer> {
    for (let frame = this.next(); frame !== undefined; frame = this.next()) yield frame;
  }

  private check(size: number): FrameError | undefined {
    if (size < 0) return new FrameError('negative-size', size, this.minFrameBytes);
    if (size < this.minFrameBytes) return new FrameError('too-small', size, this.minFrameBytes);
    if (size > this.maxFrameBytes) return new FrameError('too-large', size, this.maxFrameBytes);
    return undefined;
  }

  /** Consumes a big-endian int32 that may straddle chunk boundaries; the caller checked 4 bytes exist. */
  private readInt32(): number {
    const head = this.chunks[this.first] as Buffer;
    if (head.length - this.offset >= SIZE_PREFIX_BYTES) {
      const value = head.readInt32BE(this.offset);
      this.advance(SIZE_PREFIX_BYTES);
      return value;
    }
    let value = 0;
    for (let i = 0; i < SIZE_PREFIX_BYTES; i++) {
      const chunk = this.chunks[this.first] as Buffer;
      value = (value << 8) | (chunk[this.offset] as number);
      this.advance(1);
    }
    return value | 0;
  }

  /** Consumes `size` bytes: a view when they lie in one chunk, else one exact-size copy. */
  private take(size: number): Buffer {
    if (size === 0) return Buffer.alloc(0);
    const head = this.chunks[this.first] as Buffer;
    if (head.length - this.offset >= size) {
      const view = head.subarray(this.offset, this.offset + size);
      this.advance(size);
      return view;
    }
    const out = Buffer.allocUnsafe(size);
    let written = 0;
    while (written < size) {
      const chunk = this.chunks[this.first] as Buffer;
      const n = Math.min(chunk.length - this.offset, size - written);
      chunk.copy(out, written, this.offset, this.offset + n);
      written += n;
      this.advance(n);
    }
    return out;
  }

  /** Moves the read position forward by n bytes, all within the current head chunk. */
  private advance(n: number): void {
    this.offset += n;
    this.buffered -= n;
    const head = this.chunks[this.first] as Buffer;
    if (this.offset < head.length) return;
    this.offset = 0;
    this.first++;
    // Drop consumed chunk references in bulk so the array does not grow and shift() is never O(n) per call.
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first >= 64 && this.first * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }
}
