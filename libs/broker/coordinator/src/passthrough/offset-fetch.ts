// OffsetFetch (key 9): v1-7 one group, v8+ many groups (KIP-709), v9 member checks (KIP-848),
// v10 topic ids. Each group is answered by its own coordinator; a group whose coordinator is not
// here gets NOT_COORDINATOR alone (the router splits batches by coordinator beforehand).
import type { OffsetFetchRequest, OffsetFetchResponse } from '@stratus/kafka-messages';
import type { OffsetFetchGroupResult } from '@stratus/broker-groups';
import { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi, type GroupApiContext } from './api';
import { topicIdsByName, topicNamesById } from './topic-ids';

interface GroupQuery {
  readonly groupId: string;
  readonly topics: readonly { name: string; partitionIndexes: readonly number[] }[] | null;
  readonly member?: { memberId: string; memberEpoch: number };
}

async function fetchGroup(ctx: GroupApiContext, q: GroupQuery, requireStable: boolean): Promise<OffsetFetchGroupResult> {
  const key = keyOf(ctx, q.groupId);
  if (!key) return { errorCode: FOREIGN_GROUP, topics: [] };
  const c = ctx.runtime.coordinatorFor(key);
  if (!c.ok) return { errorCode: c.errorCode, topics: [] };
  const r = await c.value.read((core) => core.offsetFetch([{ key, topics: q.topics, ...(q.member ? { member: q.member } : {}) }], { requireStable }));
  if (!r.ok) return { errorCode: r.errorCode, topics: [] };
  return r.value[0] ?? { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, topics: [] };
}

export const offsetFetchApi: GroupApi<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 10,
  async handle(ctx, req) {
    const requireStable = req.requireStable ?? false;
    if (ctx.apiVersion < 8) {
      const r = await fetchGroup(ctx, { groupId: req.groupId ?? '', topics: req.topics ?? null }, requireStable);
      // v1 has no top-level error: a group-level error is repeated on every requested partition.
      const topics =
        r.errorCode !== ErrorCode.NONE && ctx.apiVersion < 2
          ? (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: r.errorCode })) }))
          : r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ ...p })) }));
      return { throttleTimeMs: 0, topics, errorCode: r.errorCode, groups: [] };
    }
    const byId = ctx.apiVersion >= 10;
    const catalog = byId ? ctx.runtime.topics(ctx.tenantId) : undefined;
    const names = catalog ? topicNamesById(catalog) : undefined;
    const ids = catalog ? topicIdsByName(catalog) : undefined;
    const groups = await Promise.all(
      (req.groups ?? []).map(async (g) => {
        const topics = g.topics === null ? null : g.topics.map((t) => ({ name: (byId ? names?.get(t.topicId ?? '') : t.name) ?? '', topicId: t.topicId, partitionIndexes: t.partitionIndexes }));
        const member = ctx.apiVersion >= 9 && g.memberId !== null && g.memberId !== undefined ? { memberId: g.memberId, memberEpoch: g.memberEpoch ?? -1 } : undefined;
        const r = await fetchGroup(ctx, { groupId: g.groupId, topics: topics?.filter((t) => t.name !== '') ?? null, ...(member ? { member } : {}) }, requireStable);
        const unknownIds = (topics ?? []).filter((t) => t.name === '');
        return {
          groupId: g.groupId,
          errorCode: r.errorCode,
          topics: [
            ...r.topics.map((t) => ({ name: t.name, topicId: ids?.get(t.name), partitions: t.partitions.map((p) => ({ ...p })) })),
            ...(r.errorCode === ErrorCode.NONE
              ? unknownIds.map((t) => ({ name: '', topicId: t.topicId, partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNKNOWN_TOPIC_ID })) }))
              : []),
          ],
        };
      }),
    );
    return { throttleTimeMs: 0, topics: [], errorCode: ErrorCode.NONE, groups };
  },
};
