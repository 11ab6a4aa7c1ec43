// JoinGroup (key 11): the classic protocol's join phase; the answer may wait for the rebalance
// (parked in the partition coordinator, never blocking other requests).
import type { JoinGroupRequest, JoinGroupResponse } from '@stratus/kafka-messages';
import type { JoinGroupResponse as CoreJoinResponse } from '@stratus/broker-groups';
import type { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

function errorResponse(errorCode: ErrorCode, memberId: string, version: number): JoinGroupResponse {
  return { throttleTimeMs: 0, errorCode, generationId: -1, protocolType: null, protocolName: version >= 7 ? null : '', leader: '', skipAssignment: false, memberId, members: [] };
}

function toWire(r: CoreJoinResponse, version: number): JoinGroupResponse {
  return {
    throttleTimeMs: 0,
    errorCode: r.errorCode,
    generationId: r.generationId,
    protocolType: r.protocolType,
    // Before v7 the protocol name is not nullable on the wire.
    protocolName: version >= 7 ? r.protocolName : (r.protocolName ?? ''),
    leader: r.leader,
    skipAssignment: r.skipAssignment,
    memberId: r.memberId,
    members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: Buffer.from(m.metadata) })),
  };
}

export const joinGroupApi: GroupApi<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  async handle(ctx, req) {
    const key = keyOf(ctx, req.groupId);
    if (!key) return errorResponse(FOREIGN_GROUP, req.memberId, ctx.apiVersion);
    const c = ctx.runtime.coordinatorFor(key);
    if (!c.ok) return errorResponse(c.errorCode, req.memberId, ctx.apiVersion);
    const r = await c.value.joinGroup((core, token) =>
      core.joinGroup(
        key,
        {
          memberId: req.memberId,
          groupInstanceId: req.groupInstanceId ?? null,
          protocolType: req.protocolType,
          protocols: req.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
          sessionTimeoutMs: req.sessionTimeoutMs,
          rebalanceTimeoutMs: req.rebalanceTimeoutMs ?? -1,
          clientId: ctx.clientId,
          clientHost: ctx.clientHost,
          apiVersion: ctx.apiVersion,
          reason: req.reason ?? null,
        },
        token,
      ),
    );
    return r.ok ? toWire(r.value, ctx.apiVersion) : errorResponse(r.errorCode, req.memberId, ctx.apiVersion);
  },
};
