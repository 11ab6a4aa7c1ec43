// The one cache engine behind watchTopics / watchPartitions / watchNodes / watchTenants.
//
// Protocol (watch.proto): reset + snapshot updates + snapshot_complete, then changes, each message
// stamped with the etcd revision the cache reflects after applying it. The engine keeps the last
// revision and, when the stream ends or fails (metadata restart, UNAVAILABLE), reconnects with
// capped, jittered backoff asking for the changes after it, so no update is lost or applied twice.
// When the server answers a resume with reset (COMPACTED / OVERFLOW), the snapshot that follows
// is built on the side and swapped in whole at snapshot_complete: readers keep a consistent (if
// older) view meanwhile instead of a half-filled map.
import { Backoff, type BackoffOptions } from './backoff';
import { WatchClosedError, WatchTimeoutError, type ResetReason, type WatchChange, type WatchedMap, type WatchLogger } from './types';
import type { WatchSource, WatchStream } from './watch-source';

export interface WatchedCacheOptions {
  readonly logger: WatchLogger;
  readonly backoff?: BackoffOptions;
}

interface RevisionWaiter {
  readonly revision: bigint;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

interface ReadyWaiter {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout | undefined;
}

export class WatchedCache<K, V> implements WatchedMap<K, V> {
  private live = new Map<K, V>();
  private staging: { map: Map<K, V>; reason: ResetReason } | undefined;
  private currentRevision = 0n;
  private readyFlag = false;
  private closed = false;
  private stream: WatchStream | undefined;
  /** Bumped per stream so late events of a replaced stream are ignored. */
  private streamSeq = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private readonly backoff: Backoff;
  private readonly listeners = new Set<(change: WatchChange<K, V>) => void>();
  private revisionWaiters: RevisionWaiter[] = [];
  private readyWaiters: ReadyWaiter[] = [];
  private readonly logger: WatchLogger;

  constructor(
    private readonly source: WatchSource<K, V>,
    options: WatchedCacheOptions,
  ) {
    this.logger = options.logger;
    this.backoff = new Backoff(options.backoff);
    this.connect();
  }

  get(key: K): V | undefined {
    return this.live.get(key);
  }
  has(key: K): boolean {
    return this.live.has(key);
  }
  keys(): IterableIterator<K> {
    return this.live.keys();
  }
  values(): IterableIterator<V> {
    return this.live.values();
  }
  entries(): IterableIterator<[K, V]> {
    return this.live.entries();
  }
  get size(): number {
    return this.live.size;
  }
  get revision(): bigint {
    return this.currentRevision;
  }
  get isReady(): boolean {
    return this.readyFlag;
  }

  ready(timeoutMs?: number): Promise<void> {
    if (this.readyFlag) return Promise.resolve();
    if (this.closed) return Promise.reject(new WatchClosedError(`${this.source.name} watch is closed`));
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.readyWaiters = this.readyWaiters.filter((w) => w !== waiter);
              reject(new WatchTimeoutError(`${this.source.name} watch had no complete snapshot within ${timeoutMs} ms`));
            }, timeoutMs);
      timer?.unref();
      const waiter: ReadyWaiter = { resolve, reject, timer };
      this.readyWaiters.push(waiter);
    });
  }

  waitForRevision(revision: bigint, timeoutMs: number): Promise<boolean> {
    if (this.readyFlag && this.currentRevision >= revision) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.revisionWaiters = this.revisionWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, Math.max(0, timeoutMs));
      timer.unref();
      const waiter: RevisionWaiter = { revision, resolve, timer };
      this.revisionWaiters.push(waiter);
    });
  }

  async catchUp(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let target: bigint;
    try {
      target = await this.source.currentRevision(timeoutMs);
    } catch (err) {
      this.logger.warn({ watch: this.source.name, err }, 'could not learn the current metadata revision');
      return false;
    }
    return this.waitForRevision(target, deadline - Date.now());
  }

  onChange(listener: (change: WatchChange<K, V>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.streamSeq += 1;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stream?.cancel();
    this.stream = undefined;
    this.listeners.clear();
    for (const w of this.readyWaiters.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(new WatchClosedError(`${this.source.name} watch was closed`));
    }
    for (const w of this.revisionWaiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    if (this.closed) return;
    // Half a snapshot is worthless: a new stream resumes from the last COMPLETE state.
    this.staging = undefined;
    const seq = ++this.streamSeq;
    const resume = this.readyFlag ? this.currentRevision : 0n;
    let ended = false;
    const finish = (reason: string, err?: Error) => {
      if (ended || seq !== this.streamSeq) return;
      ended = true;
      this.stream = undefined;
      this.scheduleReconnect(reason, err);
    };
    try {
      const stream = this.source.open(resume);
      this.stream = stream;
      stream.on('data', (message: unknown) => {
        if (seq === this.streamSeq) this.onMessage(message);
      });
      stream.on('error', (err: Error) => finish('error', err));
      stream.on('end', () => finish('end'));
    } catch (err) {
      finish('open failed', err instanceof Error ? err : new Error(String(err)));
    }
  }

  private scheduleReconnect(reason: string, err?: Error): void {
    if (this.closed) return;
    this.failures += 1;
    const delayMs = this.backoff.next();
    const fields = { watch: this.source.name, reason, err: err?.message, resumeRevision: this.readyFlag ? this.currentRevision : 0n, delayMs, failures: this.failures };
    // The first failure is news (metadata restarted); a long outage is logged every 10th attempt.
    if (this.failures === 1 || this.failures % 10 === 0) this.logger.warn(fields, 'metadata watch stream lost; reconnecting');
    else this.logger.debug(fields, 'metadata watch reconnect attempt');
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
    this.reconnectTimer.unref();
  }

  private onMessage(message: unknown): void {
    let decoded;
    try {
      decoded = this.source.decode(message);
    } catch (err) {
      // A bug in a decoder must not kill the caller's process: restart the stream from the last
      // good revision and say so loudly.
      this.logger.error({ watch: this.source.name, err }, 'could not apply a metadata watch message; restarting the stream');
      this.restartStream();
      return;
    }
    if (this.failures > 0) {
      this.logger.info({ watch: this.source.name, revision: decoded.revision, failures: this.failures }, 'metadata watch stream restored');
      this.failures = 0;
    }
    this.backoff.reset();
    const { revision, event } = decoded;
    switch (event.type) {
      case 'reset':
        this.staging = { map: new Map(), reason: event.reason };
        return;
      case 'updates':
        if (this.staging) {
          for (const [k, v] of event.upserted) {
            if (this.source.keep?.(v) ?? true) this.staging.map.set(k, v);
            else this.staging.map.delete(k);
          }
          for (const k of event.deleted) this.staging.map.delete(k);
        } else {
          this.applyLive(event.upserted, event.deleted, revision);
        }
        return;
      case 'snapshotComplete':
        this.completeSnapshot(revision);
        return;
      case 'progress':
      case 'unknown':
        if (!this.staging) this.advance(revision);
        return;
    }
  }

  private applyLive(upserted: ReadonlyArray<readonly [K, V]>, deleted: readonly K[], revision: bigint): void {
    // The revision moves first so a listener reading `revision` sees the one of the change.
    if (revision > this.currentRevision) this.currentRevision = revision;
    for (const [key, value] of upserted) {
      const previous = this.live.get(key);
      if (this.source.keep?.(value) ?? true) {
        this.live.set(key, value);
        this.emit({ type: 'put', key, value, previous, revision });
      } else if (previous !== undefined) {
        this.live.delete(key);
        this.emit({ type: 'delete', key, previous, revision });
      }
    }
    for (const key of deleted) {
      const previous = this.live.get(key);
      if (previous === undefined) continue;
      this.live.delete(key);
      this.emit({ type: 'delete', key, previous, revision });
    }
    this.advance(revision);
  }

  private completeSnapshot(revision: bigint): void {
    const staged = this.staging;
    this.staging = undefined;
    if (!staged) {
      // snapshot_complete without a reset: nothing was rebuilt; treat it as progress.
      this.advance(revision);
      return;
    }
    this.live = staged.map;
    this.currentRevision = revision;
    const firstTime = !this.readyFlag;
    this.readyFlag = true;
    if (!firstTime || staged.reason !== 'initial') {
      this.logger.info({ watch: this.source.name, reason: staged.reason, revision, size: this.live.size }, 'metadata watch cache replaced by a fresh snapshot');
    }
    this.emit({ type: 'reset', reason: staged.reason, revision, size: this.live.size });
    for (const w of this.readyWaiters.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.resolve();
    }
    this.advance(revision);
  }

  private advance(revision: bigint): void {
    if (revision > this.currentRevision) this.currentRevision = revision;
    if (!this.readyFlag || this.revisionWaiters.length === 0) return;
    const still: RevisionWaiter[] = [];
    for (const w of this.revisionWaiters) {
      if (this.currentRevision >= w.revision) {
        clearTimeout(w.timer);
        w.resolve(true);
      } else {
        still.push(w);
      }
    }
    this.revisionWaiters = still;
  }

  private restartStream(): void {
    const old = this.stream;
    this.streamSeq += 1;
    this.stream = undefined;
    old?.cancel();
    this.scheduleReconnect('bad message');
  }

  private emit(change: WatchChange<K, V>): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        // A listener's bug is the listener's: log it, keep the cache and other listeners going.
        this.logger.error({ watch: this.source.name, err, change: change.type }, 'metadata watch listener threw');
      }
    }
  }
}
