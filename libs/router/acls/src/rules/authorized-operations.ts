// The second table: API key → the step that writes KIP-430 authorised operations into a handler's
// answer. Handlers fill the field with what a principal without ACLs may do (or INT32_MIN when not
// asked); these steps replace it with what the connection's principal really may do, so handlers
// stay free of ACL code. Which entries get a value follows Kafka's KafkaApis:
//   - Metadata v8+: every topic it answered for itself (not the ones refused for DESCRIBE, not an
//     unknown topic id with no name) when include_topic_authorized_operations; the cluster (v8-v10
//     only, KIP-700 moved it to DescribeCluster) when include_cluster_authorized_operations —
//     0 without DESCRIBE on the cluster, so the field tells nothing to someone who may not look;
//   - DescribeCluster: the cluster, same DESCRIBE rule, whenever include_cluster_authorized_operations
//     (even beside an endpoint-type error);
//   - DescribeTopicPartitions (KIP-966): every topic it answered, always (the request has no flag);
//   - DescribeGroups v3+ / ConsumerGroupDescribe (KIP-848): every group described without error,
//     when include_authorized_operations.
// Everything else keeps INT32_MIN (OPERATIONS_NOT_REQUESTED).
import { CLUSTER_RESOURCE_NAME } from '@stratus/kafka-acls';
import type {
  ConsumerGroupDescribeRequest,
  ConsumerGroupDescribeResponse,
  DescribeClusterRequest,
  DescribeClusterResponse,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  DescribeTopicPartitionsResponse,
  MetadataRequest,
  MetadataResponse,
} from '@stratus/kafka-messages';
import { ErrorCode } from '@stratus/kafka-errors';
import { TOPIC_DENIED, type AccessCheck } from './rule';

/** Rewrites the authorised-operations fields of a response; `request` is the client's own. */
export type OperationsStep = (request: never, response: never, check: AccessCheck) => unknown;

/** Kafka reports cluster operations only to whoever may DESCRIBE the cluster; others read 0. */
function clusterOperations(check: AccessCheck): number {
  return check.allowed('DESCRIBE', 'CLUSTER', CLUSTER_RESOURCE_NAME) ? check.authorizedOperations('CLUSTER', CLUSTER_RESOURCE_NAME) : 0;
}

/** A topic the handler answered (not refused by the guard, and named). */
function topicOperations<T extends { errorCode: number; name: string | null; topicAuthorizedOperations?: number }>(topic: T, check: AccessCheck): T {
  if (topic.name === null || topic.errorCode === TOPIC_DENIED) return topic;
  return { ...topic, topicAuthorizedOperations: check.authorizedOperations('TOPIC', topic.name) };
}

/** A group described without error. */
function groupOperations<G extends { errorCode: number; groupId: string; authorizedOperations?: number }>(group: G, check: AccessCheck): G {
  if (group.errorCode !== ErrorCode.NONE) return group;
  return { ...group, authorizedOperations: check.authorizedOperations('GROUP', group.groupId) };
}

export function metadataOperations(request: MetadataRequest, response: MetadataResponse, check: AccessCheck): MetadataResponse {
  const askedTopics = request.includeTopicAuthorizedOperations === true;
  const askedCluster = check.apiVersion <= 10 && request.includeClusterAuthorizedOperations === true;
  if (check.apiVersion < 8 || (!askedTopics && !askedCluster)) return response;
  const topics = askedTopics ? response.topics.map((t) => topicOperations(t, check)) : response.topics;
  const cluster = askedCluster ? { clusterAuthorizedOperations: clusterOperations(check) } : {};
  return { ...response, topics, ...cluster };
}

export function describeClusterOperations(request: DescribeClusterRequest, response: DescribeClusterResponse, check: AccessCheck): DescribeClusterResponse {
  // Kafka fills it whenever asked, even beside an endpoint-type error.
  if (!request.includeClusterAuthorizedOperations) return response;
  return { ...response, clusterAuthorizedOperations: clusterOperations(check) };
}

export function describeTopicPartitionsOperations(_request: unknown, response: DescribeTopicPartitionsResponse, check: AccessCheck): DescribeTopicPartitionsResponse {
  return { ...response, topics: response.topics.map((t) => topicOperations(t, check)) };
}

export function describeGroupsOperations(request: DescribeGroupsRequest, response: DescribeGroupsResponse, check: AccessCheck): DescribeGroupsResponse {
  // The flag exists from v3; older versions do not carry the field at all.
  if (check.apiVersion < 3 || request.includeAuthorizedOperations !== true) return response;
  return { ...response, groups: response.groups.map((g) => groupOperations(g, check)) };
}

export function consumerGroupDescribeOperations(
  request: ConsumerGroupDescribeRequest,
  response: ConsumerGroupDescribeResponse,
  check: AccessCheck,
): ConsumerGroupDescribeResponse {
  if (!request.includeAuthorizedOperations) return response;
  return { ...response, groups: response.groups.map((g) => groupOperations(g, check)) };
}

export const OPERATIONS_STEPS: ReadonlyMap<number, OperationsStep> = new Map<number, OperationsStep>([
  [3, metadataOperations as OperationsStep],
  [15, describeGroupsOperations as OperationsStep],
  [60, describeClusterOperations as OperationsStep],
  [69, consumerGroupDescribeOperations as OperationsStep],
  [75, describeTopicPartitionsOperations as OperationsStep],
]);
