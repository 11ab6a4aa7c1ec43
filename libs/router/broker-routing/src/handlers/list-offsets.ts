// ListOffsets (key 2): offsets by timestamp / earliest / latest / max timestamp, per leader broker.
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { ListOffsetsRequest, ListOffsetsRequestListOffsetsPartition, ListOffsetsResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { alignAnswers } from '../routing/align-answers';
import { brokerHeader, tenantOf, type RoutingDeps } from '../routing/routing-context';
import { partitionRef, routeNamedTopics } from './named-partitions';

export function listOffsetsHandler(deps: RoutingDeps, options: { defaultTimeoutMs: number }): ApiHandler {
  return {
    apiKey: 2,
    name: 'ListOffsets',
    minVersion: 1,
    maxVersion: 11,
    async handle(ctx: RequestContext, raw: unknown) {
      const request = raw as ListOffsetsRequest;
      // timeout_ms exists from v10 (KIP-1001 era); older clients get the router's default budget.
      const timeoutMs = request.timeoutMs !== undefined && request.timeoutMs > 0 ? request.timeoutMs : options.defaultTimeoutMs;
      const outcomes = await routeNamedTopics<ListOffsetsRequestListOffsetsPartition, brokerV1.ListOffsetsPartitionResponse>({
        deps,
        api: 'ListOffsets',
        tenantId: tenantOf(ctx),
        topics: request.topics,
        partitionOf: (p) => p.partitionIndex,
        deadline: Date.now() + timeoutMs,
        send: async (nodeId, batch, remainingMs) => {
          const answer = await deps.brokers.listOffsets(
            nodeId,
            brokerV1.ListOffsetsRequest.fromPartial({
              header: brokerHeader(ctx, { timeoutMs: remainingMs }),
              isolationLevel: request.isolationLevel === 1 ? brokerV1.IsolationLevel.READ_COMMITTED : brokerV1.IsolationLevel.READ_UNCOMMITTED,
              partitions: batch.map((i) => ({ partition: partitionRef(i), currentLeaderEpoch: i.request.currentLeaderEpoch ?? -1, timestamp: i.request.timestamp })),
            }),
            remainingMs,
          );
          return alignAnswers(batch, answer.partitions, undefined);
        },
        errorOf: (a) => a.error?.code ?? ErrorCode.NONE,
        failure: (i, code) => brokerV1.ListOffsetsPartitionResponse.fromPartial({ partition: partitionRef(i), error: { code }, timestamp: -1n, offset: -1n, leaderEpoch: -1 }),
      });
      const response: ListOffsetsResponse = {
        throttleTimeMs: 0,
        topics: request.topics.map((topic, t) => ({
          name: topic.name,
          partitions: (outcomes[t] ?? []).map((o, k) => {
            const partitionIndex = (topic.partitions[k] as ListOffsetsRequestListOffsetsPartition).partitionIndex;
            if (!o.routed) return { partitionIndex, errorCode: o.errorCode, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
            const code = o.answer.error?.code ?? ErrorCode.NONE;
            return code === ErrorCode.NONE
              ? { partitionIndex, errorCode: code, timestamp: o.answer.timestamp, offset: o.answer.offset, leaderEpoch: o.answer.leaderEpoch }
              : { partitionIndex, errorCode: code, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
          }),
        })),
      };
      return { response };
    },
  };
}
