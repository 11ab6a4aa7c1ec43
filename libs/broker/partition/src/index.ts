// @stratus/broker-partition: the partition-leader core of a broker (issue 6): leader recovery,
// produce/fetch with quorum replication and idempotence, over a narrow replica port.
export { epoch, replicaId, success, failure, type Epoch, type EpochStart, type Outcome, type ReplicaId } from './types';
export {
  describeReplicaError,
  type AppendRequest,
  type ReadRequest,
  type ReadResponse,
  type RepairRequest,
  type ReplicaError,
  type ReplicaErrorCode,
  type ReplicaLogState,
  type ReplicaPort,
  type ReplicaResult,
} from './replica-port';
export { MemoryReplica, readFrames, type AcceptedAppend, type MemoryReplicaOptions } from './memory-replica';
export { framesOf, type Frame } from './batch-frames';
export { assignEpoch, compareLogs, endOffsetFor, lastEpoch, truncateHistory } from './epoch-history';
export { divergencePoint, reconcile, type Truth } from './reconcile';
export {
  recoverLeadership,
  type RecoverLeadershipOptions,
  type RecoveredLeadership,
  type RecoveredReplica,
  type RecoveryError,
} from './recovery';
export { ProducerStateTable, RETAINED_BATCHES, lastSequenceOf, type BatchPlacement, type ProducedBatch, type ProducerSummary, type SequenceDecision } from './producer-state';
export { validateProduceRecords, type ProduceRejection, type ProduceValidationOptions, type TimestampPolicy } from './produce-validation';
export { TailCache } from './tail-cache';
export { PartitionLeader } from './partition-leader';
export {
  realScheduler,
  type Acks,
  type FetchRequest,
  type FetchSuccess,
  type LeaderScheduler,
  type LeaderSnapshot,
  type LeaderStartError,
  type PartitionError,
  type PartitionLeaderOptions,
  type ProduceRequest,
  type ProduceSuccess,
  type StopReason,
} from './leader-types';
