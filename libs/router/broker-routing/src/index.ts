// @stratus/router-broker-routing: the router's data path (issue 8 item 5) — gRPC channels and
// multiplexed Produce/Fetch streams to brokers, and the Kafka handlers that split requests by
// partition leader, retry across leadership moves and merge the answers.
export { BrokerConnections, type BrokerConnectionsOptions, type BrokerRpc } from './connections/broker-connections';
export { BrokerUnavailableError, isBrokerUnavailable, type BrokerFailureKind } from './connections/broker-errors';
export { dataPathHandlers, type DataPathHandlersOptions } from './handlers/data-path-handlers';
export type { TransactionCoordinatorLookup } from './handlers/init-producer-id';
export { FetchSessionCache, type FetchSessionCacheOptions } from './fetch/fetch-session-cache';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './routing/routing-context';
export { advertisedLeader } from './routing/leader-hints';
