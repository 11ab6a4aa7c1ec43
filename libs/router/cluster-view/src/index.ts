// @stratus/router-cluster-view: the router's watched view of topics, partition leaders, brokers
// and routers (issue 8 items 4-5).
export type { BrokerEndpoint, ClusterView, PartitionView, RouterEndpoint, TopicView } from './cluster-view';
