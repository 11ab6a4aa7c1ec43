// An in-memory SegmentSource: sealed segments held as buffers, streamed as ReadSegment would
// (header, CRC32C-checked chunks, trailer). For unit tests and for tools that tier segments
// they already hold.
import { crc32c } from '@node-rs/crc32';
import type { replicationV1 } from '@stratus/contracts';
import { SegmentSourceError, type PartitionKey, type SegmentSource, type SegmentStreamEvent } from './ports';

export interface FakeSegment {
  readonly info: replicationV1.SealedSegment;
  bytes: Buffer;
}

export class MemorySegmentSource implements SegmentSource {
  reads = 0;
  /** Flip one byte of the next chunk sent (a corrupting network/disk). */
  corruptNextChunk = false;

  constructor(public segments: FakeSegment[]) {}

  async listSealed(_p: PartitionKey, fromOffset: bigint): Promise<replicationV1.SealedSegment[]> {
    return this.segments.filter((s) => s.info.endOffset > fromOffset).map((s) => s.info);
  }

  async *read(_p: PartitionKey, baseOffset: bigint, options: { chunkSizeBytes: number }): AsyncIterable<SegmentStreamEvent> {
    this.reads++;
    const seg = this.segments.find((s) => s.info.baseOffset === baseOffset);
    if (!seg) throw new SegmentSourceError(`no segment ${baseOffset}`);
    yield { type: 'header', segment: seg.info };
    for (let pos = 0; pos < seg.bytes.length; pos += options.chunkSizeBytes) {
      const data = Buffer.from(seg.bytes.subarray(pos, pos + options.chunkSizeBytes));
      const crc = crc32c(data) >>> 0;
      if (this.corruptNextChunk) {
        this.corruptNextChunk = false;
        data[0] = (data[0] as number) ^ 0xff;
      }
      yield { type: 'chunk', position: BigInt(pos), data, crc32c: crc };
    }
    yield { type: 'trailer', sizeBytes: BigInt(seg.bytes.length), crc32c: seg.info.crc32c };
  }
}

