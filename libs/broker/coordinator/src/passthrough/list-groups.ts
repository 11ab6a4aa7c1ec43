// ListGroups (key 16): the tenant's groups of every offsets partition led here (the router fans
// out to all brokers). Only keys of the caller's tenant are listed, by construction.
import type { ListGroupsRequest, ListGroupsResponse } from '@stratus/kafka-messages';
import { inTenant } from '@stratus/broker-groups';
import { ErrorCode } from '@stratus/kafka-errors';
import type { GroupApi } from './api';

export const listGroupsApi: GroupApi<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 5,
  async handle(ctx, req) {
    const { coordinators, loading } = ctx.runtime.serving();
    const opts = { statesFilter: req.statesFilter ?? [], typesFilter: req.typesFilter ?? [], keyFilter: inTenant(ctx.tenantId) };
    const lists = await Promise.all(coordinators.map((c) => c.read((core) => core.listGroups(opts))));
    const groups: ListGroupsResponse['groups'] = [];
    let errorCode: ErrorCode = loading ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE;
    for (const l of lists) {
      if (!l.ok) {
        errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
        continue;
      }
      for (const g of l.value) groups.push({ groupId: g.groupKey, protocolType: g.protocolType, groupState: g.groupState, groupType: g.groupType });
    }
    groups.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    return { throttleTimeMs: 0, errorCode, groups };
  },
};
