// Metadata (key 3, v0-v13) answered from the router's cluster view: each tenant sees a private
// Kafka cluster whose brokers are the live routers (AZ as rack, KIP-392), whose cluster id is its
// own, and whose topics are the tenant's only. Another tenant's topic, by name or by id, gets
// exactly the answer of a topic that does not exist.
import { ErrorCode } from '@stratus/kafka-errors';
import type { MetadataRequest, MetadataResponse, MetadataResponseMetadataResponseTopic } from '@stratus/kafka-messages';
import { ZERO_UUID, uuidFromBytes, type Uuid } from '@stratus/kafka-protocol';
import { tenantClusterId, type ClusterView, type TopicView } from '@stratus/router-cluster-view';
import type { ApiHandler, RequestContext } from './handler';
import type { TopicAutoCreator } from './metadata-auto-create';
import {
  CLUSTER_OPERATIONS,
  NOT_AUTHENTICATED,
  OPERATIONS_NOT_REQUESTED,
  TOPIC_OPERATIONS,
  isLegalTopicName,
  leaderCandidates,
  partitionAnswers,
  VIEW_NOT_READY,
  tenantOf,
  viewReady,
  visibleTopic,
  type ViewReadiness,
} from './metadata-topics';

export interface ClusterMetadataHandlerOptions {
  readonly view: ClusterView;
  /** Without one, unknown topics are never created (UNKNOWN_TOPIC_OR_PARTITION). */
  readonly autoCreate?: TopicAutoCreator;
  /** Wait for the view's first snapshot before answering (see ViewReadiness); default: never wait. */
  readonly readiness?: ViewReadiness;
}

type TopicAnswer = MetadataResponseMetadataResponseTopic;

function unknownTopic(name: string | null, topicId: Uuid, errorCode: number): TopicAnswer {
  return { errorCode, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED };
}

export function clusterMetadataHandler(options: ClusterMetadataHandlerOptions): ApiHandler {
  const { view } = options;

  const topicAnswer = (topic: TopicView, includeOperations: boolean): TopicAnswer => ({
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: uuidFromBytes(topic.topicId, 0),
    isInternal: false,
    partitions: partitionAnswers(view, topic, leaderCandidates(view)),
    topicAuthorizedOperations: includeOperations ? TOPIC_OPERATIONS : OPERATIONS_NOT_REQUESTED,
  });

  return {
    apiKey: 3,
    name: 'Metadata',
    minVersion: 0,
    maxVersion: 13,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      if (!(await viewReady(options.readiness))) return VIEW_NOT_READY;
      const request = raw as MetadataRequest;
      const version = ctx.header.apiVersion;
      const includeTopicOps = version >= 8 && request.includeTopicAuthorizedOperations === true;
      // v0: an empty list means every topic; v1+: null means every topic, empty means none.
      const all = request.topics === null || (version === 0 && request.topics.length === 0);
      let topics: TopicAnswer[];
      if (all) {
        topics = view.topics(tenant).map((t) => topicAnswer(t, includeTopicOps));
      } else {
        // Before v4 there is no flag and brokers auto-create when configured to (KIP-204).
        const allowAutoCreate = version < 4 || request.allowAutoTopicCreation !== false;
        topics = await answerNamed(ctx, tenant, request.topics ?? [], { allowAutoCreate, includeTopicOps });
      }
      const self = view.self();
      const response: MetadataResponse = {
        throttleTimeMs: 0,
        brokers: view.routers().map((r) => ({ nodeId: r.kafkaNodeId, host: r.host, port: r.port, rack: r.availabilityZone || null })),
        clusterId: tenantClusterId(tenant),
        // Any router serves the controller APIs (CreateTopics ... go to metadata), so clients
        // sending admin requests to "the controller" simply stay on this connection.
        controllerId: self.kafkaNodeId,
        topics,
        clusterAuthorizedOperations: version >= 8 && version <= 10 && request.includeClusterAuthorizedOperations === true ? CLUSTER_OPERATIONS : OPERATIONS_NOT_REQUESTED,
        errorCode: ErrorCode.NONE,
      };
      return { response };
    },
  };

  async function answerNamed(
    ctx: RequestContext,
    tenant: string,
    requested: NonNullable<MetadataRequest['topics']>,
    flags: { allowAutoCreate: boolean; includeTopicOps: boolean },
  ): Promise<TopicAnswer[]> {
    const answers: TopicAnswer[] = [];
    const seen = new Set<string>();
    const missing: string[] = [];
    const slots = new Map<string, number>();
    for (const t of requested) {
      if (t.name === null) {
        // By id (Metadata v12+, KIP-516). Unknown or another tenant's: UNKNOWN_TOPIC_ID.
        const id = t.topicId ?? ZERO_UUID;
        const topic = id === ZERO_UUID ? undefined : visibleTopic(view.topicById(tenant, Buffer.from(id.replace(/-/g, ''), 'hex')));
        answers.push(topic ? topicAnswer(topic, flags.includeTopicOps) : unknownTopic(null, id, ErrorCode.UNKNOWN_TOPIC_ID));
        continue;
      }
      // Kafka answers each distinct name once.
      if (seen.has(t.name)) continue;
      seen.add(t.name);
      const topic = visibleTopic(view.topicByName(tenant, t.name));
      if (topic) {
        answers.push(topicAnswer(topic, flags.includeTopicOps));
      } else if (!isLegalTopicName(t.name)) {
        answers.push(unknownTopic(t.name, ZERO_UUID, ErrorCode.INVALID_TOPIC_EXCEPTION));
      } else {
        slots.set(t.name, answers.length);
        answers.push(unknownTopic(t.name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
        missing.push(t.name);
      }
    }
    if (missing.length > 0 && flags.allowAutoCreate && options.autoCreate) {
      const created = await options.autoCreate.create(tenant, missing);
      for (const name of missing) {
        const code = created.get(name) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        const topic = visibleTopic(view.topicByName(tenant, name));
        const slot = slots.get(name) as number;
        if (code === ErrorCode.NONE && topic) answers[slot] = topicAnswer(topic, flags.includeTopicOps);
        // Created but not in the view yet: Kafka answers a topic being created this way; clients retry.
        else if (code === ErrorCode.NONE) answers[slot] = unknownTopic(name, ZERO_UUID, ErrorCode.LEADER_NOT_AVAILABLE);
        else answers[slot] = unknownTopic(name, ZERO_UUID, code);
        if (code !== ErrorCode.NONE && code !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) ctx.logger.info({ topic: name, errorCode: code }, 'topic auto-creation refused');
      }
    }
    return answers;
  }
}
