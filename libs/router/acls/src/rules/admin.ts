// Metadata, topic admin, configs and cluster-wide admin APIs, with Kafka's required operations.
import type {
  AlterClientQuotasRequest,
  AlterConfigsRequest,
  AlterUserScramCredentialsRequest,
  CreateAclsRequest,
  CreatePartitionsRequest,
  CreateTopicsRequest,
  DeleteAclsRequest,
  DeleteTopicsRequest,
  DescribeConfigsRequest,
  DescribeTopicPartitionsRequest,
  DescribeTopicPartitionsResponse,
  IncrementalAlterConfigsRequest,
  MetadataRequest,
  MetadataResponse,
} from '@stratus/kafka-messages';
import { ZERO_UUID } from '@stratus/kafka-protocol';
import type { ResourceType } from '@stratus/kafka-acls';
import { CLUSTER_DENIED, GROUP_DENIED, TOPIC_DENIED, answer, appendTo, clusterAllowed, pass, split, type AccessCheck, type RuleOutcome } from './rule';

const NO_AUTHORIZED_OPERATIONS = -2147483648;

function metadataTopicDenied(name: string | null, topicId: string | undefined) {
  return { errorCode: TOPIC_DENIED, name, topicId: topicId ?? ZERO_UUID, isInternal: false, partitions: [], topicAuthorizedOperations: NO_AUTHORIZED_OPERATIONS };
}

/**
 * Metadata: a full listing leaves out topics the user may not DESCRIBE; a named topic without
 * DESCRIBE is TOPIC_AUTHORIZATION_FAILED; auto-creating a missing topic needs CREATE on the cluster
 * or the topic, else it too is TOPIC_AUTHORIZATION_FAILED (KafkaApis.handleTopicMetadataRequest).
 */
export function metadataRule(request: MetadataRequest, check: AccessCheck): RuleOutcome {
  // v0 asked for all topics with an empty list; v1+ with null.
  const all = request.topics === null || (check.apiVersion === 0 && request.topics.length === 0);
  if (all) {
    return pass(request, (raw) => {
      const r = raw as MetadataResponse;
      return { ...r, topics: r.topics.filter((t) => t.name === null || check.allowed('DESCRIBE', 'TOPIC', t.name)) };
    });
  }
  const topics = request.topics ?? [];
  const clusterCreate = clusterAllowed(check, 'CREATE');
  const { kept, denied } = split(topics, (t) => {
    const name = t.name ?? (t.topicId !== undefined && t.topicId !== ZERO_UUID ? check.topicNameById(t.topicId) : undefined);
    if (name === undefined || name === null) return true;
    if (!check.allowed('DESCRIBE', 'TOPIC', name)) return false;
    if (request.allowAutoTopicCreation === true && !check.topicExists(name)) return clusterCreate || check.allowed('CREATE', 'TOPIC', name);
    return true;
  });
  if (denied.length === 0) return pass(request);
  return pass({ ...request, topics: kept }, appendTo('topics', denied.map((t) => metadataTopicDenied(t.name, t.topicId))));
}

/** DescribeTopicPartitions (KIP-966): like Metadata without auto-creation. */
export function describeTopicPartitionsRule(request: DescribeTopicPartitionsRequest, check: AccessCheck): RuleOutcome {
  if (request.topics.length === 0) {
    return pass(request, (raw) => {
      const r = raw as DescribeTopicPartitionsResponse;
      return { ...r, topics: r.topics.filter((t) => t.name === null || check.allowed('DESCRIBE', 'TOPIC', t.name)) };
    });
  }
  const { kept, denied } = split(request.topics, (t) => check.allowed('DESCRIBE', 'TOPIC', t.name));
  if (denied.length === 0) return pass(request);
  const errors = denied.map((t) => metadataTopicDenied(t.name, undefined));
  if (kept.length === 0) return answer({ throttleTimeMs: 0, topics: errors, nextCursor: null });
  return pass({ ...request, topics: kept }, appendTo('topics', errors));
}

/** CreateTopics: CREATE on the cluster, or on each topic. */
export function createTopicsRule(request: CreateTopicsRequest, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'CREATE')) return pass(request);
  const { kept, denied } = split(request.topics, (t) => check.allowed('CREATE', 'TOPIC', t.name));
  const errors = denied.map((t) => ({ name: t.name, topicId: ZERO_UUID, errorCode: TOPIC_DENIED, errorMessage: null, topicConfigErrorCode: 0, numPartitions: -1, replicationFactor: -1, configs: null }));
  return pass({ ...request, topics: kept }, appendTo('topics', errors));
}

/** DeleteTopics: DELETE per topic (by name, or by id from v6). */
export function deleteTopicsRule(request: DeleteTopicsRequest, check: AccessCheck): RuleOutcome {
  if (request.topics !== undefined && request.topics.length > 0) {
    const { kept, denied } = split(request.topics, (t) => {
      const name = t.name ?? (t.topicId !== ZERO_UUID ? check.topicNameById(t.topicId) : undefined);
      return name === undefined || check.allowed('DELETE', 'TOPIC', name);
    });
    const errors = denied.map((t) => ({ name: t.name, topicId: t.topicId, errorCode: TOPIC_DENIED, errorMessage: null }));
    return pass({ ...request, topics: kept }, appendTo('responses', errors));
  }
  const { kept, denied } = split(request.topicNames ?? [], (name) => check.allowed('DELETE', 'TOPIC', name));
  const errors = denied.map((name) => ({ name, topicId: ZERO_UUID, errorCode: TOPIC_DENIED, errorMessage: null }));
  return pass({ ...request, topicNames: kept }, appendTo('responses', errors));
}

/** CreatePartitions: ALTER per topic. */
export function createPartitionsRule(request: CreatePartitionsRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.topics, (t) => check.allowed('ALTER', 'TOPIC', t.name));
  return pass({ ...request, topics: kept }, appendTo('results', denied.map((t) => ({ name: t.name, errorCode: TOPIC_DENIED, errorMessage: null }))));
}

/** Config resource types (KIP-133 ConfigResource.Type) → ACL resource and error. */
function configTarget(resourceType: number, name: string): { type: ResourceType; name: string; code: number } | undefined {
  if (resourceType === 2) return { type: 'TOPIC', name, code: TOPIC_DENIED };
  if (resourceType === 4 || resourceType === 8) return { type: 'CLUSTER', name: 'kafka-cluster', code: CLUSTER_DENIED };
  if (resourceType === 32) return { type: 'GROUP', name, code: GROUP_DENIED };
  return undefined;
}

function configsRule(operation: 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS', field: 'results' | 'responses') {
  return (request: { resources: Array<{ resourceType: number; resourceName: string }> }, check: AccessCheck): RuleOutcome => {
    const codes = new Map<number, number>();
    const { kept, denied } = split(request.resources, (r) => {
      const target = configTarget(r.resourceType, r.resourceName);
      if (!target || check.allowed(operation, target.type, target.name)) return true;
      codes.set(request.resources.indexOf(r), target.code);
      return false;
    });
    const errors = denied.map((r) => {
      const code = codes.get(request.resources.indexOf(r)) ?? TOPIC_DENIED;
      const base = { errorCode: code, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName };
      return field === 'results' ? { ...base, configs: [] } : base;
    });
    return pass({ ...request, resources: kept }, appendTo(field, errors));
  };
}

export const describeConfigsRule: (r: DescribeConfigsRequest, c: AccessCheck) => RuleOutcome = configsRule('DESCRIBE_CONFIGS', 'results');
export const alterConfigsRule: (r: AlterConfigsRequest, c: AccessCheck) => RuleOutcome = configsRule('ALTER_CONFIGS', 'responses');
export const incrementalAlterConfigsRule: (r: IncrementalAlterConfigsRequest, c: AccessCheck) => RuleOutcome = configsRule('ALTER_CONFIGS', 'responses');

/** DescribeLogDirs: DESCRIBE on the cluster, else an empty answer with the error (v3+ top-level). */
export function describeLogDirsRule(request: unknown, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'DESCRIBE')) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: CLUSTER_DENIED, results: [] });
}

/** ElectLeaders: ALTER on the cluster. */
export function electLeadersRule(request: unknown, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'ALTER')) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: CLUSTER_DENIED, replicaElectionResults: [] });
}

export function describeClientQuotasRule(request: unknown, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'DESCRIBE_CONFIGS')) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: CLUSTER_DENIED, errorMessage: null, entries: null });
}

export function alterClientQuotasRule(request: AlterClientQuotasRequest, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'ALTER_CONFIGS')) return pass(request);
  return answer({ throttleTimeMs: 0, entries: request.entries.map((e) => ({ errorCode: CLUSTER_DENIED, errorMessage: null, entity: e.entity })) });
}

export function describeUserScramCredentialsRule(request: unknown, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'DESCRIBE')) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: CLUSTER_DENIED, errorMessage: null, results: [] });
}

export function alterUserScramCredentialsRule(request: AlterUserScramCredentialsRequest, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'ALTER')) return pass(request);
  const users = [...new Set([...request.deletions.map((d) => d.name), ...request.upsertions.map((u) => u.name)])];
  return answer({ throttleTimeMs: 0, results: users.map((user) => ({ user, errorCode: CLUSTER_DENIED, errorMessage: null })) });
}

/** CreateAcls / DeleteAcls: ALTER on the cluster; DescribeAcls: DESCRIBE on the cluster. */
export function createAclsRule(request: CreateAclsRequest, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'ALTER')) return pass(request);
  return answer({ throttleTimeMs: 0, results: request.creations.map(() => ({ errorCode: CLUSTER_DENIED, errorMessage: null })) });
}

export function deleteAclsRule(request: DeleteAclsRequest, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'ALTER')) return pass(request);
  return answer({ throttleTimeMs: 0, filterResults: request.filters.map(() => ({ errorCode: CLUSTER_DENIED, errorMessage: null, matchingAcls: [] })) });
}

export function describeAclsRule(request: unknown, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'DESCRIBE')) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: CLUSTER_DENIED, errorMessage: null, resources: [] });
}
