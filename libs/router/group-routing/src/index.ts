// @stratus/router-group-routing: the router side of consumer groups (issue 7) — forwards the
// group APIs to the coordinator broker via KafkaPassthrough, namespacing group ids per tenant.
// See docs/groups.md.
export { groupHandlers, type GroupHandlersOptions } from './group-handlers';
export type { PassthroughRpc } from './passthrough-rpc';
export { offsetsTopicResolver, type TenantsView } from './offsets-topic-resolver';
export { coordinatorNode, type GroupRoutingDeps } from './coordinator-call';
export type { ListGroupsScope } from './handlers/list-groups';
