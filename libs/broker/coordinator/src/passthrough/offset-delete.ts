// OffsetDelete (key 47, KIP-496): offsets of topics the group no longer consumes.
import type { OffsetDeleteRequest, OffsetDeleteResponse } from '@stratus/kafka-messages';
import type { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

export const offsetDeleteApi: GroupApi<OffsetDeleteRequest, OffsetDeleteResponse> = {
  apiKey: 47,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  async handle(ctx, req) {
    const fail = (errorCode: ErrorCode): OffsetDeleteResponse => ({ errorCode, throttleTimeMs: 0, topics: [] });
    const key = keyOf(ctx, req.groupId);
    if (!key) return fail(FOREIGN_GROUP);
    const c = ctx.runtime.coordinatorFor(key);
    if (!c.ok) return fail(c.errorCode);
    const topics = req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) }));
    const r = await c.value.run((core) => core.offsetDelete(key, topics));
    if (!r.ok) return fail(r.errorCode);
    return {
      errorCode: r.value.errorCode,
      throttleTimeMs: 0,
      topics: r.value.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: p.errorCode })) })),
    };
  },
};
