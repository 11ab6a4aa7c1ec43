// OffsetForLeaderEpoch (key 23): the end offset of a leader epoch, for truncation detection after
// a leader change (KIP-101, KIP-320), asked of each partition's leader broker.
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochRequestOffsetForLeaderPartition, OffsetForLeaderEpochResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { alignAnswers } from '../routing/align-answers';
import { brokerHeader, tenantOf, type RoutingDeps } from '../routing/routing-context';
import { partitionRef, routeNamedTopics } from './named-partitions';

export function offsetForLeaderEpochHandler(deps: RoutingDeps, options: { defaultTimeoutMs: number }): ApiHandler {
  return {
    apiKey: 23,
    name: 'OffsetForLeaderEpoch',
    minVersion: 2,
    maxVersion: 4,
    async handle(ctx: RequestContext, raw: unknown) {
      const request = raw as OffsetForLeaderEpochRequest;
      const outcomes = await routeNamedTopics<OffsetForLeaderEpochRequestOffsetForLeaderPartition, brokerV1.OffsetForLeaderEpochPartitionResponse>({
        deps,
        api: 'OffsetForLeaderEpoch',
        tenantId: tenantOf(ctx),
        topics: request.topics.map((t) => ({ name: t.topic, partitions: t.partitions })),
        partitionOf: (p) => p.partition,
        // The request has no timeout of its own: the router's default budget applies.
        deadline: Date.now() + options.defaultTimeoutMs,
        send: async (nodeId, batch, remainingMs) => {
          const answer = await deps.brokers.offsetForLeaderEpoch(
            nodeId,
            brokerV1.OffsetForLeaderEpochRequest.fromPartial({
              header: brokerHeader(ctx, { timeoutMs: remainingMs }),
              partitions: batch.map((i) => ({ partition: partitionRef(i), currentLeaderEpoch: i.request.currentLeaderEpoch, leaderEpoch: i.request.leaderEpoch })),
            }),
            remainingMs,
          );
          return alignAnswers(batch, answer.partitions, undefined);
        },
        errorOf: (a) => a.error?.code ?? ErrorCode.NONE,
        failure: (i, code) => brokerV1.OffsetForLeaderEpochPartitionResponse.fromPartial({ partition: partitionRef(i), error: { code }, leaderEpoch: -1, endOffset: -1n }),
      });
      const response: OffsetForLeaderEpochResponse = {
        throttleTimeMs: 0,
        topics: request.topics.map((topic, t) => ({
          topic: topic.topic,
          partitions: (outcomes[t] ?? []).map((o, k) => {
            const partition = (topic.partitions[k] as OffsetForLeaderEpochRequestOffsetForLeaderPartition).partition;
            if (!o.routed) return { errorCode: o.errorCode, partition, leaderEpoch: -1, endOffset: -1n };
            const code = o.answer.error?.code ?? ErrorCode.NONE;
            return code === ErrorCode.NONE
              ? { errorCode: code, partition, leaderEpoch: o.answer.leaderEpoch, endOffset: o.answer.endOffset }
              : { errorCode: code, partition, leaderEpoch: -1, endOffset: -1n };
          }),
        })),
      };
      return { response };
    },
  };
}
