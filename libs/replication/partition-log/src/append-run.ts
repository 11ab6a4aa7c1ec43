// Group commit support for PartitionReplica.append: the appends of one group that passed the
// replica rules, gathered into runs, each one contiguous write (pipelined, see commitGroup).
import type { ScannedBatch } from './batch-scan';
import { WRITE_PIECE_BYTES } from './segment-write';
import type { ReplicaError, Result } from './errors';
import type { AppendOptions } from './partition-replica';
import type { LeaderEpoch } from './types';

/**
 * A run of accepted appends is handed to the disk once it would grow past this (one pwritev, see
 * segment-write). Runs are written without waiting for each other, so small runs cost no disk
 * idle time, and each is acknowledged as soon as it and everything before it is written. With
 * 1 MiB runs a run waited for a whole window of 16 appends of 64 KiB and the disk path had no
 * write in flight ~26 % of the time (tools/bench, 2026-11-30); with 256 KiB, ~1 %.
 */
export const MAX_RUN_BYTES = WRITE_PIECE_BYTES;

export interface PendingAppend {
  readonly epoch: LeaderEpoch;
  readonly baseOffset: bigint;
  readonly bytes: Buffer;
  readonly options: AppendOptions;
  readonly resolve: (r: Result<{ logEnd: bigint }>) => void;
  readonly reject: (err: Error) => void;
  /**
   * Framing, CRC32C and in-batch offset checks of `bytes`, done when the append arrives: they need
   * nothing but the bytes, so they run while earlier groups are being written. The in-order
   * checks (epoch, contiguity with the log end) still happen in the group, before this is used.
   */
  readonly validated: ScannedBatch[] | ReplicaError;
  /** Set once the append passed its checks. */
  batches?: ScannedBatch[];
  end?: bigint;
}

export type Accepted = PendingAppend & { batches: ScannedBatch[]; end: bigint };

export class AppendRun {
  items: Accepted[] = [];
  bytes = 0;

  constructor(public end: bigint) {}

  add(item: PendingAppend): void {
    const accepted = item as Accepted;
    this.items.push(accepted);
    this.bytes += item.bytes.length;
    this.end = accepted.end;
  }

  /**
   * The run's buffers (stored back to back, never concatenated: see segment-write) with batch
   * positions relative to their start; the run is emptied (its end stays).
   */
  take(): { items: Accepted[]; parts: Buffer[]; length: number; batches: ScannedBatch[]; forceFlush: boolean } {
    const items = this.items;
    const batches: ScannedBatch[] = [];
    const parts: Buffer[] = [];
    let at = 0;
    for (const item of items) {
      for (const b of item.batches) batches.push({ header: b.header, position: at + b.position });
      parts.push(item.bytes);
      at += item.bytes.length;
    }
    this.items = [];
    this.bytes = 0;
    return { items, parts, length: at, batches, forceFlush: items.some((i) => i.options.forceFlush === true) };
  }
}

/** Domain errors resolve the append's promise; unexpected faults reject it (as a single append would). */
export function settleFailure(item: PendingAppend, stop: ReplicaError | Error): void {
  if (stop instanceof Error) item.reject(stop);
  else item.resolve({ ok: false, error: stop });
}
