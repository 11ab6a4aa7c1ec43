// DeleteRecords across tiers (KIP-107 on a KIP-405 log): once the leader has moved the log start
// on a write quorum of its replicas, the objects wholly below it are deleted from tiered storage
// (tieredV1 TrimPartition). The broker owns this call because it is the one place that knows the
// moment a DeleteRecords was acknowledged, and it already reaches the partition's preferred
// tiered-storage node; the tiered-storage service owns the manifest and the objects and does the
// deletion itself. As in Kafka, remote segments are deleted after the answer, not before it: the
// records are already unreadable (the broker refuses offsets below the new start, tier-read.ts),
// so the client does not wait for object-store round trips. A trim that fails is retried with
// backoff until it succeeds or a later one for the same partition supersedes it; the
// tiered-storage service also re-applies trims it has seen on every retention round.
import type { commonV1 } from '@stratus/contracts';
import type { Log } from './leadership-manager';
import { partitionKeyOf, type PartitionKey } from './types';

export type TierTrimOutcome =
  /** Tiered storage now holds nothing wholly below the offset; `tieredStart` is its new first offset. */
  | { readonly kind: 'trimmed'; readonly tieredStart: bigint | undefined; readonly segmentsDeleted: number }
  /** No tiered-storage node exists in this cell: nothing to trim. */
  | { readonly kind: 'none' }
  /** Tiered storage could not do it now (unreachable, object store down): retried. */
  | { readonly kind: 'unavailable'; readonly message: string };

export interface TierTrimPort {
  trim(partition: commonV1.PartitionRef, logStartOffset: bigint): Promise<TierTrimOutcome>;
}

/** Timer seam for tests. Returns a cancel function. */
export type Scheduler = (run: () => void, delayMs: number) => () => void;

const realScheduler: Scheduler = (run, delayMs) => {
  const t = setTimeout(run, delayMs);
  t.unref?.();
  return () => clearTimeout(t);
};

export interface TierTrimsOptions {
  readonly port: TierTrimPort;
  readonly log?: Log;
  /** First retry delay (default 500 ms); doubles per failure up to `maxDelayMs` (default 60 s), full jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly schedule?: Scheduler;
  readonly random?: () => number;
}

interface Pending {
  readonly partition: commonV1.PartitionRef;
  offset: bigint;
  failures: number;
  running: boolean;
  cancel?: () => void;
}

export class TierTrims {
  private readonly pending = new Map<PartitionKey, Pending>();
  private closed = false;

  constructor(private readonly options: TierTrimsOptions) {}

  /** Partitions with a trim not yet confirmed by tiered storage (for tests and status). */
  get outstanding(): ReadonlyMap<PartitionKey, bigint> {
    return new Map([...this.pending].map(([k, p]) => [k, p.offset]));
  }

  /** Asks for everything wholly below `offset` to leave the tier; a lower or equal pending request is absorbed. */
  request(partition: commonV1.PartitionRef, offset: bigint): void {
    if (this.closed) return;
    const key = partitionKeyOf(partition);
    const existing = this.pending.get(key);
    if (existing) {
      if (offset > existing.offset) {
        existing.offset = offset;
        existing.failures = 0;
        // A retry waiting for its backoff goes now: the new request is fresh work.
        if (!existing.running) {
          existing.cancel?.();
          void this.attempt(key, existing);
        }
      }
      return;
    }
    const entry: Pending = { partition, offset, failures: 0, running: false };
    this.pending.set(key, entry);
    void this.attempt(key, entry);
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) p.cancel?.();
    this.pending.clear();
  }

  private async attempt(key: PartitionKey, entry: Pending): Promise<void> {
    entry.running = true;
    entry.cancel = undefined;
    const offset = entry.offset;
    let outcome: TierTrimOutcome;
    try {
      outcome = await this.options.port.trim(entry.partition, offset);
    } catch (err) {
      outcome = { kind: 'unavailable', message: (err as Error).message };
    }
    entry.running = false;
    if (this.closed || this.pending.get(key) !== entry) return;
    if (outcome.kind !== 'unavailable') {
      if (outcome.kind === 'trimmed' && outcome.segmentsDeleted > 0) {
        this.options.log?.info({ partition: key, logStartOffset: offset.toString(), segmentsDeleted: outcome.segmentsDeleted }, 'tiered segments below the new log start deleted');
      }
      // A higher request arrived while this one ran: trim again to it.
      if (entry.offset > offset) return this.attempt(key, entry);
      this.pending.delete(key);
      return;
    }
    entry.failures++;
    const cap = Math.min(this.options.maxDelayMs ?? 60_000, (this.options.baseDelayMs ?? 500) * 2 ** Math.min(entry.failures - 1, 30));
    const delay = Math.floor((this.options.random ?? Math.random)() * cap);
    this.options.log?.warn({ partition: key, logStartOffset: entry.offset.toString(), attempt: entry.failures, retryInMs: delay, reason: outcome.message }, 'tiered trim after DeleteRecords failed; retrying');
    entry.cancel = (this.options.schedule ?? realScheduler)(() => void this.attempt(key, entry), delay);
  }
}
