// The router's handlers for every group API: each forwards to the broker leading the group's
// offsets-topic partition through KafkaPassthrough, with group ids namespaced per tenant on the
// way in and stripped on the way out (docs/groups.md).
import type { ClusterView, TopicView } from '@stratus/router-cluster-view';
import type { ApiHandler } from '@stratus/router-kafka-server';
import type { GroupRoutingDeps } from './coordinator-call';
import { consumerGroupHeartbeat, heartbeat, joinGroup, leaveGroup, syncGroup } from './handlers/classic';
import { listGroupsHandler, type ListGroupsScope } from './handlers/list-groups';
import { multiGroupHandler } from './handlers/multi-group';
import { consumerGroupDescribe, deleteGroups, describeGroups, offsetFetchMulti } from './handlers/multi-group-apis';
import { offsetCommit, offsetDelete, offsetFetchSingle } from './handlers/offsets';
import { singleGroupHandler } from './handlers/single-group';
import type { PassthroughRpc } from './passthrough-rpc';

export interface GroupHandlersOptions {
  readonly view: ClusterView;
  /** BrokerConnections in the router (one channel per broker for every API); FakeBrokers in tests. */
  readonly brokers: PassthroughRpc;
  /** The offsets topic of the tenant's cell, e.g. `(t) => view.topicByName(SYSTEM_TENANT, OFFSETS_TOPIC_NAME)`. */
  readonly offsetsTopic: (tenantId: string) => TopicView | undefined;
  readonly requestTimeoutMs?: number;
  readonly longPollMarginMs?: number;
  readonly syncWaitMs?: number;
  /** Default 'coordinated-here' (see handlers/list-groups.ts). */
  readonly listGroupsScope?: ListGroupsScope;
}

export function groupHandlers(options: GroupHandlersOptions): ApiHandler[] {
  const deps: GroupRoutingDeps = {
    view: options.view,
    brokers: options.brokers,
    offsetsTopic: options.offsetsTopic,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    longPollMarginMs: options.longPollMarginMs ?? 5_000,
    syncWaitMs: options.syncWaitMs ?? 300_000,
  };
  const fetchSingle = singleGroupHandler(deps, offsetFetchSingle);
  const fetchMulti = multiGroupHandler(deps, offsetFetchMulti);
  const offsetFetch: ApiHandler = {
    apiKey: 9,
    name: 'OffsetFetch',
    minVersion: 1,
    maxVersion: 10,
    handle: (ctx, request) => (ctx.header.apiVersion >= 8 ? fetchMulti : fetchSingle).handle(ctx, request),
  };
  return [
    singleGroupHandler(deps, joinGroup),
    singleGroupHandler(deps, syncGroup),
    singleGroupHandler(deps, heartbeat),
    singleGroupHandler(deps, leaveGroup),
    singleGroupHandler(deps, consumerGroupHeartbeat),
    singleGroupHandler(deps, offsetCommit),
    singleGroupHandler(deps, offsetDelete),
    offsetFetch,
    multiGroupHandler(deps, describeGroups),
    multiGroupHandler(deps, consumerGroupDescribe),
    multiGroupHandler(deps, deleteGroups),
    listGroupsHandler(deps, options.listGroupsScope ?? 'coordinated-here'),
  ];
}
