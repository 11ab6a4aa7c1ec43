// Domain errors of the replica rules (design/replication-protocol.md) as values. Transport faults
// and bugs stay exceptions; everything a caller is expected to handle is one of these.
import type { EpochEntry, LeaderEpoch } from './types';

export type ReplicaError =
  /** Rule 1–3: the request's epoch is older than the epoch this replica has promised. */
  | { readonly code: 'FENCED'; readonly promisedEpoch: LeaderEpoch; readonly message: string }
  /** Rule 2: a newer epoch than promised; the new leader must Fence first (Kafka's UNKNOWN_LEADER_EPOCH). */
  | { readonly code: 'UNKNOWN_LEADER_EPOCH'; readonly promisedEpoch: LeaderEpoch; readonly message: string }
  /** Rule 2: appends must start exactly at logEnd; the leader repairs from the returned logEnd. */
  | { readonly code: 'OUT_OF_ORDER'; readonly logEnd: bigint; readonly message: string }
  /** Stored bytes failed their CRC32C or framing checks; they are never served. */
  | { readonly code: 'CORRUPT'; readonly offset: bigint; readonly file: string; readonly message: string }
  /** No space left on the device (ENOSPC/EDQUOT). Retriable: nothing already written was changed. */
  | { readonly code: 'DISK_FULL'; readonly retriable: true; readonly message: string }
  /**
   * `logStart` is the first offset the replica serves; `durableLogStart`, when known, the
   * partition's logical start over both tiers (<= logStart; below it once local retention ran).
   */
  | { readonly code: 'OFFSET_OUT_OF_RANGE'; readonly logStart: bigint; readonly logEnd: bigint; readonly message: string; readonly durableLogStart?: bigint }
  /** The storage health manager considers the disk stalled; route around this node. */
  | { readonly code: 'NOT_READY'; readonly retriable: true; readonly message: string }
  /** The appended bytes are not valid RecordBatch v2 data (bad framing, magic, CRC or offsets). */
  | { readonly code: 'INVALID_BATCH'; readonly message: string }
  /** The replica was closed (shutdown or deleted partition). */
  | { readonly code: 'CLOSED'; readonly message: string };

export type ReplicaErrorCode = ReplicaError['code'];

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ReplicaError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: ReplicaError): Result<T> => ({ ok: false, error });

export function fenced(promisedEpoch: LeaderEpoch, requested: LeaderEpoch): ReplicaError {
  return { code: 'FENCED', promisedEpoch, message: `epoch ${requested} is fenced: this replica promised epoch ${promisedEpoch}` };
}

/** Rule 2/3 gate: the request must carry exactly the promised epoch. */
export function checkEpoch(promisedEpoch: LeaderEpoch, requested: LeaderEpoch): ReplicaError | undefined {
  if (requested < promisedEpoch) return fenced(promisedEpoch, requested);
  if (requested > promisedEpoch) {
    return {
      code: 'UNKNOWN_LEADER_EPOCH',
      promisedEpoch,
      message: `epoch ${requested} is newer than the promised epoch ${promisedEpoch}: fence the replica first`,
    };
  }
  return undefined;
}

export function outOfRange(offset: bigint, logStart: bigint, logEnd: bigint, durableLogStart?: bigint): ReplicaError {
  const message = `offset ${offset} is outside the log [${logStart}, ${logEnd})`;
  return durableLogStart === undefined ? { code: 'OFFSET_OUT_OF_RANGE', logStart, logEnd, message } : { code: 'OFFSET_OUT_OF_RANGE', logStart, logEnd, message, durableLogStart };
}

export function diskFull(detail: string): ReplicaError {
  return { code: 'DISK_FULL', retriable: true, message: `disk full: ${detail}` };
}

/** Node's errno codes that mean "out of space" rather than a broken disk. */
export function isNoSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** What Fence returns so a new leader can settle the log (design note, leader recovery step 2–3). */
export interface FenceState {
  readonly promisedEpoch: LeaderEpoch;
  readonly logStart: bigint;
  readonly logEnd: bigint;
  readonly epochHistory: readonly EpochEntry[];
}
