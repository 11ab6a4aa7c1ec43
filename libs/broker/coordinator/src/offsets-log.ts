// The narrow port between a group coordinator and the offsets-topic partition it leads: append
// record batches with acks=all (a group change or offset commit is acknowledged only once it
// would survive a failover) and read them back in order to rebuild state on a new leader.
import type { ErrorCode } from '@stratus/kafka-errors';

export type LogOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: OffsetsLogError };

export interface OffsetsLogError {
  /** NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH: leadership moved; anything else: the write's fate is unknown. */
  readonly code: ErrorCode;
  readonly message: string;
}

export interface OffsetsLogRead {
  /** Whole RecordBatch v2 frames, all below the high watermark. */
  readonly records: Buffer;
  /** Where the next read starts. */
  readonly nextOffset: bigint;
  readonly highWatermark: bigint;
}

export interface OffsetsLog {
  /** Appends one or more RecordBatch v2 (offsets are assigned by the log); resolves once committed (acks=all). */
  append(records: Buffer): Promise<LogOutcome<{ readonly baseOffset: bigint }>>;
  /** Reads committed batches from `from` (>= startOffset()). */
  read(from: bigint, maxBytes: number): Promise<LogOutcome<OffsetsLogRead>>;
  /** The first offset still in the log (compaction and retention move it forward). */
  startOffset(): bigint;
  /** Everything below it is committed and readable. */
  highWatermark(): bigint;
}
