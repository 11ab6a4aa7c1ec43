// Walks concatenated record batches, checking framing, magic, CRC32C and offset contiguity.
// Used on append (validate what a leader sent), on read (never serve corrupt bytes) and on
// recovery (find the last valid batch of a segment).
import { peekHeader, validateStored, type BatchHeader } from './batch-adapter';

export interface ScannedBatch {
  readonly header: BatchHeader;
  /** Position of the batch inside the scanned buffer. */
  readonly position: number;
}

export type ScanStop =
  | { readonly kind: 'end' }
  | { readonly kind: 'torn'; readonly position: number }
  | { readonly kind: 'invalid'; readonly position: number; readonly reason: string };

export interface ScanResult {
  readonly batches: ScannedBatch[];
  /** Bytes covered by the valid batches. */
  readonly validBytes: number;
  readonly stop: ScanStop;
}

export interface ScanOptions {
  /** The offset the first batch must start at; later batches must follow contiguously. */
  readonly expectedBaseOffset?: bigint;
  /** Skip CRC checks (used only to locate batch boundaries before a CRC-checked read). */
  readonly skipCrc?: boolean;
}

export function scanBatches(buf: Buffer, options: ScanOptions = {}): ScanResult {
  const batches: ScannedBatch[] = [];
  let pos = 0;
  let expected = options.expectedBaseOffset;
  while (pos < buf.length) {
    const peek = peekHeader(buf, pos);
    if (!peek.ok) {
      if (peek.problem === 'short') return { batches, validBytes: pos, stop: { kind: 'torn', position: pos } };
      return { batches, validBytes: pos, stop: { kind: 'invalid', position: pos, reason: peek.problem } };
    }
    const header = peek.header;
    if (pos + header.sizeInBytes > buf.length) return { batches, validBytes: pos, stop: { kind: 'torn', position: pos } };
    if (expected !== undefined && header.baseOffset !== expected) {
      return {
        batches,
        validBytes: pos,
        stop: { kind: 'invalid', position: pos, reason: `batch base offset ${header.baseOffset}, expected ${expected}` },
      };
    }
    const problem = options.skipCrc ? undefined : validateStored(buf.subarray(pos, pos + header.sizeInBytes));
    if (problem) return { batches, validBytes: pos, stop: { kind: 'invalid', position: pos, reason: problem } };
    batches.push({ header, position: pos });
    pos += header.sizeInBytes;
    expected = header.lastOffset + 1n;
  }
  return { batches, validBytes: pos, stop: { kind: 'end' } };
}
