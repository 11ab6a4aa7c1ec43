// status: live nodes by layer and AZ, partitions whose replica set is not complete (fewer
// replicas than the topic's replication factor, a replica or the leader not alive, no leader),
// and tiering lag, asked of every registered tiered-storage node (GetTieringStatus; n/a when none).
import { commonV1, metadataV1 } from '@stratus/contracts';
import { table } from '../format';
import type { MetadataClient } from '../client';
import type { Runner } from './context';
import { describeTieringLag, fetchTieringLag } from './tiering-lag';

const LAYERS: readonly [commonV1.NodeRole, string][] = [
  [commonV1.NodeRole.ROUTER, 'router'],
  [commonV1.NodeRole.BROKER, 'broker'],
  [commonV1.NodeRole.REPLICATION, 'replication'],
  [commonV1.NodeRole.TIERED_STORAGE, 'tiered-storage'],
];

export interface NodeGroup {
  readonly layer: string;
  readonly az: string;
  readonly nodes: readonly string[];
}

export interface IncompletePartition {
  readonly tenant: string;
  readonly topic: string;
  readonly partition: number;
  readonly leader: string | null;
  readonly replicas: readonly string[];
  readonly problem: string;
}

export function groupNodes(nodes: readonly metadataV1.NodeRegistration[]): NodeGroup[] {
  const groups = new Map<string, { layer: string; az: string; nodes: string[] }>();
  for (const n of nodes) {
    const layer = LAYERS.find(([role]) => role === n.node?.role)?.[1] ?? 'unknown';
    const az = n.node?.placement?.availabilityZone || '-';
    const key = `${layer}\u0000${az}`;
    const group = groups.get(key) ?? { layer, az, nodes: [] };
    group.nodes.push(n.node?.nodeId ?? '?');
    groups.set(key, group);
  }
  const order = (layer: string) => LAYERS.findIndex(([, l]) => l === layer);
  return [...groups.values()]
    .map((g) => ({ ...g, nodes: [...g.nodes].sort() }))
    .sort((a, b) => order(a.layer) - order(b.layer) || a.az.localeCompare(b.az));
}

/** Why a partition lacks a full, live replica set; undefined when it is healthy. */
export function partitionProblem(p: metadataV1.PartitionAssignment, options: { replicationFactor: number; live: ReadonlySet<string>; brokers: ReadonlySet<string> }): string | undefined {
  const problems: string[] = [];
  if (!p.leaderNodeId) problems.push('no leader');
  else if (!options.brokers.has(p.leaderNodeId)) problems.push(`leader ${p.leaderNodeId} not alive`);
  if (p.replicaNodeIds.length < options.replicationFactor) problems.push(`${p.replicaNodeIds.length}/${options.replicationFactor} replicas`);
  const dead = p.replicaNodeIds.filter((r) => !options.live.has(r));
  if (dead.length > 0) problems.push(`replica${dead.length > 1 ? 's' : ''} ${dead.join(',')} not alive`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

async function incompletePartitions(client: MetadataClient, nodes: readonly metadataV1.NodeRegistration[]): Promise<IncompletePartition[]> {
  const ids = (role: commonV1.NodeRole) => new Set(nodes.filter((n) => n.node?.role === role).map((n) => n.node?.nodeId ?? ''));
  const live = ids(commonV1.NodeRole.REPLICATION);
  const brokers = ids(commonV1.NodeRole.BROKER);
  const { tenants } = await client.call((c) => c.listTenants, { cell: '' });
  const found: IncompletePartition[] = [];
  for (const tenant of tenants) {
    const { topics } = await client.call((c) => c.listTopics, { tenantId: tenant.tenantId, includeInternal: false });
    if (topics.length === 0) continue;
    const described = await client.call((c) => c.describeTopics, {
      tenantId: tenant.tenantId,
      topics: topics.map((t) => ({ selector: { $case: 'name' as const, value: t.name } })),
      includePartitions: true,
    });
    for (const d of described.topics) {
      if (!d.topic) continue;
      for (const p of d.partitions) {
        const problem = partitionProblem(p, { replicationFactor: d.topic.replicationFactor, live, brokers });
        if (problem) {
          found.push({ tenant: tenant.name, topic: d.topic.name, partition: p.partition?.partition ?? 0, leader: p.leaderNodeId || null, replicas: p.replicaNodeIds, problem });
        }
      }
    }
  }
  return found.sort((a, b) => a.tenant.localeCompare(b.tenant) || a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

export const status: Runner = async ({ client }) => {
  const { nodes } = await client.call((c) => c.listNodes, { role: commonV1.NodeRole.UNSPECIFIED, cell: '' });
  const groups = groupNodes(nodes);
  const incomplete = await incompletePartitions(client, nodes);
  const tieringLag = await fetchTieringLag(nodes);
  const data = {
    metadata: client.address,
    nodes: groups,
    incompletePartitions: incomplete,
    // null when no tiered-storage node is registered.
    tieringLag,
  };
  const human = [
    `Metadata service: ${client.address}`,
    '',
    'Nodes',
    table(
      ['layer', 'az', 'count', 'nodes'],
      groups.map((g) => [g.layer, g.az, g.nodes.length, g.nodes.join(',')]),
      { empty: 'No nodes registered.' },
    ),
    `Partitions without a full replica set: ${incomplete.length === 0 ? 'none' : incomplete.length}`,
    ...(incomplete.length > 0
      ? [table(['tenant', 'topic', 'partition', 'leader', 'replicas', 'problem'], incomplete.map((p) => [p.tenant, p.topic, p.partition, p.leader ?? 'none', p.replicas.join(','), p.problem]))]
      : []),
    describeTieringLag(tieringLag),
    '',
  ].join('\n');
  return { data, human };
};
