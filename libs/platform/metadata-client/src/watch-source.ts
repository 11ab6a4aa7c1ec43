// What the generic cache engine needs from one Watch RPC family (topics, partitions, nodes,
// tenants): open a stream from a revision, and turn its messages into cache operations.
import type { ResetReason } from './types';

export type WatchEvent<K, V> =
  | { readonly type: 'reset'; readonly reason: ResetReason }
  | { readonly type: 'updates'; readonly upserted: ReadonlyArray<readonly [K, V]>; readonly deleted: readonly K[] }
  | { readonly type: 'snapshotComplete' }
  | { readonly type: 'progress' }
  /** A oneof case this client does not know (a newer server); skipped, its revision still counts. */
  | { readonly type: 'unknown' };

export interface DecodedWatchMessage<K, V> {
  readonly revision: bigint;
  readonly event: WatchEvent<K, V>;
}

/** The part of a grpc-js ClientReadableStream the engine uses (a fake in unit tests). */
export interface WatchStream {
  on(event: 'data', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  cancel(): void;
}

export interface WatchSource<K, V> {
  /** For logs and errors, e.g. "topics". */
  readonly name: string;
  /** resumeRevision 0n asks for a snapshot; R > 0n for the changes after R (watch.proto). */
  open(resumeRevision: bigint): WatchStream;
  decode(message: unknown): DecodedWatchMessage<K, V>;
  /** The metadata service's current etcd revision (for catchUp). */
  currentRevision(timeoutMs: number): Promise<bigint>;
  /**
   * False for a value this cache must not hold although the server sent it (a partition that
   * moved to another leader on a leader-filtered stream): the engine treats it as a delete.
   */
  keep?(value: V): boolean;
}

const RESET_REASONS: Record<number, ResetReason> = { 0: 'unspecified', 1: 'initial', 2: 'compacted', 3: 'overflow' };

export function resetReason(reason: number | undefined): ResetReason {
  return RESET_REASONS[reason ?? 0] ?? 'unspecified';
}

/** The watch.proto response shape shared by every family (ts-proto oneof `event`). */
export interface WatchResponseShape<U> {
  readonly revision: bigint;
  readonly event?:
    | { readonly $case: 'reset'; readonly value: { readonly reason: number } }
    | { readonly $case: 'updates'; readonly value: U }
    | { readonly $case: 'snapshotComplete'; readonly value: object }
    | { readonly $case: 'progress'; readonly value: object }
    | undefined;
}

/** Decodes the shared oneof; `updates` maps the family's upserted/deleted lists to keys. */
export function decodeWatchResponse<U, K, V>(
  message: WatchResponseShape<U>,
  updates: (value: U) => { upserted: ReadonlyArray<readonly [K, V]>; deleted: readonly K[] },
): DecodedWatchMessage<K, V> {
  const event = message.event;
  switch (event?.$case) {
    case 'reset':
      return { revision: message.revision, event: { type: 'reset', reason: resetReason(event.value.reason) } };
    case 'updates':
      return { revision: message.revision, event: { type: 'updates', ...updates(event.value) } };
    case 'snapshotComplete':
      return { revision: message.revision, event: { type: 'snapshotComplete' } };
    case 'progress':
      return { revision: message.revision, event: { type: 'progress' } };
    default:
      return { revision: message.revision, event: { type: 'unknown' } };
  }
}
