// ConsumerGroupHeartbeat (key 68, KIP-848): join, heartbeat and leave in one API; the server
// assigns partitions from the tenant's topic catalog.
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '@stratus/kafka-messages';
import { topicId } from '@stratus/broker-groups';
import type { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

const errorResponse = (errorCode: ErrorCode, memberId: string | null): ConsumerGroupHeartbeatResponse => ({
  throttleTimeMs: 0,
  errorCode,
  errorMessage: null,
  memberId,
  memberEpoch: -1,
  heartbeatIntervalMs: 0,
  assignment: null,
});

export const consumerGroupHeartbeatApi: GroupApi<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse> = {
  apiKey: 68,
  name: 'ConsumerGroupHeartbeat',
  minVersion: 0,
  maxVersion: 1,
  async handle(ctx, req) {
    const key = keyOf(ctx, req.groupId);
    if (!key) return errorResponse(FOREIGN_GROUP, req.memberId);
    const c = ctx.runtime.coordinatorFor(key);
    if (!c.ok) return errorResponse(c.errorCode, req.memberId);
    const catalog = ctx.runtime.topics(ctx.tenantId);
    const r = await c.value.run((core) =>
      core.consumerGroupHeartbeat(
        key,
        {
          memberId: req.memberId,
          memberEpoch: req.memberEpoch,
          instanceId: req.instanceId,
          rackId: req.rackId,
          rebalanceTimeoutMs: req.rebalanceTimeoutMs,
          subscribedTopicNames: req.subscribedTopicNames,
          subscribedTopicRegex: req.subscribedTopicRegex ?? null,
          serverAssignor: req.serverAssignor,
          topicPartitions: req.topicPartitions === null ? null : req.topicPartitions.map((t) => ({ topicId: topicId(t.topicId), partitions: t.partitions })),
          clientId: ctx.clientId,
          clientHost: ctx.clientHost,
          apiVersion: ctx.apiVersion,
        },
        catalog,
      ),
    );
    if (!r.ok) return errorResponse(r.errorCode, req.memberId);
    const h = r.value;
    return {
      throttleTimeMs: 0,
      errorCode: h.errorCode,
      errorMessage: h.errorMessage,
      memberId: h.memberId,
      memberEpoch: h.memberEpoch,
      heartbeatIntervalMs: h.heartbeatIntervalMs,
      assignment: h.assignment === null ? null : { topicPartitions: h.assignment.topicPartitions.map((t) => ({ topicId: t.topicId, partitions: [...t.partitions] })) },
    };
  },
};
