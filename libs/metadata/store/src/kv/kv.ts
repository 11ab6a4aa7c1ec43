// The narrow key-value port the metadata store is written against: exactly the etcd v3 features
// it needs (ranges, multi-key transactions with revision compares, leases, prefix watches,
// compaction). Two implementations pass one contract suite: in-memory (unit tests) and etcd.

export type LeaseId = string;

export interface KvEntry {
  readonly key: string;
  readonly value: Buffer;
  readonly createRevision: bigint;
  readonly modRevision: bigint;
  readonly version: bigint;
  /** "0" when the key has no lease. */
  readonly lease: LeaseId;
}

/** A compare on one key; a missing key has create/mod revision and version 0 (etcd semantics). */
export interface KvCompare {
  readonly key: string;
  readonly target: 'createRevision' | 'modRevision' | 'version';
  readonly op: '==' | '!=' | '<' | '>';
  readonly value: bigint;
}

export type KvOp =
  | { readonly type: 'put'; readonly key: string; readonly value: Buffer | string; readonly lease?: LeaseId }
  | { readonly type: 'delete'; readonly key: string }
  | { readonly type: 'deletePrefix'; readonly prefix: string };

export interface KvTxnResult {
  readonly succeeded: boolean;
  /** Store revision after the transaction (unchanged when it failed or wrote nothing). */
  readonly revision: bigint;
}

export interface KvCountOptions {
  readonly revision?: bigint;
  readonly minModRevision?: bigint;
}

export interface KvCount {
  readonly count: number;
  readonly revision: bigint;
}

export interface KvRange {
  readonly entries: readonly KvEntry[];
  /** Revision at which the range was read: watching from revision + 1 misses nothing. */
  readonly revision: bigint;
}

export interface KvEvent {
  readonly type: 'put' | 'delete';
  readonly key: string;
  /** Empty for deletes. */
  readonly value: Buffer;
  /** Revision of the change (for a delete, the revision of the deletion). */
  readonly revision: bigint;
  /** For puts: the key's create revision (0 for deletes). */
  readonly createRevision: bigint;
  /** For deletes: the value the key held before (so a resumed watcher can name what went away). */
  readonly prevValue?: Buffer;
}

export type KvWatchError =
  | { readonly kind: 'compacted'; readonly compactRevision: bigint }
  | { readonly kind: 'failed'; readonly cause: unknown };

export interface KvWatchListener {
  /** All events of one or more whole revisions, in revision order. */
  onEvents(events: readonly KvEvent[]): void;
  /** The watch stopped; after 'compacted' the caller must re-read (snapshot) and watch again. */
  onError(error: KvWatchError): void;
}

export interface KvWatch {
  cancel(): Promise<void>;
}

export interface KvStore {
  get(key: string): Promise<KvEntry | undefined>;
  range(prefix: string): Promise<KvRange>;
  /**
   * How many keys are under prefix at `revision` (default: now); with `minModRevision` (current
   * revision only) just the keys last modified at or after it (etcd count_only +
   * min_mod_revision). The answer's `revision` is the one counted at. A compacted `revision`
   * fails like a range would.
   */
  count(prefix: string, options?: KvCountOptions): Promise<KvCount>;
  /** All compares must hold for the ops to apply, atomically, at one new revision. */
  txn(compares: readonly KvCompare[], ops: readonly KvOp[]): Promise<KvTxnResult>;
  grantLease(ttlSeconds: number): Promise<LeaseId>;
  /** Renews a lease; false when it has expired or was revoked. */
  keepAliveOnce(lease: LeaseId): Promise<boolean>;
  revokeLease(lease: LeaseId): Promise<void>;
  /**
   * Watches every key under prefix starting at fromRevision (inclusive). Transport faults are
   * retried inside the implementation, resuming after the last delivered revision.
   */
  watchPrefix(prefix: string, fromRevision: bigint, listener: KvWatchListener): Promise<KvWatch>;
  compact(revision: bigint): Promise<void>;
  close(): Promise<void>;
}

export function compareHolds(actual: bigint, op: KvCompare['op'], expected: bigint): boolean {
  switch (op) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '>':
      return actual > expected;
  }
}
