// @stratus/router-cluster-view: the router's watched view of topics, partition leaders, brokers
// and routers (issue 8 items 4-5).
export type { BrokerEndpoint, ClusterView, PartitionView, RouterEndpoint, TopicView } from './cluster-view';
// Test double for handler unit tests: set topics, partitions, brokers and routers directly.
export { InMemoryClusterView, type InMemoryTopicSpec } from './in-memory-cluster-view';
export { MetadataClusterView, type MetadataClusterViewOptions, type SelfListener } from './metadata-cluster-view';
export type { ClusterViewSources, SourceChange, ViewSource } from './metadata-sources';
export { coordinatorRouter, partitionLeader, partitionReplicas, routersInZone, tenantClusterId } from './placement';
export { watchClusterView, type WatchClusterViewOptions } from './watch-cluster-view';
