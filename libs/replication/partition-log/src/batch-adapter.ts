// The log's narrow view of a RecordBatch v2, on top of @stratus/kafka-records (the one batch
// parser of the code base). The log needs framing to walk stored bytes (where a batch ends, which
// offsets it covers) and the library's structural + CRC32C validation; records stay opaque.
import { batchLayout, peekBatchHeader, validateBatch } from '@stratus/kafka-records';

export const BATCH_HEADER_SIZE = batchLayout.BATCH_HEADER_SIZE;

export interface BatchHeader {
  readonly baseOffset: bigint;
  /** Total bytes of the batch, including baseOffset and batchLength. */
  readonly sizeInBytes: number;
  readonly partitionLeaderEpoch: number;
  readonly maxTimestamp: bigint;
  /** baseOffset + lastOffsetDelta. */
  readonly lastOffset: bigint;
}

export type HeaderProblem = 'short' | 'bad-length' | 'bad-magic' | 'bad-offsets';

/**
 * Reads the header at `pos` and checks just enough to walk on: a legal length, magic 2 and
 * non-negative offsets. Whether the batch itself is intact is `validateStored`'s job.
 */
export function peekHeader(buf: Buffer, pos = 0): { ok: true; header: BatchHeader } | { ok: false; problem: HeaderProblem } {
  const peek = peekBatchHeader(buf.subarray(pos));
  if (!peek.ok) return { ok: false, problem: 'short' };
  const view = peek.value;
  if (view.batchLength < batchLayout.MIN_BATCH_LENGTH) return { ok: false, problem: 'bad-length' };
  if (view.magic !== batchLayout.CURRENT_MAGIC) return { ok: false, problem: 'bad-magic' };
  const baseOffset = view.baseOffset;
  const lastOffsetDelta = view.lastOffsetDelta;
  if (baseOffset < 0n || lastOffsetDelta < 0) return { ok: false, problem: 'bad-offsets' };
  return {
    ok: true,
    header: {
      baseOffset,
      sizeInBytes: view.totalSize,
      partitionLeaderEpoch: view.partitionLeaderEpoch,
      maxTimestamp: view.maxTimestamp,
      lastOffset: baseOffset + BigInt(lastOffsetDelta),
    },
  };
}

/**
 * Full check of one stored batch (exactly its bytes): structure and CRC32C, with the rules for
 * batches already in a log (replicated data may be compacted or be control batches). Returns the
 * problem, or undefined when the batch is intact.
 */
export function validateStored(batch: Buffer): string | undefined {
  const r = validateBatch(batch, { origin: 'log' });
  return r.ok ? undefined : `${r.error.kind}: ${r.error.message}`;
}
