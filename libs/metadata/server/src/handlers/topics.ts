// Topic RPCs: one result per requested item, each with its own Kafka error, like the Kafka APIs
// they back (CreateTopics, DeleteTopics, Metadata/DescribeTopicPartitions, CreatePartitions).
import { metadataV1 } from '@stratus/contracts';
import { describeTopicConfigs } from '@stratus/metadata-model';
import type { MetadataStore, TopicRef } from '@stratus/metadata-store';
import { kafkaError, NONE, partitionToProto, topicIdFromBytes, topicIdToBytes, topicToProto } from '../convert';
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

export function topicHandlers(store: MetadataStore) {
  return {
    createTopics: unary(async (req: metadataV1.CreateTopicsRequest): Promise<metadataV1.CreateTopicsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const results: metadataV1.CreateTopicResult[] = [];
      for (const t of req.topics) {
        const created = await store.topics.create({
          tenantId: tenant,
          name: t.name,
          numPartitions: t.numPartitions,
          replicationFactor: t.replicationFactor,
          configs: t.configs,
          validateOnly: req.validateOnly,
        });
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
      return { results };
    }),
    deleteTopics: unary(async (req: metadataV1.DeleteTopicsRequest): Promise<metadataV1.DeleteTopicsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const results: metadataV1.DeleteTopicResult[] = [];
      for (const sel of req.topics) {
        const ref = refOf(sel);
        const deleted = ref ? await store.topics.delete(tenant, ref) : undefined;
        if (deleted?.ok) {
          results.push({ topic: sel, error: NONE, name: deleted.value.name, topicId: { value: topicIdToBytes(deleted.value.topicId) } });
        } else {
          results.push({ topic: sel, error: deleted ? kafkaError(deleted.error) : UNKNOWN_ID, name: '' });
        }
      }
      return { results };
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
      const results: metadataV1.CreatePartitionsResult[] = [];
      for (const t of req.topics) {
        const r = await store.topics.addPartitions({ tenantId: tenant, name: t.name, totalCount: t.totalCount, validateOnly: req.validateOnly });
        results.push({ name: t.name, error: r.ok ? NONE : kafkaError(r.error) });
      }
      return { results };
    }),
  };
}
