// Finds where record batches start while a segment streams by in chunks, so each chunk can name
// the first batch that starts in it (SegmentChunk.first_batch_offset): a tiered read seeks to the
// right chunk from the manifest alone. A segment file is a sequence of RecordBatch v2 frames; the
// first 12 bytes of each are baseOffset (int64) and batchLength (int32, bytes after that field),
// per the Kafka message format, so the next batch starts at position + 12 + batchLength.
const HEADER = 12;

export interface ScannedChunk {
  readonly position: number;
  readonly size: number;
  readonly crc32c: number;
  /** Base offset of the first batch starting in the chunk; -1n when a batch spans all of it. */
  firstBatchOffset: bigint;
  /** Where that batch starts relative to the chunk (0 when none does). */
  firstBatchPosition: number;
}

export class BatchScanner {
  readonly chunks: ScannedChunk[] = [];
  /** Segment position of the next batch start. */
  private next = 0;
  /** The first bytes of the next batch's header, when it straddles a chunk boundary. */
  private carry: Buffer = Buffer.alloc(0);
  private size = 0;

  /** Feeds the next chunk; chunks must arrive in order without gaps. */
  push(data: Uint8Array, crc32c: number): void {
    const position = this.size;
    const chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.chunks.push({ position, size: chunk.length, crc32c, firstBatchOffset: -1n, firstBatchPosition: 0 });
    this.size += chunk.length;
    while (this.next < this.size) {
      const from = this.next + this.carry.length - position;
      const need = HEADER - this.carry.length;
      const taken = chunk.subarray(from, from + need);
      const header = this.carry.length === 0 && taken.length === HEADER ? taken : Buffer.concat([this.carry, taken]);
      if (header.length < HEADER) {
        this.carry = header;
        return;
      }
      this.carry = Buffer.alloc(0);
      const baseOffset = header.readBigInt64BE(0);
      const length = header.readInt32BE(8);
      if (length < 0) throw new RangeError(`negative batch length at segment position ${this.next}`);
      const owner = this.chunkAt(this.next);
      if (owner && owner.firstBatchOffset === -1n) {
        owner.firstBatchOffset = baseOffset;
        owner.firstBatchPosition = this.next - owner.position;
      }
      this.next += HEADER + length;
    }
  }

  /** True when the bytes seen so far end exactly at a batch boundary (a whole segment must). */
  endsAtBoundary(): boolean {
    return this.next === this.size && this.carry.length === 0;
  }

  private chunkAt(position: number): ScannedChunk | undefined {
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i] as ScannedChunk;
      if (c.position <= position) return c;
    }
    return undefined;
  }
}
