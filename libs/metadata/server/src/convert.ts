// Domain records ↔ stratus.metadata.v1 messages. Topic ids are UUID strings in the store and 16
// raw bytes on the wire (KIP-516); revisions are etcd mod revisions.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { REPLICATION_FACTOR, topicId, type ConfigEntry, type MetadataError, type TopicId } from '@stratus/metadata-model';
import { effectiveQuotas, type ApiKeyInfo, type NodeKind, type PartitionState, type RegisteredNode, type Tenant, type Topic } from '@stratus/metadata-store';

export function topicIdToBytes(id: TopicId): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

/** undefined for anything that is not exactly 16 bytes. */
export function topicIdFromBytes(bytes: Buffer | Uint8Array | undefined): TopicId | undefined {
  if (!bytes || bytes.length !== 16) return undefined;
  const hex = Buffer.from(bytes).toString('hex');
  return topicId(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
}

export const NONE: commonV1.KafkaError = { code: 0, message: '' };

export function kafkaError(error: MetadataError): commonV1.KafkaError {
  return { code: error.code, message: error.message };
}

export function tenantToProto(t: Tenant, revision: bigint): metadataV1.Tenant {
  const q = effectiveQuotas(t);
  return {
    tenantId: { value: t.id },
    name: t.name,
    cell: t.cell,
    state: t.state === 'suspended' ? metadataV1.TenantState.SUSPENDED : metadataV1.TenantState.ACTIVE,
    quotas: {
      produceBytesPerSecond: BigInt(q.produceBytesPerSecond),
      fetchBytesPerSecond: BigInt(q.fetchBytesPerSecond),
      requestsPerSecond: BigInt(q.requestsPerSecond),
      maxConnections: q.maxConnections,
      connectionCreationsPerSecond: q.connectionsPerSecond,
      maxPartitions: t.limits.maxPartitions,
      maxStorageBytes: BigInt(q.storageBytes),
      partitionMutationsPerSecond: q.partitionMutationsPerSecond,
      maxTopics: t.limits.maxTopics,
    },
    createTimeMs: BigInt(t.createdAtMs),
    revision,
    labels: { ...t.labels },
  };
}

export function topicToProto(t: Topic, revision: bigint): metadataV1.Topic {
  return {
    topicId: { value: topicIdToBytes(t.topicId) },
    tenantId: { value: t.tenantId },
    name: t.name,
    partitionCount: t.partitionCount,
    replicationFactor: REPLICATION_FACTOR,
    internal: false,
    state: metadataV1.TopicState.ACTIVE,
    configs: { ...t.configs },
    createTimeMs: BigInt(t.createdAtMs),
    revision,
  };
}

export function partitionToProto(tenant: string, id: TopicId, p: PartitionState, revision: bigint): metadataV1.PartitionAssignment {
  return {
    partition: { topicId: { value: topicIdToBytes(id) }, partition: p.index },
    tenantId: { value: tenant },
    leaderNodeId: p.leader ?? '',
    leaderEpoch: p.leaderEpoch,
    replicaNodeIds: [...p.replicas],
    leaderGeneration: p.leaderGeneration ?? 0n,
    revision,
  };
}

export function apiKeyToProto(k: ApiKeyInfo): metadataV1.ApiKey {
  return {
    keyId: k.id,
    tenantId: { value: k.tenantId },
    description: k.description,
    state: metadataV1.ApiKeyState.ACTIVE,
    createTimeMs: BigInt(k.createdAtMs),
    revokeTimeMs: 0n,
    scramMechanisms: [metadataV1.ScramMechanism.SCRAM_SHA_256, metadataV1.ScramMechanism.SCRAM_SHA_512],
    superUser: k.superUser === true,
  };
}

const ROLE_TO_KIND = new Map<commonV1.NodeRole, NodeKind>([
  [commonV1.NodeRole.ROUTER, 'router'],
  [commonV1.NodeRole.BROKER, 'broker'],
  [commonV1.NodeRole.REPLICATION, 'replication'],
  [commonV1.NodeRole.TIERED_STORAGE, 'tiered-storage'],
]);

export function kindOfRole(role: commonV1.NodeRole): NodeKind | undefined {
  return ROLE_TO_KIND.get(role);
}

export function roleOfKind(kind: NodeKind): commonV1.NodeRole {
  for (const [role, k] of ROLE_TO_KIND) if (k === kind) return role;
  return commonV1.NodeRole.UNSPECIFIED;
}

export function nodeToProto(n: RegisteredNode, revision: bigint): metadataV1.NodeRegistration {
  return {
    node: { nodeId: n.id, role: roleOfKind(n.kind), placement: { cell: n.cell, availabilityZone: n.az }, grpcAddress: n.address },
    generation: n.generation,
    health: metadataV1.NodeHealth.READY,
    leaseTtlMs: BigInt(n.ttlSeconds * 1000),
    registerTimeMs: BigInt(n.registeredAtMs ?? 0),
    version: n.version ?? '',
    revision,
    kafkaNodeId: n.kafkaNodeId ?? 0,
    kafkaListeners: (n.kafkaListeners ?? []).map((l) => ({ ...l })),
  };
}

export function configEntryToProto(e: ConfigEntry, options: { documentation?: string; type: metadataV1.ConfigType }): metadataV1.ConfigEntry {
  return {
    name: e.name,
    value: e.value,
    readOnly: e.readOnly,
    source: e.isDefault ? metadataV1.ConfigSource.DEFAULT_CONFIG : metadataV1.ConfigSource.DYNAMIC_TOPIC_CONFIG,
    sensitive: e.sensitive,
    synonyms: [],
    type: options.type,
    documentation: options.documentation ?? '',
  };
}
