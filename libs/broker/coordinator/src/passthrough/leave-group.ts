// LeaveGroup (key 13): v0-2 name one member; v3+ a batch, static members by instance id (KIP-345).
import type { LeaveGroupRequest, LeaveGroupResponse } from '@stratus/kafka-messages';
import type { LeaveMember } from '@stratus/broker-groups';
import type { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

export const leaveGroupApi: GroupApi<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  async handle(ctx, req) {
    const members: LeaveMember[] =
      ctx.apiVersion >= 3
        ? (req.members ?? []).map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: m.reason ?? null }))
        : [{ memberId: req.memberId ?? '', groupInstanceId: null }];
    const fail = (errorCode: ErrorCode): LeaveGroupResponse => ({ throttleTimeMs: 0, errorCode, members: [] });
    const key = keyOf(ctx, req.groupId);
    if (!key) return fail(FOREIGN_GROUP);
    const c = ctx.runtime.coordinatorFor(key);
    if (!c.ok) return fail(c.errorCode);
    const r = await c.value.run((core) => core.leaveGroup(key, members));
    if (!r.ok) return fail(r.errorCode);
    if (ctx.apiVersion < 3) {
      // One member and no per-member results before v3: its error is the top-level error.
      const only = r.value.members[0];
      return { throttleTimeMs: 0, errorCode: r.value.errorCode !== 0 ? r.value.errorCode : (only?.errorCode ?? 0), members: [] };
    }
    return { throttleTimeMs: 0, errorCode: r.value.errorCode, members: r.value.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: m.errorCode })) };
  },
};
