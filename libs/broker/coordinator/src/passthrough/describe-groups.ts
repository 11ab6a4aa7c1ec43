// DescribeGroups (key 15): classic groups, each from its own coordinator.
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '@stratus/kafka-messages';
import { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

const OPERATIONS_NOT_REQUESTED = -2147483648;

type Described = DescribeGroupsResponse['groups'][number];

const failed = (groupId: string, errorCode: ErrorCode): Described => ({
  errorCode,
  errorMessage: null,
  groupId,
  groupState: '',
  protocolType: '',
  protocolData: '',
  members: [],
  authorizedOperations: OPERATIONS_NOT_REQUESTED,
});

export const describeGroupsApi: GroupApi<DescribeGroupsRequest, DescribeGroupsResponse> = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 6,
  async handle(ctx, req) {
    const groups = await Promise.all(
      req.groups.map(async (groupId): Promise<Described> => {
        const key = keyOf(ctx, groupId);
        if (!key) return failed(groupId, FOREIGN_GROUP);
        const c = ctx.runtime.coordinatorFor(key);
        if (!c.ok) return failed(groupId, c.errorCode);
        const r = await c.value.read((core) => core.describeGroups([key])[0]);
        if (!r.ok) return failed(groupId, r.errorCode);
        const g = r.value;
        if (!g) return failed(groupId, ErrorCode.UNKNOWN_SERVER_ERROR);
        // Before v6 (KIP-1043) an unknown group is NONE with state Dead, not GROUP_ID_NOT_FOUND.
        const errorCode = g.errorCode === ErrorCode.GROUP_ID_NOT_FOUND && ctx.apiVersion < 6 ? ErrorCode.NONE : g.errorCode;
        return {
          errorCode,
          errorMessage: null,
          groupId,
          groupState: g.groupState,
          protocolType: g.protocolType,
          protocolData: g.protocolData,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            memberMetadata: Buffer.from(m.memberMetadata),
            memberAssignment: Buffer.from(m.memberAssignment),
          })),
          authorizedOperations: OPERATIONS_NOT_REQUESTED,
        };
      }),
    );
    return { throttleTimeMs: 0, groups };
  },
};
