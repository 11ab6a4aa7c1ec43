// @stratus/broker-replica-client: the broker's gRPC side of stratus.replication.v1. A
// ReplicaPort (broker-partition) per (replication node, partition) over one shared connection
// and one multiplexed Append stream per node, with deadlines on every call and transport faults
// reported as UNAVAILABLE values (docs/broker.md, "Replica client").
export { ReplicationClientPool, type ReplicationClientPoolOptions, type ReplicationNodeResolver } from './client-pool';
export { GrpcReplicaPort, type GrpcReplicaPortOptions } from './grpc-replica-port';
export {
  ReplicationNodeClient,
  DEFAULT_REPLICA_APPEND_TIMEOUT_MS,
  DEFAULT_REPLICA_CALL_TIMEOUT_MS,
  DEFAULT_REPLICA_REPAIR_TIMEOUT_MS,
  type ReplicaCallTimeouts,
  type ReplicationNodeClientOptions,
  type UnaryCallOptions,
} from './node-client';
export { AppendMultiplexer, type AppendMultiplexerOptions, type AppendMultiplexerStats, type AppendOutcome, type AppendStreamHandle, type OutgoingAppend } from './append-multiplexer';
export { fromStateResponse, fromTransportError, fromWireError, fromWireState, type ErrorContext, type ReplicaOperation } from './error-mapping';
export { describePartition, replicaPartition, toPartitionRef, type ReplicaPartition } from './partition';
export { TieredStorageClient, type TieredStorageClientOptions, type TieredFetchOutcome, type TieredTimestampOutcome, type TieredTrimOutcome } from './tiered-client';
