// SyncGroup (key 14): followers wait (parked) for the leader's assignment.
import type { SyncGroupRequest, SyncGroupResponse } from '@stratus/kafka-messages';
import type { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

const errorResponse = (errorCode: ErrorCode): SyncGroupResponse => ({ throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });

export const syncGroupApi: GroupApi<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  async handle(ctx, req) {
    const key = keyOf(ctx, req.groupId);
    if (!key) return errorResponse(FOREIGN_GROUP);
    const c = ctx.runtime.coordinatorFor(key);
    if (!c.ok) return errorResponse(c.errorCode);
    const r = await c.value.syncGroup((core, token) =>
      core.syncGroup(
        key,
        {
          memberId: req.memberId,
          generationId: req.generationId,
          groupInstanceId: req.groupInstanceId ?? null,
          protocolType: req.protocolType ?? null,
          protocolName: req.protocolName ?? null,
          assignments: req.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
        },
        token,
      ),
    );
    if (!r.ok) return errorResponse(r.errorCode);
    const s = r.value;
    return { throttleTimeMs: 0, errorCode: s.errorCode, protocolType: s.protocolType, protocolName: s.protocolName, assignment: Buffer.from(s.assignment) };
  },
};
