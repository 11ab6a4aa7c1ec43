// DeleteRecords (key 21): moves log start offsets, per leader broker (across both tiers there).
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { DeleteRecordsRequest, DeleteRecordsRequestDeleteRecordsPartition, DeleteRecordsResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { alignAnswers } from '../routing/align-answers';
import { brokerHeader, tenantOf, type RoutingDeps } from '../routing/routing-context';
import { partitionRef, routeNamedTopics } from './named-partitions';

export function deleteRecordsHandler(deps: RoutingDeps): ApiHandler {
  return {
    apiKey: 21,
    name: 'DeleteRecords',
    minVersion: 0,
    maxVersion: 2,
    async handle(ctx: RequestContext, raw: unknown) {
      const request = raw as DeleteRecordsRequest;
      const timeoutMs = Math.max(1, request.timeoutMs);
      const outcomes = await routeNamedTopics<DeleteRecordsRequestDeleteRecordsPartition, brokerV1.DeleteRecordsPartitionResponse>({
        deps,
        api: 'DeleteRecords',
        tenantId: tenantOf(ctx),
        topics: request.topics,
        partitionOf: (p) => p.partitionIndex,
        deadline: Date.now() + timeoutMs,
        send: async (nodeId, batch, remainingMs) => {
          const answer = await deps.brokers.deleteRecords(
            nodeId,
            brokerV1.DeleteRecordsRequest.fromPartial({
              header: brokerHeader(ctx, { timeoutMs: remainingMs }),
              partitions: batch.map((i) => ({ partition: partitionRef(i), offset: i.request.offset })),
            }),
            remainingMs,
          );
          return alignAnswers(batch, answer.partitions, undefined);
        },
        errorOf: (a) => a.error?.code ?? ErrorCode.NONE,
        failure: (i, code) => brokerV1.DeleteRecordsPartitionResponse.fromPartial({ partition: partitionRef(i), error: { code }, lowWatermark: -1n }),
      });
      const response: DeleteRecordsResponse = {
        throttleTimeMs: 0,
        topics: request.topics.map((topic, t) => ({
          name: topic.name,
          partitions: (outcomes[t] ?? []).map((o, k) => {
            const partitionIndex = (topic.partitions[k] as DeleteRecordsRequestDeleteRecordsPartition).partitionIndex;
            if (!o.routed) return { partitionIndex, lowWatermark: -1n, errorCode: o.errorCode };
            const code = o.answer.error?.code ?? ErrorCode.NONE;
            return { partitionIndex, lowWatermark: code === ErrorCode.NONE ? o.answer.lowWatermark : -1n, errorCode: code };
          }),
        })),
      };
      return { response };
    },
  };
}
