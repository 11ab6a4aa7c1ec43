// OffsetCommit (key 8): generation/member checks and the write happen in the group's coordinator;
// the answer goes out once the offsets are in the offsets partition (acks=all).
import type { OffsetCommitRequest, OffsetCommitResponse } from '@stratus/kafka-messages';
import type { OffsetCommitTopic } from '@stratus/broker-groups';
import { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';
import { topicNamesById } from './topic-ids';

type WireTopic = OffsetCommitResponse['topics'][number];

export const offsetCommitApi: GroupApi<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 10,
  async handle(ctx, req) {
    const byId = ctx.apiVersion >= 10;
    const names = byId ? topicNamesById(ctx.runtime.topics(ctx.tenantId)) : undefined;
    const all = (errorCode: ErrorCode): OffsetCommitResponse => ({
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({ name: t.name ?? '', topicId: t.topicId, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
    });
    const key = keyOf(ctx, req.groupId);
    if (!key) return all(FOREIGN_GROUP);
    const c = ctx.runtime.coordinatorFor(key);
    if (!c.ok) return all(c.errorCode);

    // v10: topics the tenant does not have (by id) fail alone; the rest are committed by name.
    const unknown: WireTopic[] = [];
    const topics: (OffsetCommitTopic & { topicId?: string })[] = [];
    for (const t of req.topics) {
      const name = byId ? names?.get(t.topicId ?? '') : t.name;
      if (name === undefined) {
        unknown.push({ name: '', topicId: t.topicId, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_ID })) });
        continue;
      }
      topics.push({
        name,
        ...(t.topicId !== undefined ? { topicId: t.topicId } : {}),
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          committedOffset: p.committedOffset,
          committedLeaderEpoch: p.committedLeaderEpoch ?? -1,
          committedMetadata: p.committedMetadata,
        })),
      });
    }
    const r = await c.value.run((core) =>
      core.offsetCommit(key, {
        generationIdOrMemberEpoch: req.generationIdOrMemberEpoch,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId ?? null,
        retentionTimeMs: Number(req.retentionTimeMs ?? -1n),
        topics,
        apiVersion: ctx.apiVersion,
      }),
    );
    if (!r.ok) return all(r.errorCode);
    const ids = new Map(topics.map((t) => [t.name, t.topicId]));
    return {
      throttleTimeMs: 0,
      topics: [
        ...r.value.topics.map((t) => ({ name: t.name, topicId: ids.get(t.name), partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: p.errorCode })) })),
        ...unknown,
      ],
    };
  },
};
