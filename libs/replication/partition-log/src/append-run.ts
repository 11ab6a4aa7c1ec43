// Group commit support for PartitionReplica.append: the appends of one group that passed the
// replica rules, gathered into a single contiguous write.
import type { ScannedBatch } from './batch-scan';
import type { ReplicaError, Result } from './errors';
import type { AppendOptions } from './partition-replica';
import type { LeaderEpoch } from './types';

/** A group never grows past this before it is written (bounds the copy into one buffer). */
export const MAX_GROUP_BYTES = 8 * 1024 * 1024;

export interface PendingAppend {
  readonly epoch: LeaderEpoch;
  readonly baseOffset: bigint;
  readonly bytes: Buffer;
  readonly options: AppendOptions;
  readonly resolve: (r: Result<{ logEnd: bigint }>) => void;
  readonly reject: (err: Error) => void;
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

  /** The run as one buffer with batch positions relative to it; the run is emptied (its end stays). */
  take(): { items: Accepted[]; bytes: Buffer; batches: ScannedBatch[]; forceFlush: boolean } {
    const items = this.items;
    const batches: ScannedBatch[] = [];
    let at = 0;
    for (const item of items) {
      for (const b of item.batches) batches.push({ header: b.header, position: at + b.position });
      at += item.bytes.length;
    }
    const bytes = items.length === 1 ? (items[0] as Accepted).bytes : Buffer.concat(items.map((i) => i.bytes), at);
    this.items = [];
    this.bytes = 0;
    return { items, bytes, batches, forceFlush: items.some((i) => i.options.forceFlush === true) };
  }
}

/** Domain errors resolve the append's promise; unexpected faults reject it (as a single append would). */
export function settleFailure(item: PendingAppend, stop: ReplicaError | Error): void {
  if (stop instanceof Error) item.reject(stop);
  else item.resolve({ ok: false, error: stop });
}
