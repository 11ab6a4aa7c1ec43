// ListGroups (key 16). Kafka clients (AdminClient.listConsumerGroups) ask every broker in the
// Metadata answer and concatenate the answers, each broker listing the groups it coordinates.
// Here a client's "brokers" are routers, and the coordinator a client is given for a group is the
// router FindCoordinator names (coordinatorRouter over the routers of this router's AZ). So this
// router asks every broker (offsets partitions are spread over all of them), keeps the tenant's
// groups only (ids stripped of the tenant prefix; anything else never leaves), and — by default —
// only the groups FindCoordinator would send to this router, so the union over the routers lists
// each group exactly once.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ListGroupsRequest, ListGroupsResponse } from '@stratus/kafka-messages';
import { coordinatorRouter, routersInZone } from '@stratus/router-cluster-view';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { callBroker, type GroupRoutingDeps } from '../coordinator-call';
import { NOT_AUTHENTICATED, tenantOf, toClient } from '../tenant';

export type ListGroupsScope = 'coordinated-here' | 'all';

export function listGroupsHandler(deps: GroupRoutingDeps, scope: ListGroupsScope): ApiHandler {
  return {
    apiKey: 16,
    name: 'ListGroups',
    minVersion: 0,
    maxVersion: 5,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenantId = tenantOf(ctx);
      if (tenantId === undefined) return NOT_AUTHENTICATED;
      const request = raw as ListGroupsRequest;
      const answers = await Promise.all(deps.view.brokers().map((b) => callBroker<ListGroupsResponse>(deps, ctx, tenantId, b.nodeId, request, deps.requestTimeoutMs)));
      const self = deps.view.self();
      const candidates = routersInZone(deps.view.routers(), self.availabilityZone);
      const mine = (groupId: string): boolean => {
        if (scope === 'all' || !candidates.some((r) => r.nodeId === self.nodeId)) return true;
        return coordinatorRouter(candidates, tenantId, groupId)?.nodeId === self.nodeId;
      };
      const groups = new Map<string, ListGroupsResponse['groups'][number]>();
      let errorCode: ErrorCode = ErrorCode.NONE;
      for (const a of answers) {
        if (!a.ok) {
          errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
          continue;
        }
        if (a.response.errorCode !== ErrorCode.NONE && errorCode === ErrorCode.NONE) errorCode = a.response.errorCode as ErrorCode;
        for (const g of a.response.groups) {
          const groupId = toClient(tenantId, g.groupId);
          if (groupId === undefined || !mine(groupId)) continue;
          groups.set(groupId, { ...g, groupId });
        }
      }
      const response: ListGroupsResponse = { throttleTimeMs: 0, errorCode, groups: [...groups.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0)) };
      return { response };
    },
  };
}
