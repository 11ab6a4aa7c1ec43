// An in-memory OffsetsLog for unit tests and failover simulations: a list of committed batches
// whose offsets it assigns, and a switch to fence it as if another broker had taken over.
import { ErrorCode } from '@stratus/kafka-errors';
import { assignOffsets, splitBatches } from '@stratus/kafka-records';
import type { LogOutcome, OffsetsLog, OffsetsLogRead } from './offsets-log';

interface StoredBatch {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly bytes: Buffer;
}

export class MemoryOffsetsLog implements OffsetsLog {
  private readonly batches: StoredBatch[] = [];
  private next = 0n;
  private fencedBy: string | undefined;
  /** How many append calls were made (tests check that one request makes one batch). */
  appends = 0;

  async append(records: Buffer): Promise<LogOutcome<{ readonly baseOffset: bigint }>> {
    this.appends++;
    if (this.fencedBy !== undefined) return { ok: false, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER, message: this.fencedBy } };
    const split = splitBatches(records);
    if (!split.ok) return { ok: false, error: { code: ErrorCode.CORRUPT_MESSAGE, message: split.error.message } };
    if (split.value.partial) return { ok: false, error: { code: ErrorCode.CORRUPT_MESSAGE, message: 'partial batch' } };
    const baseOffset = this.next;
    for (const batch of split.value.batches) {
      const copy = Buffer.from(batch);
      const assigned = assignOffsets(copy, { baseOffset: this.next });
      this.batches.push({ baseOffset: this.next, lastOffset: assigned.lastOffset, bytes: copy });
      this.next = assigned.lastOffset + 1n;
    }
    return { ok: true, value: { baseOffset } };
  }

  async read(from: bigint, maxBytes: number): Promise<LogOutcome<OffsetsLogRead>> {
    if (from < 0n || from > this.next) return { ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE, message: `offset ${from} outside [0, ${this.next}]` } };
    const out: Buffer[] = [];
    let size = 0;
    let nextOffset = from;
    for (const b of this.batches) {
      if (b.baseOffset < from) continue;
      // Like Kafka's fetch: at least one batch even when it exceeds maxBytes, so readers progress.
      if (out.length > 0 && size + b.bytes.length > maxBytes) break;
      out.push(b.bytes);
      size += b.bytes.length;
      nextOffset = b.lastOffset + 1n;
    }
    return { ok: true, value: { records: Buffer.concat(out), nextOffset, highWatermark: this.next } };
  }

  startOffset(): bigint {
    return 0n;
  }

  highWatermark(): bigint {
    return this.next;
  }

  /** Every later append fails with NOT_LEADER_OR_FOLLOWER (another broker leads now). */
  fence(reason = 'another broker leads this offsets partition'): void {
    this.fencedBy = reason;
  }
}
