// Heartbeat (key 12): keeps a classic member's session; REBALANCE_IN_PROGRESS tells it to rejoin.
import type { HeartbeatRequest, HeartbeatResponse } from '@stratus/kafka-messages';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

export const heartbeatApi: GroupApi<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  async handle(ctx, req) {
    const key = keyOf(ctx, req.groupId);
    if (!key) return { throttleTimeMs: 0, errorCode: FOREIGN_GROUP };
    const c = ctx.runtime.coordinatorFor(key);
    if (!c.ok) return { throttleTimeMs: 0, errorCode: c.errorCode };
    const r = await c.value.run((core) => core.heartbeat(key, { memberId: req.memberId, generationId: req.generationId, groupInstanceId: req.groupInstanceId ?? null }));
    return { throttleTimeMs: 0, errorCode: r.ok ? r.value.errorCode : r.errorCode };
  },
};
