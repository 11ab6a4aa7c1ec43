// A fill pass that does not copy large byte fields. A Fetch response is mostly record batches the
// router got from a broker; Writer copies them into one buffer of the whole frame, and in a
// bench-router-overhead profile (2026-11-30, 1 MiB fetches) that copy was 11 % of a router's CPU
// and the 1 MiB buffer per answer a good part of its 23 % in garbage collection. A GatherWriter
// keeps a byte field of at least `gatherFrom` bytes by reference and fills everything else into
// buffers of its own, so the frame comes out as parts to write in order (socket writev). The
// total still has to match the size pass exactly: ProtocolEncodeError('size_mismatch') otherwise.
import { ProtocolEncodeError } from './errors';
import { Writer } from './writer';

/** Byte fields of at least this many bytes are referenced, not copied (below it a copy is cheaper than one more part). */
export const DEFAULT_GATHER_FROM_BYTES = 8 * 1024;

/**
 * The first buffer of a frame that may gather something. It is a slice of Node's shared pool
 * (Buffer.allocUnsafe pools anything under 4 KiB), and a Fetch frame's own bytes before its first
 * record batches are a few hundred; each next buffer doubles, up to the chunk size.
 */
const FIRST_CHUNK_BYTES = 1024;

/** The most a GatherWriter allocates at a time for what it fills itself. */
export const DEFAULT_GATHER_CHUNK_BYTES = 64 * 1024;

export interface GatherOptions {
  /** Byte fields of at least this size are referenced (default DEFAULT_GATHER_FROM_BYTES). */
  readonly gatherFromBytes?: number;
  /** The most allocated at a time for the rest (default DEFAULT_GATHER_CHUNK_BYTES). */
  readonly chunkBytes?: number;
}

const EMPTY = Buffer.alloc(0);

export class GatherWriter extends Writer {
  private readonly parts: Buffer[] = [];
  /** Bytes of the frame in `parts` and in `buf` before `offset`. */
  private written = 0;
  /** Where the bytes of `buf` not yet moved to `parts` begin. */
  private partStart = 0;

  private readonly gatherFrom: number;
  private readonly chunkBytes: number;

  /** `size` is what the size pass computed for the whole frame. */
  constructor(
    private readonly size: number,
    options: GatherOptions = {},
  ) {
    const chunkBytes = Math.max(1, options.chunkBytes ?? DEFAULT_GATHER_CHUNK_BYTES);
    const gatherFrom = Math.max(1, options.gatherFromBytes ?? DEFAULT_GATHER_FROM_BYTES);
    // A frame smaller than the threshold cannot gather anything: one buffer of exactly its size.
    super(size <= 0 ? EMPTY : Buffer.allocUnsafe(Math.min(size, chunkBytes, size < gatherFrom ? size : FIRST_CHUNK_BYTES)));
    this.chunkBytes = chunkBytes;
    this.gatherFrom = gatherFrom;
  }

  protected override reserve(n: number): number {
    this.claim(n);
    if (this.offset + n > this.buf.length) {
      this.closePart();
      // What is left of the frame bounds the new buffer, so a small tail never gets a whole chunk.
      this.buf = Buffer.allocUnsafe(Math.max(n, Math.min(this.chunkBytes, 2 * this.buf.length, this.size - this.written + n)));
      this.offset = 0;
      this.partStart = 0;
    }
    const at = this.offset;
    this.offset = at + n;
    return at;
  }

  override writeRaw(bytes: Uint8Array): void {
    if (bytes.length < this.gatherFrom) {
      super.writeRaw(bytes);
      return;
    }
    this.claim(bytes.length);
    this.closePart();
    this.parts.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  }

  /** Counts `n` more bytes of the frame; more than the size pass computed is an encoder bug. */
  private claim(n: number): void {
    if (this.written + n > this.size) {
      throw new ProtocolEncodeError('size_mismatch', `write of ${n} bytes at ${this.written} exceeds the computed ${this.size}`);
    }
    this.written += n;
  }

  /**
   * The frame as parts in order; they reference the gathered byte fields, which must therefore
   * not change until the parts are written.
   */
  finishParts(): Buffer[] {
    if (this.written !== this.size) {
      throw new ProtocolEncodeError('size_mismatch', `wrote ${this.written} bytes, computed ${this.size}`);
    }
    this.closePart();
    return this.parts;
  }

  /** The frame in one buffer (a copy when anything was gathered). */
  override finish(): Buffer {
    const parts = this.finishParts();
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, this.size);
  }

  private closePart(): void {
    if (this.offset > this.partStart) this.parts.push(this.buf.subarray(this.partStart, this.offset));
    this.partStart = this.offset;
  }
}
