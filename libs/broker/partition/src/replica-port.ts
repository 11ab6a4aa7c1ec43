// What a partition leader needs of one replica of its partition. The names and semantics follow
// stratus.replication.v1 (ReplicationService: Fence, Append, Truncate, MarkEpochStart, Read,
// Repair) so a gRPC-backed implementation is a thin adapter: requests map field by field,
// ReplicaError values map one to one, and transport faults (deadline, connection loss) become
// UNAVAILABLE — for a leader an unreachable replica is a normal, retriable condition.
import type { Epoch, EpochStart, Outcome, ReplicaId } from './types';

/** The replica rules' refusals (design/replication-protocol.md, "Replica rules"), as values. */
export type ReplicaError =
  /** Rules 1–3: the request's epoch is below the replica's promised epoch. Stop writing. */
  | { readonly code: 'FENCED'; readonly promisedEpoch: Epoch }
  /** Rules 2–3: the epoch is above the promised one; the leader must fence this replica first. */
  | { readonly code: 'NOT_FENCED'; readonly promisedEpoch: Epoch | undefined }
  /** Rule 2 / MarkEpochStart / Repair: the offset is not the replica's log end. */
  | { readonly code: 'OUT_OF_ORDER'; readonly logEnd: bigint }
  /** A read or truncation offset outside [logStart, logEnd]. */
  | { readonly code: 'OFFSET_OUT_OF_RANGE'; readonly logStart: bigint; readonly logEnd: bigint }
  /** The batches are not valid (framing, CRC, offsets or epoch stamp not matching the request). */
  | { readonly code: 'CORRUPT'; readonly message: string }
  /** Repair could not read what it needed from the source replica. */
  | { readonly code: 'PEER_UNAVAILABLE'; readonly message: string }
  /** Transport fault, node not ready, disk full or I/O error: the outcome is unknown or retriable. */
  | { readonly code: 'UNAVAILABLE'; readonly message: string };

export type ReplicaErrorCode = ReplicaError['code'];
export type ReplicaResult<T> = Outcome<T, ReplicaError>;

/** The durable state a replica reports (LogState in log.proto, the parts a leader uses). */
export interface ReplicaLogState {
  readonly promisedEpoch: Epoch | undefined;
  /** First offset the replica serves: max(durableLogStart, first local offset). */
  readonly logStart: bigint;
  /**
   * The persisted logical start over both tiers (log.proto `log_start_offset`, KIP-107): below
   * `logStart` once local retention dropped segments that live on in tiered storage.
   */
  readonly durableLogStart: bigint;
  readonly logEnd: bigint;
  readonly epochHistory: readonly EpochStart[];
}

export interface AppendRequest {
  readonly epoch: Epoch;
  readonly baseOffset: bigint;
  /** Exclusive end: baseOffset + the offsets the batches cover (checked by the replica). */
  readonly endOffset: bigint;
  /** Whole RecordBatch v2 blobs, offsets assigned and partitionLeaderEpoch == epoch. */
  readonly records: Buffer;
  /** The leader's high watermark, piggybacked (Raft's commit index). */
  readonly committedOffset: bigint;
}

export interface ReadRequest {
  readonly offset: bigint;
  readonly maxBytes: number;
  /** Exclusive bound on offsets returned: the leader's high watermark. */
  readonly maxOffset: bigint;
}

export interface ReadResponse {
  /** Whole batches, the first containing `offset`; at least one when any lies below maxOffset (KIP-74). */
  readonly records: Buffer;
  /** Exclusive end of the last batch returned; equals `offset` when nothing was returned. */
  readonly nextOffset: bigint;
  readonly logStart: bigint;
  readonly logEnd: bigint;
}

export interface RepairRequest {
  readonly epoch: Epoch;
  /** Must equal the repaired replica's log end. */
  readonly startOffset: bigint;
  readonly endOffset: bigint;
  readonly source: ReplicaId;
  readonly sourceEpochHistory: readonly EpochStart[];
}

export interface ReplicaPort {
  readonly id: ReplicaId;
  /** Rule 1: promise (durably) to refuse epochs below `epoch`, and report the log. */
  fence(epoch: Epoch): Promise<ReplicaResult<ReplicaLogState>>;
  /** Rule 2: append at the log end under the promised epoch; answers the new log end. */
  append(request: AppendRequest): Promise<ReplicaResult<{ readonly logEnd: bigint }>>;
  /** Rule 3: cut the log to end at `offset` (rounded down to a batch start), history with it. */
  truncate(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>>;
  /** Rule 3 / recovery step 4: record durably that `epoch` starts at `offset` == log end. */
  markEpochStart(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>>;
  /** Rule 3: copy [startOffset, endOffset) from a peer; batches keep their epochs. */
  repair(request: RepairRequest): Promise<ReplicaResult<ReplicaLogState>>;
  read(request: ReadRequest): Promise<ReplicaResult<ReadResponse>>;
  /**
   * DeleteRecords (DeleteSegmentsBefore with scope LOG_START): under the promised epoch, move the
   * logical log start up to `offset` (<= the log end; it may lie inside a batch), durably. A start
   * at or below the current one changes nothing. Reads below the start answer OFFSET_OUT_OF_RANGE.
   */
  advanceLogStart(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>>;
}

/** Kept for messages and logs: never decide on text. */
export function describeReplicaError(error: ReplicaError): string {
  switch (error.code) {
    case 'FENCED':
      return `fenced by epoch ${error.promisedEpoch}`;
    case 'NOT_FENCED':
      return `not fenced with this epoch (promised ${error.promisedEpoch ?? 'none'})`;
    case 'OUT_OF_ORDER':
      return `offset is not the replica's log end ${error.logEnd}`;
    case 'OFFSET_OUT_OF_RANGE':
      return `offset outside [${error.logStart}, ${error.logEnd}]`;
    default:
      return `${error.code}: ${error.message}`;
  }
}
