// Translation between the replication contract (stratus.replication.v1) and the partition log's
// domain values. Replica refusals travel as ReplicaError values in responses; gRPC status codes
// stay for transport faults, as the contract says.
import { commonV1, replicationV1 } from '@stratus/contracts';
import { partitionKey, type LogState, type PartitionKey, type ReplicaError } from '@stratus/replication-partition-log';

const Code = replicationV1.ReplicaErrorCode;

export type WireError = replicationV1.ReplicaError;

export function wireError(code: replicationV1.ReplicaErrorCode, message: string): WireError {
  return { code, message };
}

/** The partition key of a request, or the INVALID_REQUEST error explaining why there is none. */
export function keyOf(ref: commonV1.PartitionRef | undefined): { key: PartitionKey } | { error: WireError } {
  const topicId = ref?.topicId?.value;
  if (!ref || !topicId || topicId.length !== 16) {
    return { error: wireError(Code.INVALID_REQUEST, 'partition.topic_id must be a 16-byte topic id') };
  }
  try {
    return { key: partitionKey(Buffer.from(topicId).toString('hex'), ref.partition) };
  } catch (err) {
    return { error: wireError(Code.INVALID_REQUEST, (err as Error).message) };
  }
}

/** Domain error -> wire error. Malformed batches are CORRUPT on the wire (contract: "failed validation"). */
export function toWireError(error: ReplicaError): WireError {
  switch (error.code) {
    case 'FENCED':
      return wireError(Code.FENCED, error.message);
    case 'UNKNOWN_LEADER_EPOCH':
      return wireError(Code.NOT_FENCED, error.message);
    case 'OUT_OF_ORDER':
      return wireError(Code.OUT_OF_ORDER, error.message);
    case 'CORRUPT':
    case 'INVALID_BATCH':
      return wireError(Code.CORRUPT, error.message);
    case 'DISK_FULL':
      return wireError(Code.DISK_FULL, error.message);
    case 'NOT_READY':
    case 'CLOSED':
      return wireError(Code.NOT_READY, error.message);
    case 'OFFSET_OUT_OF_RANGE':
      return wireError(Code.OFFSET_OUT_OF_RANGE, error.message);
  }
}

export function unknownPartition(key: PartitionKey): WireError {
  return wireError(Code.UNKNOWN_PARTITION, `this node holds no replica of partition ${key}`);
}

/** Exceptions below the domain (EIO, bugs) are reported as STORAGE_ERROR, never as a crash of the stream. */
export function storageError(err: unknown): WireError {
  return wireError(Code.STORAGE_ERROR, err instanceof Error ? err.message : String(err));
}

/**
 * -1 as promised_epoch means "never fenced" (proto3 has no absent int32 and epoch 0 is valid).
 * `log_start_offset` is the persisted logical start over both tiers (log.proto): above the first
 * local offset after a DeleteRecords inside the first segment, below it once local retention
 * dropped tiered segments. Readers serve from max(log_start_offset, local_log_start_offset);
 * recovering leaders take the highest logical start of their quorum (KIP-107 durability).
 */
export function toWireState(state: LogState): replicationV1.LogState {
  return {
    promisedEpoch: state.promisedEpoch ?? -1,
    logStartOffset: state.durableLogStart,
    logEndOffset: state.logEnd,
    localLogStartOffset: state.localLogStart,
    epochHistory: state.epochHistory.map((e) => ({ epoch: e.epoch, startOffset: e.startOffset })),
    committedOffset: state.committedOffset,
    sizeBytes: BigInt(state.sizeBytes),
  };
}

/** Whether a caller-supplied epoch is a valid int32 >= 0. */
export function isEpoch(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 2 ** 31 - 1;
}
