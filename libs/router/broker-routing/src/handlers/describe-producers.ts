// DescribeProducers (key 61, KIP-664): the active idempotent producers of each partition, asked of
// the partition's leader broker (its producer state is where Kafka reads them too). Topic names
// are resolved in the tenant's namespace and answered with the names the client sent.
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { DescribeProducersRequest, DescribeProducersResponse, DescribeProducersResponsePartitionResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { alignAnswers } from '../routing/align-answers';
import { brokerHeader, tenantOf, type RoutingDeps } from '../routing/routing-context';
import { partitionRef, routeNamedTopics, type NamedOutcome } from './named-partitions';

/** One requested partition index, wrapped so the shared named-topic routing can carry it. */
interface PartitionIndex {
  readonly partitionIndex: number;
}

export function describeProducersHandler(deps: RoutingDeps, options: { defaultTimeoutMs: number }): ApiHandler {
  return {
    apiKey: 61,
    name: 'DescribeProducers',
    minVersion: 0,
    maxVersion: 0,
    async handle(ctx: RequestContext, raw: unknown) {
      const request = raw as DescribeProducersRequest;
      // The request carries no timeout; the router's default budget bounds retries after leader moves.
      const outcomes = await routeNamedTopics<PartitionIndex, brokerV1.DescribeProducersPartitionResponse>({
        deps,
        api: 'DescribeProducers',
        tenantId: tenantOf(ctx),
        topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex })) })),
        partitionOf: (p) => p.partitionIndex,
        deadline: Date.now() + options.defaultTimeoutMs,
        send: async (nodeId, batch, remainingMs) => {
          const answer = await deps.brokers.describeProducers(
            nodeId,
            brokerV1.DescribeProducersRequest.fromPartial({ header: brokerHeader(ctx, { timeoutMs: remainingMs }), partitions: batch.map((i) => partitionRef(i)) }),
            remainingMs,
          );
          return alignAnswers(batch, answer.partitions, undefined);
        },
        errorOf: (a) => a.error?.code ?? ErrorCode.NONE,
        failure: (i, code) => brokerV1.DescribeProducersPartitionResponse.fromPartial({ partition: partitionRef(i), error: { code } }),
      });
      const response: DescribeProducersResponse = {
        throttleTimeMs: 0,
        topics: request.topics.map((topic, t) => ({
          name: topic.name,
          partitions: (outcomes[t] ?? []).map((o, k) => partitionAnswer(topic.partitionIndexes[k] as number, o)),
        })),
      };
      return { response };
    },
  };
}

function partitionAnswer(partitionIndex: number, outcome: NamedOutcome<PartitionIndex, brokerV1.DescribeProducersPartitionResponse>): DescribeProducersResponsePartitionResponse {
  if (!outcome.routed) return { partitionIndex, errorCode: outcome.errorCode, errorMessage: null, activeProducers: [] };
  const code = outcome.answer.error?.code ?? ErrorCode.NONE;
  if (code !== ErrorCode.NONE) return { partitionIndex, errorCode: code, errorMessage: outcome.answer.error?.message || null, activeProducers: [] };
  return {
    partitionIndex,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    activeProducers: outcome.answer.activeProducers.map((p) => ({
      producerId: p.producerId,
      producerEpoch: p.producerEpoch,
      lastSequence: p.lastSequence,
      lastTimestamp: p.lastTimestamp,
      coordinatorEpoch: p.coordinatorEpoch,
      currentTxnStartOffset: p.currentTxnStartOffset,
    })),
  };
}
