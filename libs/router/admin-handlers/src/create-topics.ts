// CreateTopics (key 19): validates what only the router can (duplicates, manual assignments,
// replication factor, null configs), then asks metadata to create or validate the rest in one
// call. Metadata checks names, partition counts, configs and the tenant's limits
// (POLICY_VIOLATION) per topic, as Kafka's controller does.
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { CreateTopicsRequest, CreateTopicsResponse, CreateTopicsResponseCreatableTopicResult, CreateTopicsRequestCreatableTopic } from '@stratus/kafka-messages';
import { ZERO_UUID, uuidFromBytes } from '@stratus/kafka-protocol';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, catchUpView, controllerDeadlineMs, duplicatesOf, tenantOf, type AdminContext } from './admin-context';
import { CONFIG_SOURCE } from './config-codes';
import { STRICT_QUOTA_FROM, callMetadata, translateMetadataError } from './metadata-call';
import { checkReplicationFactor } from './replication-factor';

type Result = CreateTopicsResponseCreatableTopicResult;

function failed(name: string, code: number, message: string): Result {
  // Kafka leaves the KIP-525 fields at their defaults (-1, no configs) when a topic fails.
  return { name, topicId: ZERO_UUID, errorCode: code, errorMessage: message, numPartitions: -1, replicationFactor: -1, configs: [] };
}

/** The router-side checks; undefined when the topic may go to metadata. */
function precheck(topic: CreateTopicsRequestCreatableTopic): Result | undefined {
  if (topic.assignments.length > 0) {
    // Kafka: explicit assignments exclude a partition count and factor (KIP-464).
    if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
      return failed(topic.name, ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
    }
    return failed(
      topic.name,
      ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      'Manual replica assignments are not supported: Stratus places every partition in 3 availability zones itself. Give numPartitions instead.',
    );
  }
  const rf = checkReplicationFactor(topic.replicationFactor);
  if (!rf.ok) return failed(topic.name, rf.code, rf.message);
  const nullConfig = topic.configs.find((c) => c.value === null);
  if (nullConfig) return failed(topic.name, ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${nullConfig.name}`);
  const dupConfigs = duplicatesOf(topic.configs.map((c) => c.name));
  if (dupConfigs.size > 0) return failed(topic.name, ErrorCode.INVALID_REQUEST, `Duplicate config keys: ${[...dupConfigs].join(', ')}`);
  return undefined;
}

function toNewTopic(topic: CreateTopicsRequestCreatableTopic): metadataV1.NewTopic {
  const rf = checkReplicationFactor(topic.replicationFactor);
  return {
    name: topic.name,
    numPartitions: topic.numPartitions,
    replicationFactor: rf.ok ? rf.value : -1,
    configs: Object.fromEntries(topic.configs.map((c) => [c.name, c.value ?? ''])),
  };
}

function fromMetadata(r: metadataV1.CreateTopicResult, requested: CreateTopicsRequestCreatableTopic, validateOnly: boolean): Result {
  const code = r.error?.code ?? ErrorCode.NONE;
  if (code !== ErrorCode.NONE) return failed(requested.name, code, r.error?.message || 'Topic creation failed.');
  const overridden = new Set(requested.configs.map((c) => c.name));
  const id = r.topicId?.value;
  return {
    name: requested.name,
    // No topic exists after validate_only, so there is no id to report.
    topicId: !validateOnly && id && id.length === 16 ? uuidFromBytes(id, 0) : ZERO_UUID,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    numPartitions: r.numPartitions,
    replicationFactor: r.replicationFactor,
    // KIP-525: the new topic's effective configs, each with where its value comes from.
    configs: Object.entries(r.configs)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({
        name,
        value,
        readOnly: false,
        configSource: overridden.has(name) ? CONFIG_SOURCE.DYNAMIC_TOPIC_CONFIG : CONFIG_SOURCE.DEFAULT_CONFIG,
        isSensitive: false,
      })),
  };
}

export function createTopicsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 19,
    name: 'CreateTopics',
    minVersion: 2,
    maxVersion: 7,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as CreateTopicsRequest;
      const duplicates = duplicatesOf(request.topics.map((t) => t.name));
      const results = new Map<CreateTopicsRequestCreatableTopic, Result>();
      const forward: CreateTopicsRequestCreatableTopic[] = [];
      for (const topic of request.topics) {
        const early = duplicates.has(topic.name) ? failed(topic.name, ErrorCode.INVALID_REQUEST, 'Duplicate topic name in the request.') : precheck(topic);
        if (early) results.set(topic, early);
        else forward.push(topic);
      }
      let throttleTimeMs = 0;
      if (forward.length > 0) {
        try {
          const response = await callMetadata(
            admin.metadata,
            'createTopics',
            {
              tenantId: { value: tenant },
              topics: forward.map(toNewTopic),
              validateOnly: request.validateOnly,
              timeoutMs: request.timeoutMs,
              // KIP-599: THROTTLING_QUOTA_EXCEEDED exists for CreateTopics from v6; older clients are only throttled.
              strictMutationQuota: ctx.header.apiVersion >= STRICT_QUOTA_FROM.createTopics,
            },
            controllerDeadlineMs(admin, request.timeoutMs),
          );
          throttleTimeMs = response.throttleTimeMs ?? 0;
          forward.forEach((topic, i) => {
            const r = response.results[i];
            results.set(topic, r && r.name === topic.name ? fromMetadata(r, topic, request.validateOnly) : failed(topic.name, ErrorCode.UNKNOWN_SERVER_ERROR, 'No result from metadata.'));
          });
        } catch (err) {
          const e = translateMetadataError(err, 'NOT_CONTROLLER');
          ctx.logger.warn({ err, kafkaError: e.code }, 'CreateTopics: metadata call failed');
          for (const topic of forward) results.set(topic, failed(topic.name, e.code, e.message));
        }
      }
      const created = !request.validateOnly && [...results.values()].some((r) => r.errorCode === ErrorCode.NONE);
      if (created) await catchUpView(admin, ctx, request.timeoutMs);
      const response: CreateTopicsResponse = { throttleTimeMs, topics: request.topics.map((t) => results.get(t) as Result) };
      return { response };
    },
  };
}
