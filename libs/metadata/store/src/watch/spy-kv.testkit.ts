// A KvStore wrapper for watch tests: counts reads (what etcd serves as Range requests) and can
// hold back watch deliveries, so a change can be "written but not yet delivered" on demand.
import type { KvCompare, KvCount, KvCountOptions, KvEntry, KvOp, KvRange, KvStore, KvTxnResult, KvWatch, KvWatchListener, LeaseId } from '../kv/kv';

export class SpyKv implements KvStore {
  /** get + range + count calls since construction. */
  reads = 0;
  private holding = false;
  private held: Array<() => void> = [];

  constructor(private readonly inner: KvStore) {}

  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const deliver of this.held.splice(0)) deliver();
  }

  get(key: string): Promise<KvEntry | undefined> {
    this.reads++;
    return this.inner.get(key);
  }
  range(prefix: string): Promise<KvRange> {
    this.reads++;
    return this.inner.range(prefix);
  }
  count(prefix: string, options?: KvCountOptions): Promise<KvCount> {
    this.reads++;
    return this.inner.count(prefix, options);
  }
  txn(compares: readonly KvCompare[], ops: readonly KvOp[]): Promise<KvTxnResult> {
    return this.inner.txn(compares, ops);
  }
  grantLease(ttlSeconds: number): Promise<LeaseId> {
    return this.inner.grantLease(ttlSeconds);
  }
  keepAliveOnce(lease: LeaseId): Promise<boolean> {
    return this.inner.keepAliveOnce(lease);
  }
  revokeLease(lease: LeaseId): Promise<void> {
    return this.inner.revokeLease(lease);
  }
  watchPrefix(prefix: string, fromRevision: bigint, listener: KvWatchListener): Promise<KvWatch> {
    return this.inner.watchPrefix(prefix, fromRevision, {
      onEvents: (events) => {
        if (this.holding) this.held.push(() => listener.onEvents(events));
        else listener.onEvents(events);
      },
      onError: (error) => listener.onError(error),
    });
  }
  compact(revision: bigint): Promise<void> {
    return this.inner.compact(revision);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
