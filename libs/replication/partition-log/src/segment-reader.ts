// Sequential batch walking over a segment file with chunked reads, so recovery and index
// rebuilds never load a whole (up to 2 GiB) segment into memory.
import { BATCH_HEADER_SIZE, peekHeader, validateStored, type BatchHeader } from './batch-adapter';
import type { FileHandleIo } from './file-io';
import type { ScanStop } from './batch-scan';

const CHUNK_BYTES = 1024 * 1024;

export interface WalkOptions {
  readonly fileSize: number;
  readonly startPosition: number;
  readonly expectedBaseOffset?: bigint;
  readonly checkCrc: boolean;
  /** Return false to stop early. */
  readonly visit: (header: BatchHeader, position: number) => boolean;
}

export interface WalkResult {
  /** Position just after the last valid batch visited. */
  readonly validEnd: number;
  readonly stop: ScanStop;
}

export async function walkBatches(fh: FileHandleIo, options: WalkOptions): Promise<WalkResult> {
  let chunk = Buffer.alloc(0);
  let chunkStart = 0;
  const view = async (pos: number, length: number): Promise<Buffer> => {
    if (pos >= chunkStart && pos + length <= chunkStart + chunk.length) return chunk.subarray(pos - chunkStart, pos - chunkStart + length);
    const want = Math.min(Math.max(CHUNK_BYTES, length), options.fileSize - pos);
    chunk = Buffer.allocUnsafe(want);
    const got = await fh.read(chunk, 0, want, pos);
    chunk = chunk.subarray(0, got);
    chunkStart = pos;
    return chunk.subarray(0, Math.min(length, got));
  };

  let pos = options.startPosition;
  let expected = options.expectedBaseOffset;
  while (pos < options.fileSize) {
    const headerBytes = await view(pos, BATCH_HEADER_SIZE);
    const peek = peekHeader(headerBytes, 0);
    if (!peek.ok) {
      const stop: ScanStop = peek.problem === 'short' ? { kind: 'torn', position: pos } : { kind: 'invalid', position: pos, reason: peek.problem };
      return { validEnd: pos, stop };
    }
    const header = peek.header;
    if (pos + header.sizeInBytes > options.fileSize) return { validEnd: pos, stop: { kind: 'torn', position: pos } };
    if (expected !== undefined && header.baseOffset !== expected) {
      return { validEnd: pos, stop: { kind: 'invalid', position: pos, reason: `batch base offset ${header.baseOffset}, expected ${expected}` } };
    }
    if (options.checkCrc) {
      const batch = await view(pos, header.sizeInBytes);
      if (batch.length < header.sizeInBytes) return { validEnd: pos, stop: { kind: 'torn', position: pos } };
      const problem = validateStored(batch);
      if (problem) return { validEnd: pos, stop: { kind: 'invalid', position: pos, reason: problem } };
    }
    const next = pos + header.sizeInBytes;
    expected = header.lastOffset + 1n;
    if (!options.visit(header, pos)) return { validEnd: next, stop: { kind: 'end' } };
    pos = next;
  }
  return { validEnd: pos, stop: { kind: 'end' } };
}
