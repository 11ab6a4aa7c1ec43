// What Metadata and DescribeTopicPartitions share: the tenant of the connection, how a tenant's
// topic and its partitions are presented (routers as the brokers, leaders among the routers of the
// answering router's AZ), authorised-operation bit sets (KIP-430) and Kafka's topic name rule.
import { ErrorCode } from '@stratus/kafka-errors';
import { partitionLeader, partitionReplicas, routersInZone, type ClusterView, type RouterEndpoint, type TopicView } from '@stratus/router-cluster-view';
import type { RequestContext } from './handler';

/** KIP-430: authorised operations were not requested. */
export const OPERATIONS_NOT_REQUESTED = -2147483648;

/** Kafka AclOperation codes (KIP-430 bit positions). */
const ACL = { CREATE: 5, WRITE: 4, READ: 3, DELETE: 6, ALTER: 7, DESCRIBE: 8, DESCRIBE_CONFIGS: 10, ALTER_CONFIGS: 11, IDEMPOTENT_WRITE: 12 } as const;
const bits = (...ops: number[]) => ops.reduce((acc, op) => acc | (1 << op), 0);

/**
 * What a tenant principal may do with its own topics and its logical cluster when the tenant has
 * no ACLs. In the router every handler is wrapped by @stratus/router-acls's guard, which replaces
 * these with the operations the connection's principal is allowed (issue 8 item 3); CLUSTER_ACTION
 * is never a tenant's.
 */
export const TOPIC_OPERATIONS = bits(ACL.READ, ACL.WRITE, ACL.CREATE, ACL.DELETE, ACL.ALTER, ACL.DESCRIBE, ACL.DESCRIBE_CONFIGS, ACL.ALTER_CONFIGS);
export const CLUSTER_OPERATIONS = bits(ACL.CREATE, ACL.ALTER, ACL.DESCRIBE, ACL.DESCRIBE_CONFIGS, ACL.ALTER_CONFIGS, ACL.IDEMPOTENT_WRITE);

/** The tenant of an authenticated connection (handlers other than ApiVersions/SASL only run after SASL). */
export function tenantOf(ctx: RequestContext): string | undefined {
  return ctx.sasl.principal?.tenantId;
}

export const NOT_AUTHENTICATED = { violation: 'cluster API reached without an authenticated tenant' } as const;

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Kafka's Topic.validate: 1..249 of [a-zA-Z0-9._-], and not "." or "..". */
export function isLegalTopicName(name: string): boolean {
  return LEGAL_TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

/** A partition as Metadata v13 / DescribeTopicPartitions v0 describe it (the common fields). */
export interface PartitionAnswer {
  readonly errorCode: number;
  readonly partitionIndex: number;
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly replicaNodes: number[];
  readonly isrNodes: number[];
  readonly offlineReplicas: number[];
}

/** The routers a leader is chosen from: those of the answering router's AZ (all when it has none). */
export function leaderCandidates(view: ClusterView): readonly RouterEndpoint[] {
  return routersInZone(view.routers(), view.self().availabilityZone);
}

/** Replicas presented per partition: the hot log's replica count (3), at most the candidates. */
const PRESENTED_REPLICAS = 3;

/**
 * One partition of a tenant's topic. The leader shown is a router (every router forwards to the
 * real leader broker); the leader epoch is the real one, because clients fence their fetches and
 * OffsetForLeaderEpoch calls with it (KIP-101, KIP-320). A partition without a leader broker (or
 * not yet assigned) is LEADER_NOT_AVAILABLE, which clients retry after refreshing metadata.
 */
export function partitionAnswer(view: ClusterView, topic: TopicView, index: number, candidates: readonly RouterEndpoint[]): PartitionAnswer {
  const assignment = view.partition(topic.topicId, index);
  const router = partitionLeader(candidates, topic.topicId, index);
  const replicas = router ? partitionReplicas(candidates, router, assignment?.replicaNodeIds.length || PRESENTED_REPLICAS).map((r) => r.kafkaNodeId) : [];
  if (!assignment || assignment.leaderNodeId === undefined || !router) {
    return { errorCode: ErrorCode.LEADER_NOT_AVAILABLE, partitionIndex: index, leaderId: -1, leaderEpoch: assignment?.leaderEpoch ?? -1, replicaNodes: replicas, isrNodes: [], offlineReplicas: [] };
  }
  return { errorCode: ErrorCode.NONE, partitionIndex: index, leaderId: router.kafkaNodeId, leaderEpoch: assignment.leaderEpoch, replicaNodes: replicas, isrNodes: [...replicas], offlineReplicas: [] };
}

/** Every partition of a topic, in index order. */
export function partitionAnswers(view: ClusterView, topic: TopicView, candidates: readonly RouterEndpoint[]): PartitionAnswer[] {
  return Array.from({ length: topic.partitionCount }, (_, i) => partitionAnswer(view, topic, i, candidates));
}

/** A topic the tenant may see: its own and not internal. Anything else looks like it does not exist. */
export function visibleTopic(topic: TopicView | undefined): TopicView | undefined {
  return topic && !topic.internal ? topic : undefined;
}

/**
 * Until the cluster view holds its first snapshot a router does not know the tenant's topics, and
 * "no such topic" would be a lie a client acts on. Such requests wait for it (as a slow broker
 * would); if it does not come in time the connection is closed, which clients treat as retriable
 * (they reconnect, possibly to another router). The router stays ready meanwhile, so a metadata
 * outage at start-up does not take every router out of its load balancer.
 */
export interface ViewReadiness {
  /** Resolves true once the view is complete, false after timeoutMs. */
  readonly whenReady: (timeoutMs: number) => Promise<boolean>;
  /** Longest wait per request; default 10 s. */
  readonly timeoutMs?: number;
}

export const VIEW_NOT_READY = { violation: 'cluster view has no metadata snapshot yet' } as const;

export async function viewReady(readiness: ViewReadiness | undefined): Promise<boolean> {
  return readiness ? readiness.whenReady(readiness.timeoutMs ?? 10_000) : true;
}
