// Broker APIs (listeners include "broker" in the pinned specs) that Stratus deliberately does not
// advertise in ApiVersions, each with the reason. Everything else with a broker listener is served.
// The generator copies this list into the generated API table and into docs/compatibility.md.

export interface UnservedApi {
  readonly name: string;
  readonly reason: string;
}

export const UNSERVED_APIS: readonly UnservedApi[] = [
  { name: 'WriteTxnMarkers', reason: 'Inter-broker: transaction coordinators write commit/abort markers to partition leaders over Stratus gRPC, not through the Kafka listener.' },
  { name: 'AlterReplicaLogDirs', reason: 'Replicas live on Stratus replication nodes, not in broker log directories a client could move.' },
  { name: 'AlterPartitionReassignments', reason: 'Replica placement across AZs is owned by the Stratus controller (moving a partition is a leadership move, not a data copy).' },
  { name: 'CreateDelegationToken', reason: 'Tenants authenticate with API keys (SASL PLAIN / SCRAM); delegation tokens (KIP-48) are not offered.' },
  { name: 'RenewDelegationToken', reason: 'Delegation tokens (KIP-48) are not offered.' },
  { name: 'ExpireDelegationToken', reason: 'Delegation tokens (KIP-48) are not offered.' },
  { name: 'DescribeDelegationToken', reason: 'Delegation tokens (KIP-48) are not offered.' },
  { name: 'UpdateFeatures', reason: 'Feature levels of the physical cluster are operator-controlled and shared by all tenants.' },
  { name: 'DescribeQuorum', reason: 'Stratus metadata lives in etcd; there is no KRaft quorum to describe.' },
  { name: 'AddRaftVoter', reason: 'No KRaft quorum (metadata is in etcd).' },
  { name: 'RemoveRaftVoter', reason: 'No KRaft quorum (metadata is in etcd).' },
  { name: 'UnregisterBroker', reason: 'Broker membership is managed by Stratus leases in etcd, not by clients.' },
  { name: 'UnregisterController', reason: 'No KRaft controllers (metadata is in etcd).' },
  { name: 'InitializeShareGroupState', reason: 'Inter-broker share-group state persister RPC (KIP-932), never sent by clients.' },
  { name: 'ReadShareGroupState', reason: 'Inter-broker share-group state persister RPC (KIP-932).' },
  { name: 'WriteShareGroupState', reason: 'Inter-broker share-group state persister RPC (KIP-932).' },
  { name: 'DeleteShareGroupState', reason: 'Inter-broker share-group state persister RPC (KIP-932).' },
  { name: 'ReadShareGroupStateSummary', reason: 'Inter-broker share-group state persister RPC (KIP-932).' },
  { name: 'ShareGroupHeartbeat', reason: 'Share groups (KIP-932) need a share-group coordinator Stratus does not have yet; not advertising them keeps clients on consumer groups.' },
  { name: 'ShareGroupDescribe', reason: 'Share groups (KIP-932) are not served yet.' },
  { name: 'ShareFetch', reason: 'Share groups (KIP-932) are not served yet.' },
  { name: 'ShareAcknowledge', reason: 'Share groups (KIP-932) are not served yet.' },
  { name: 'DescribeShareGroupOffsets', reason: 'Share groups (KIP-932) are not served yet.' },
  { name: 'AlterShareGroupOffsets', reason: 'Share groups (KIP-932) are not served yet.' },
  { name: 'DeleteShareGroupOffsets', reason: 'Share groups (KIP-932) are not served yet.' },
  { name: 'StreamsGroupHeartbeat', reason: 'The Streams rebalance protocol (KIP-1071) is not served yet; Kafka Streams falls back to the classic protocol when it is not advertised.' },
  { name: 'StreamsGroupDescribe', reason: 'The Streams rebalance protocol (KIP-1071) is not served yet.' },
  { name: 'StreamsGroupTopologyDescriptionUpdate', reason: 'The Streams rebalance protocol (KIP-1071) is not served yet.' },
];
