// Metadata (key 3) for a listener run without a cluster view (tests, tools): this listener is the
// only broker and the cluster has no topics, so clients can finish bootstrapping (e.g.
// admin.listTopics() returns []). The router app passes clusterMetadataHandler
// (metadata-cluster.ts) instead, which answers from the metadata watches.
import { ErrorCode } from '@stratus/kafka-errors';
import type { MetadataRequest, MetadataResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from './handler';

/** KIP-430: no authorised operations were requested / are reported. */
const OPERATIONS_NOT_REQUESTED = -2147483648;

export const metadataHandler: ApiHandler = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 13,
  async handle(ctx: RequestContext, raw: unknown) {
    const request = raw as MetadataRequest;
    const { listener } = ctx;
    const response: MetadataResponse = {
      throttleTimeMs: 0,
      brokers: [{ nodeId: listener.nodeId, host: listener.host, port: listener.port, rack: null }],
      clusterId: listener.clusterId,
      controllerId: listener.nodeId,
      // No topic exists yet: Kafka answers a name with UNKNOWN_TOPIC_OR_PARTITION and, from v10,
      // a topic asked for by id only (name null) with UNKNOWN_TOPIC_ID.
      topics: (request.topics ?? []).map((t) => ({
        errorCode: t.name === null ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        name: t.name,
        ...(t.topicId !== undefined ? { topicId: t.topicId } : {}),
        isInternal: false,
        partitions: [],
        topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED,
      })),
      clusterAuthorizedOperations: OPERATIONS_NOT_REQUESTED,
      errorCode: 0,
    };
    return { response };
  },
};
