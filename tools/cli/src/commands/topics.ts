// topics list | describe, per tenant.
import { metadataV1 } from '@stratus/contracts';
import { CommandError } from '../errors';
import { keyValues, table, timestamp } from '../format';
import { resolveTenant, type Runner } from './context';

const uuid = (bytes: Uint8Array | undefined): string => {
  const hex = Buffer.from(bytes ?? []).toString('hex');
  return hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hex;
};

function topicJson(t: metadataV1.Topic): Record<string, unknown> {
  return {
    name: t.name,
    topicId: uuid(t.topicId?.value),
    partitions: t.partitionCount,
    replicationFactor: t.replicationFactor,
    state: metadataV1.topicStateToJSON(t.state).replace(/^TOPIC_STATE_/, ''),
    configs: t.configs,
    createTime: timestamp(t.createTimeMs),
  };
}

export const listTopics: Runner = async ({ client, parsed }) => {
  const tenant = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const { topics } = await client.call((c) => c.listTopics, { tenantId: tenant.tenantId, includeInternal: false });
  const sorted = [...topics].sort((a, b) => a.name.localeCompare(b.name));
  return {
    data: sorted.map(topicJson),
    human: table(
      ['name', 'partitions', 'replicas', 'topic id', 'created'],
      sorted.map((t) => [t.name, t.partitionCount, t.replicationFactor, uuid(t.topicId?.value), timestamp(t.createTimeMs)]),
      { empty: `No topics for tenant ${tenant.name}.` },
    ),
  };
};

export const describeTopic: Runner = async ({ client, parsed }) => {
  const tenant = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const name = parsed.args['topic'] ?? '';
  const { topics } = await client.call((c) => c.describeTopics, {
    tenantId: tenant.tenantId,
    topics: [{ selector: { $case: 'name', value: name } }],
    includePartitions: true,
  });
  const found = topics[0];
  if (!found?.topic || (found.error && found.error.code !== 0)) {
    throw new CommandError(`topic ${JSON.stringify(name)} not found in tenant ${tenant.name}`);
  }
  const partitions = [...found.partitions].sort((a, b) => (a.partition?.partition ?? 0) - (b.partition?.partition ?? 0));
  const data = {
    ...topicJson(found.topic),
    partitionAssignments: partitions.map((p) => ({
      partition: p.partition?.partition,
      leader: p.leaderNodeId || null,
      leaderEpoch: p.leaderEpoch,
      replicas: p.replicaNodeIds,
    })),
  };
  const configs = Object.entries(found.topic.configs).sort(([a], [b]) => a.localeCompare(b));
  const human =
    keyValues([
      ['Topic', found.topic.name],
      ['Tenant', tenant.name],
      ['Topic id', uuid(found.topic.topicId?.value)],
      ['Partitions', found.topic.partitionCount],
      ['Replication factor', found.topic.replicationFactor],
      ['Created', timestamp(found.topic.createTimeMs)],
    ]) +
    '\n' +
    table(['config', 'value'], configs, { empty: 'No topic-level config overrides.' }) +
    '\n' +
    table(
      ['partition', 'leader', 'epoch', 'replicas'],
      partitions.map((p) => [p.partition?.partition, p.leaderNodeId || 'none', p.leaderEpoch, p.replicaNodeIds.join(',')]),
    );
  return { data, human };
};
