// @stratus/replication-partition-log: the replication node's durable, fenced partition log.
export { PartitionReplica, PROMISED_EPOCH_FILE, EPOCH_HISTORY_FILE } from './partition-replica';
export type { PartitionReplicaOptions, LogState, ReadResult, ReadOptions, AppendOptions, CorruptionReport } from './partition-replica';
export type { RecoveryReport } from './segmented-log';
export { EpochHistory } from './epoch-history';
export { checkEpoch, isNoSpace } from './errors';
export type { ReplicaError, ReplicaErrorCode, Result, FenceState } from './errors';
export { NodeFileIo } from './file-io';
export type { FileIo, FileHandleIo, OpenMode } from './file-io';
export { FaultInjectingFileIo } from './fault-injecting-file-io';
export { ForwardingFileIo } from './forwarding-file-io';
export type { WriteFault } from './fault-injecting-file-io';
export {
  DEFAULT_PARTITION_LOG_CONFIG,
  MAX_SEGMENT_BYTES,
  leaderEpoch,
  partitionKey,
  parsePartitionKey,
  systemClock,
  silentLog,
  validateConfig,
} from './types';
export type { Clock, EpochEntry, FlushPolicy, LeaderEpoch, LogSink, PartitionKey, PartitionLogConfig } from './types';
export { ReplicaStore } from './replica-store';
export type { ReplicaStoreOptions } from './replica-store';
export { StorageHealthManager } from './storage-health';
export type { StorageHealthOptions, StorageHealthSnapshot, OperationStats } from './storage-health';
export { MonitoredFileIo } from './monitored-file-io';
export { catchUpFrom } from './catch-up';
export type { BatchSource, CatchUpOptions, CatchUpResult } from './catch-up';
