// @stratus/replication-server: the ReplicationService (proto/stratus/replication/v1) over a
// ReplicaStore, for the replication app to register on its gRPC server.
export { createReplicationService } from './replication-service';
export type { ReplicationServiceOptions } from './replication-service';
