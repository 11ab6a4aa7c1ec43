// Topic RPCs: one result per requested item, each with its own Kafka error, like the Kafka APIs
// they back (CreateTopics, DeleteTopics, Metadata/DescribeTopicPartitions, CreatePartitions).
import { metadataV1 } from '@stratus/contracts';
import { describeTopicConfigs, type TenantId } from '@stratus/metadata-model';
import { effectiveQuotas, type MetadataStore, type TopicRef } from '@stratus/metadata-store';
import { kafkaError, NONE, partitionToProto, topicIdFromBytes, topicIdToBytes, topicToProto } from '../convert';
import { MutationQuotas, type TenantMutationQuota } from '../quota/mutation-quota';
import { requireTenant, unary } from '../rpc';

function refOf(sel: metadataV1.TopicSelector): TopicRef | undefined {
  const s = sel.selector;
  if (s?.$case === 'name') return { name: s.value };
  if (s?.$case === 'topicId') {
    const id = topicIdFromBytes(s.value.value);
    return id ? { topicId: id } : undefined;
  }
  return undefined;
}

const UNKNOWN_ID = { code: 100, message: 'This server does not host this topic ID.' };

/** THROTTLING_QUOTA_EXCEEDED (89, KIP-599), answered per topic to strict (newer) clients. */
const THROTTLED = { code: 89, message: 'The tenant is over its topic mutation quota (partition_mutations_per_second); retry after throttle_time_ms.' };

export function topicHandlers(store: MetadataStore, quotas: MutationQuotas = new MutationQuotas()) {
  /**
   * The tenant's KIP-599 bucket for one request. validate_only changes nothing, so it is neither
   * refused nor charged (a dry run must not use up the budget of the real request that follows);
   * it still reports the current throttle time.
   */
  const quotaFor = async (tenant: TenantId): Promise<TenantMutationQuota> => {
    const found = await store.tenants.get(tenant);
    return quotas.forTenant(tenant, found ? effectiveQuotas(found.value).partitionMutationsPerSecond : undefined);
  };
  return {
    createTopics: unary(async (req: metadataV1.CreateTopicsRequest): Promise<metadataV1.CreateTopicsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const quota = await quotaFor(tenant);
      const results: metadataV1.CreateTopicResult[] = [];
      for (const t of req.topics) {
        // KIP-599 strict mode: refused once the bucket is below zero; the topic that takes it
        // below zero is still created (Kafka checks before recording, never splits a topic).
        if (req.strictMutationQuota && !req.validateOnly && quota.exceeded()) {
          results.push({ name: t.name, error: THROTTLED, numPartitions: -1, replicationFactor: -1, configs: {} });
          continue;
        }
        const created = await store.topics.create({
          tenantId: tenant,
          name: t.name,
          numPartitions: t.numPartitions,
          replicationFactor: t.replicationFactor,
          configs: t.configs,
          validateOnly: req.validateOnly,
        });
        if (created.ok && !req.validateOnly) quota.record(created.value.topic.partitionCount);
        results.push(
          created.ok
            ? {
                name: t.name,
                error: NONE,
                topicId: { value: topicIdToBytes(created.value.topic.topicId) },
                numPartitions: created.value.topic.partitionCount,
                replicationFactor: 3,
                // KIP-525: every effective config of the new topic, defaults included.
                configs: Object.fromEntries(describeTopicConfigs(created.value.topic.configs).map((e) => [e.name, e.value])),
              }
            : { name: t.name, error: kafkaError(created.error), numPartitions: -1, replicationFactor: -1, configs: {} },
        );
      }
      return { results, throttleTimeMs: quota.throttleTimeMs() };
    }),
    deleteTopics: unary(async (req: metadataV1.DeleteTopicsRequest): Promise<metadataV1.DeleteTopicsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const quota = await quotaFor(tenant);
      const results: metadataV1.DeleteTopicResult[] = [];
      for (const sel of req.topics) {
        if (req.strictMutationQuota && quota.exceeded()) {
          results.push({ topic: sel, error: THROTTLED, name: '' });
          continue;
        }
        const ref = refOf(sel);
        const deleted = ref ? await store.topics.delete(tenant, ref) : undefined;
        if (deleted?.ok) {
          // KIP-599 counts a deletion as one mutation per partition of the topic.
          quota.record(deleted.value.partitionCount);
          results.push({ topic: sel, error: NONE, name: deleted.value.name, topicId: { value: topicIdToBytes(deleted.value.topicId) } });
        } else {
          results.push({ topic: sel, error: deleted ? kafkaError(deleted.error) : UNKNOWN_ID, name: '' });
        }
      }
      return { results, throttleTimeMs: quota.throttleTimeMs() };
    }),
    listTopics: unary(async (req: metadataV1.ListTopicsRequest): Promise<metadataV1.ListTopicsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const topics = await store.topics.list(tenant);
      const versions = await Promise.all(topics.map((t) => store.topics.find(tenant, { name: t.name })));
      return { topics: versions.flatMap((v) => (v ? [topicToProto(v.value, v.modRevision)] : [])), page: { nextPageToken: '' } };
    }),
    describeTopics: unary(async (req: metadataV1.DescribeTopicsRequest): Promise<metadataV1.DescribeTopicsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const topics: metadataV1.TopicDescription[] = [];
      for (const sel of req.topics) {
        const ref = refOf(sel);
        const found = ref ? await store.topics.find(tenant, ref) : undefined;
        const described = found ? await store.topics.describe(tenant, { name: found.value.name }) : ref ? await store.topics.describe(tenant, ref) : undefined;
        if (!found || !described?.ok) {
          topics.push({ requested: sel, error: described && !described.ok ? kafkaError(described.error) : UNKNOWN_ID, partitions: [] });
          continue;
        }
        topics.push({
          requested: sel,
          error: NONE,
          topic: topicToProto(found.value, found.modRevision),
          partitions: req.includePartitions ? described.value.partitions.map((p) => partitionToProto(tenant, found.value.topicId, p, found.modRevision)) : [],
        });
      }
      return { topics };
    }),
    createPartitions: unary(async (req: metadataV1.CreatePartitionsRequest): Promise<metadataV1.CreatePartitionsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const quota = await quotaFor(tenant);
      const results: metadataV1.CreatePartitionsResult[] = [];
      for (const t of req.topics) {
        if (req.strictMutationQuota && !req.validateOnly && quota.exceeded()) {
          results.push({ name: t.name, error: THROTTLED });
          continue;
        }
        const before = req.validateOnly ? undefined : await store.topics.find(tenant, { name: t.name });
        const r = await store.topics.addPartitions({ tenantId: tenant, name: t.name, totalCount: t.totalCount, validateOnly: req.validateOnly });
        // Only the partitions added count (KIP-599).
        if (r.ok && before) quota.record(Math.max(0, r.value.topic.partitionCount - before.value.partitionCount));
        results.push({ name: t.name, error: r.ok ? NONE : kafkaError(r.error) });
      }
      return { results, throttleTimeMs: quota.throttleTimeMs() };
    }),
  };
}
