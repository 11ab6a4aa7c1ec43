// DescribeTopicPartitions (key 75, v0, KIP-966): Metadata's partition view, paginated by a
// partition budget and a (topic, partition) cursor so tools can page through tenants with many
// partitions. Same answer rules as Metadata: the tenant's own topics only, routers as leaders.
import { ErrorCode } from '@stratus/kafka-errors';
import type {
  DescribeTopicPartitionsRequest,
  DescribeTopicPartitionsResponse,
  DescribeTopicPartitionsResponseCursor,
  DescribeTopicPartitionsResponseDescribeTopicPartitionsResponseTopic,
} from '@stratus/kafka-messages';
import { ZERO_UUID, uuidFromBytes } from '@stratus/kafka-protocol';
import type { ClusterView, TopicView } from '@stratus/router-cluster-view';
import type { ApiHandler, RequestContext } from './handler';
import {
  NOT_AUTHENTICATED,
  OPERATIONS_NOT_REQUESTED,
  TOPIC_OPERATIONS,
  VIEW_NOT_READY,
  isLegalTopicName,
  leaderCandidates,
  partitionAnswer,
  tenantOf,
  viewReady,
  visibleTopic,
  type ViewReadiness,
} from './metadata-topics';

type TopicAnswer = DescribeTopicPartitionsResponseDescribeTopicPartitionsResponseTopic;

/** Kafka's max.request.partition.size.limit default: the most partitions one answer carries. */
export const MAX_RESPONSE_PARTITIONS = 2000;

function errorTopic(name: string, errorCode: number): TopicAnswer {
  return { errorCode, name, topicId: ZERO_UUID, isInternal: false, partitions: [], topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function describeTopicPartitionsHandler(options: { readonly view: ClusterView; readonly readiness?: ViewReadiness }): ApiHandler {
  const { view } = options;
  return {
    apiKey: 75,
    name: 'DescribeTopicPartitions',
    minVersion: 0,
    maxVersion: 0,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      if (!(await viewReady(options.readiness))) return VIEW_NOT_READY;
      const request = raw as DescribeTopicPartitionsRequest;
      const cursor = request.cursor;
      const all = request.topics.length === 0;
      const names = all ? view.topics(tenant).map((t) => t.name) : [...new Set(request.topics.map((t) => t.name))].sort(byName);
      if (cursor && !all && !names.includes(cursor.topicName)) {
        // Kafka rejects a cursor outside the requested topics as an invalid request.
        const response: DescribeTopicPartitionsResponse = { throttleTimeMs: 0, topics: names.map((n) => errorTopic(n, ErrorCode.INVALID_REQUEST)), nextCursor: null };
        return { response };
      }
      let budget = Math.max(1, Math.min(MAX_RESPONSE_PARTITIONS, request.responsePartitionLimit));
      const candidates = leaderCandidates(view);
      const topics: TopicAnswer[] = [];
      let nextCursor: DescribeTopicPartitionsResponseCursor | null = null;
      for (const name of cursor ? names.filter((n) => n >= cursor.topicName) : names) {
        const topic = visibleTopic(view.topicByName(tenant, name));
        if (!topic) {
          topics.push(errorTopic(name, isLegalTopicName(name) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.INVALID_TOPIC_EXCEPTION));
          continue;
        }
        if (budget === 0) {
          // The page is full: the next one starts at this topic.
          nextCursor = { topicName: name, partitionIndex: 0 };
          break;
        }
        const start = cursor && name === cursor.topicName ? Math.max(0, cursor.partitionIndex) : 0;
        const end = Math.min(topic.partitionCount, start + budget);
        topics.push(answer(topic, start, end));
        budget -= end - start;
        if (end < topic.partitionCount) {
          nextCursor = { topicName: name, partitionIndex: end };
          break;
        }
      }
      const response: DescribeTopicPartitionsResponse = { throttleTimeMs: 0, topics, nextCursor };
      return { response };

      function answer(topic: TopicView, start: number, end: number): TopicAnswer {
        const partitions = [];
        for (let i = start; i < end; i++) {
          const p = partitionAnswer(view, topic, i, candidates);
          // KIP-966 eligible leader replicas: Stratus elects from its quorum-replicated log, so
          // there is no ELR set to report.
          partitions.push({ ...p, eligibleLeaderReplicas: [], lastKnownElr: [] });
        }
        return { errorCode: ErrorCode.NONE, name: topic.name, topicId: uuidFromBytes(topic.topicId, 0), isInternal: false, partitions, topicAuthorizedOperations: TOPIC_OPERATIONS };
      }
    },
  };
}
