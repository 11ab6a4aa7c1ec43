// DeleteGroups (key 42): empty groups go with their offsets (tombstones in the offsets partition).
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '@stratus/kafka-messages';
import { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

export const deleteGroupsApi: GroupApi<DeleteGroupsRequest, DeleteGroupsResponse> = {
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 3,
  async handle(ctx, req) {
    const results = await Promise.all(
      req.groupsNames.map(async (groupId) => {
        const key = keyOf(ctx, groupId);
        if (!key) return { groupId, errorCode: FOREIGN_GROUP, errorMessage: null };
        const c = ctx.runtime.coordinatorFor(key);
        if (!c.ok) return { groupId, errorCode: c.errorCode, errorMessage: null };
        const r = await c.value.run((core) => core.deleteGroups([key]));
        const errorCode = r.ok ? (r.value[0]?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR) : r.errorCode;
        return { groupId, errorCode, errorMessage: null };
      }),
    );
    return { throttleTimeMs: 0, results };
  },
};
