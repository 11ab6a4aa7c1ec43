// The read side every service uses: a map kept current by a metadata watch stream.

/** Why a cache was replaced as a whole (watch.proto WatchResetReason). */
export type ResetReason = 'initial' | 'compacted' | 'overflow' | 'unspecified';

export type WatchChange<K, V> =
  | { readonly type: 'put'; readonly key: K; readonly value: V; readonly previous: V | undefined; readonly revision: bigint }
  | { readonly type: 'delete'; readonly key: K; readonly previous: V; readonly revision: bigint }
  /**
   * The whole cache was replaced by a fresh snapshot: the first snapshot ('initial'), or after
   * etcd compacted past the revision this cache held ('compacted') or the server dropped a slow
   * watcher ('overflow'). Listeners that derive state from the cache must rebuild it from values().
   */
  | { readonly type: 'reset'; readonly reason: ResetReason; readonly revision: bigint; readonly size: number };

export interface WatchedMap<K, V> {
  get(key: K): V | undefined;
  has(key: K): boolean;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  entries(): IterableIterator<[K, V]>;
  readonly size: number;
  /** The etcd revision this cache reflects (0n before the first snapshot). */
  readonly revision: bigint;
  /** True once the first complete snapshot was applied; stays true across reconnects. */
  readonly isReady: boolean;
  /**
   * Resolves after the first complete snapshot. Rejects with WatchTimeoutError after `timeoutMs`
   * (no timeout when omitted) and with WatchClosedError if the cache is closed first.
   */
  ready(timeoutMs?: number): Promise<void>;
  /**
   * Resolves true once the cache reflects at least `revision`; resolves FALSE (never rejects) when
   * `timeoutMs` passes first or the cache is closed, so callers branch instead of catching.
   */
  waitForRevision(revision: bigint, timeoutMs: number): Promise<boolean>;
  /**
   * Learns the metadata service's current revision (one cheap RPC) and waits until the cache
   * reflects it. Resolves false when the RPC fails or `timeoutMs` passes; never rejects.
   * Note: the cache advances when its stream delivers an event or a progress message at or after
   * that revision; changes elsewhere in etcd alone do not move it (see docs/metadata.md).
   */
  catchUp(timeoutMs: number): Promise<boolean>;
  /** Every change, in revision order, after it was applied. Returns an unsubscribe function. */
  onChange(listener: (change: WatchChange<K, V>) => void): () => void;
  /** Stops the stream and reconnects; pending ready() calls reject, waits resolve false. */
  close(): void;
}

/** Minimal structured logger (pino's shape), so any service logger fits. */
export interface WatchLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export class WatchTimeoutError extends Error {
  override readonly name = 'WatchTimeoutError';
}

export class WatchClosedError extends Error {
  override readonly name = 'WatchClosedError';
}
