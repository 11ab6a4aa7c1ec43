// In-memory KvStore with etcd's revision, lease, watch and compaction semantics, for unit tests
// and single-process development. Leases expire on real timers.
import { compareHolds, type KvCompare, type KvCount, type KvCountOptions, type KvEntry, type KvEvent, type KvOp, type KvRange, type KvStore, type KvTxnResult, type KvWatch, type KvWatchListener, type LeaseId } from './kv';

interface MemLease {
  ttlMs: number;
  timer: NodeJS.Timeout;
  keys: Set<string>;
}

interface MemWatch {
  prefix: string;
  listener: KvWatchListener;
  next: bigint;
}

export class MemoryKvStore implements KvStore {
  private revision = 1n;
  private compacted = 0n;
  private readonly entries = new Map<string, KvEntry>();
  private readonly history: KvEvent[] = [];
  private readonly leases = new Map<LeaseId, MemLease>();
  private readonly watches = new Set<MemWatch>();
  private nextLease = 1;
  private closed = false;

  async get(key: string): Promise<KvEntry | undefined> {
    this.assertOpen();
    return this.entries.get(key);
  }

  async range(prefix: string): Promise<KvRange> {
    this.assertOpen();
    const entries = [...this.entries.values()].filter((e) => e.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : 1));
    return { entries, revision: this.revision };
  }

  async count(prefix: string, options: KvCountOptions = {}): Promise<KvCount> {
    this.assertOpen();
    if (options.revision !== undefined && options.minModRevision !== undefined) throw new Error('count: minModRevision applies to the current revision only');
    if (options.revision === undefined || options.revision === this.revision) {
      const min = options.minModRevision ?? 0n;
      const count = [...this.entries.values()].filter((e) => e.key.startsWith(prefix) && e.modRevision >= min).length;
      return { count, revision: this.revision };
    }
    const at = options.revision;
    if (at > this.revision) throw new Error('etcdserver: mvcc: required revision is a future revision');
    if (at <= this.compacted) throw new Error('etcdserver: mvcc: required revision has been compacted');
    // The current key set with the history after `at` undone, newest first.
    const keys = new Set([...this.entries.keys()].filter((k) => k.startsWith(prefix)));
    const later = this.history.filter((e) => e.revision > at && e.key.startsWith(prefix));
    for (let i = later.length - 1; i >= 0; i--) {
      const ev = later[i] as KvEvent;
      if (ev.type === 'delete') keys.add(ev.key);
      else if (ev.createRevision === ev.revision) keys.delete(ev.key);
    }
    return { count: keys.size, revision: at };
  }

  async txn(compares: readonly KvCompare[], ops: readonly KvOp[]): Promise<KvTxnResult> {
    this.assertOpen();
    for (const c of compares) {
      const e = this.entries.get(c.key);
      const actual = e === undefined ? 0n : c.target === 'createRevision' ? e.createRevision : c.target === 'modRevision' ? e.modRevision : e.version;
      if (!compareHolds(actual, c.op, c.value)) return { succeeded: false, revision: this.revision };
    }
    const putKeys = ops.filter((o) => o.type === 'put').map((o) => (o as { key: string }).key);
    if (new Set(putKeys).size !== putKeys.length) throw new Error('duplicate key given in txn request');
    for (const op of ops) {
      if (op.type === 'put' && op.lease !== undefined && op.lease !== '0' && !this.leases.has(op.lease)) {
        throw new Error('etcdserver: requested lease not found');
      }
    }
    if (ops.length === 0) return { succeeded: true, revision: this.revision };
    const rev = this.revision + 1n;
    const events: KvEvent[] = [];
    for (const op of ops) {
      if (op.type === 'put') {
        const prev = this.entries.get(op.key);
        if (prev && prev.lease !== '0') this.leases.get(prev.lease)?.keys.delete(op.key);
        const lease = op.lease ?? '0';
        const value = Buffer.from(op.value);
        this.entries.set(op.key, {
          key: op.key,
          value,
          createRevision: prev?.createRevision ?? rev,
          modRevision: rev,
          version: (prev?.version ?? 0n) + 1n,
          lease,
        });
        if (lease !== '0') this.leases.get(lease)?.keys.add(op.key);
        events.push({ type: 'put', key: op.key, value, revision: rev, createRevision: prev?.createRevision ?? rev });
      } else {
        const keys = op.type === 'delete' ? [op.key] : [...this.entries.keys()].filter((k) => k.startsWith(op.prefix));
        for (const key of keys) events.push(...this.deleteKey(key, rev));
      }
    }
    if (events.length > 0) this.commit(rev, events);
    return { succeeded: true, revision: this.revision };
  }

  async grantLease(ttlSeconds: number): Promise<LeaseId> {
    this.assertOpen();
    const id = String(this.nextLease++);
    const ttlMs = ttlSeconds * 1000;
    this.leases.set(id, { ttlMs, timer: this.expiryTimer(id, ttlMs), keys: new Set() });
    return id;
  }

  async keepAliveOnce(lease: LeaseId): Promise<boolean> {
    this.assertOpen();
    const l = this.leases.get(lease);
    if (!l) return false;
    clearTimeout(l.timer);
    l.timer = this.expiryTimer(lease, l.ttlMs);
    return true;
  }

  async revokeLease(lease: LeaseId): Promise<void> {
    this.assertOpen();
    this.expire(lease);
  }

  async watchPrefix(prefix: string, fromRevision: bigint, listener: KvWatchListener): Promise<KvWatch> {
    this.assertOpen();
    const watch: MemWatch = { prefix, listener, next: fromRevision };
    if (fromRevision <= this.compacted) {
      queueMicrotask(() => listener.onError({ kind: 'compacted', compactRevision: this.compacted }));
      return { cancel: async () => undefined };
    }
    this.watches.add(watch);
    queueMicrotask(() => this.deliver(watch));
    return { cancel: async () => void this.watches.delete(watch) };
  }

  async compact(revision: bigint): Promise<void> {
    this.assertOpen();
    if (revision > this.revision) throw new Error('etcdserver: mvcc: required revision is a future revision');
    if (revision <= this.compacted) throw new Error('etcdserver: mvcc: required revision has been compacted');
    this.compacted = revision;
    while (this.history.length > 0 && (this.history[0] as KvEvent).revision <= revision) this.history.shift();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const l of this.leases.values()) clearTimeout(l.timer);
    this.watches.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MemoryKvStore is closed');
  }

  private expiryTimer(id: LeaseId, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => this.expire(id), ms);
    t.unref();
    return t;
  }

  private expire(id: LeaseId): void {
    const lease = this.leases.get(id);
    if (!lease) return;
    clearTimeout(lease.timer);
    this.leases.delete(id);
    if (lease.keys.size === 0) return;
    const rev = this.revision + 1n;
    const events = [...lease.keys].flatMap((k) => this.deleteKey(k, rev));
    if (events.length > 0) this.commit(rev, events);
  }

  private deleteKey(key: string, rev: bigint): KvEvent[] {
    const prev = this.entries.get(key);
    if (!prev) return [];
    this.entries.delete(key);
    if (prev.lease !== '0') this.leases.get(prev.lease)?.keys.delete(key);
    return [{ type: 'delete', key, value: Buffer.alloc(0), revision: rev, createRevision: 0n, prevValue: prev.value }];
  }

  private commit(rev: bigint, events: KvEvent[]): void {
    this.revision = rev;
    this.history.push(...events);
    for (const w of this.watches) queueMicrotask(() => this.deliver(w));
  }

  private deliver(watch: MemWatch): void {
    if (!this.watches.has(watch)) return;
    if (watch.next <= this.compacted) {
      // Like etcd: a watcher that fell behind a compaction is cancelled.
      this.watches.delete(watch);
      watch.listener.onError({ kind: 'compacted', compactRevision: this.compacted });
      return;
    }
    const events = this.history.filter((e) => e.revision >= watch.next && e.key.startsWith(watch.prefix));
    // A synced watcher has seen every revision so far, including ones outside its prefix.
    watch.next = this.revision + 1n;
    if (events.length > 0) watch.listener.onEvents(events);
  }
}
