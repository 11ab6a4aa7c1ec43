// The etcd key space, all under one versioned prefix so a future layout can live beside this one
// during a migration. docs/metadata.md has the table; keep both in step.
import type { ApiKeyId, CellId, NodeId, TenantId, TopicId } from '@stratus/metadata-model';

export const DEFAULT_ROOT = '/stratus/v1/';

export type NodeKind = 'router' | 'broker' | 'replication' | 'tiered-storage';
export const NODE_KINDS: readonly NodeKind[] = ['router', 'broker', 'replication', 'tiered-storage'];

/** Segments we put in keys never contain '/', so prefixes cannot bleed into each other. */
function seg(value: string): string {
  if (value.length === 0 || value.includes('/')) throw new Error(`invalid key segment ${JSON.stringify(value)}`);
  return value;
}

export class Keyspace {
  constructor(readonly root: string = DEFAULT_ROOT) {
    if (!root.endsWith('/')) throw new Error('keyspace root must end with /');
  }

  /** Never written: counting it is the cheapest read of the store revision (watch/watch-progress.ts). */
  revisionProbe = (): string => `${this.root}revision-probe/`;

  cells = (): string => `${this.root}cells/`;
  cell = (id: CellId): string => `${this.cells()}${seg(id)}`;

  tenants = (): string => `${this.root}tenants/`;
  tenant = (id: TenantId): string => `${this.tenants()}${seg(id)}`;
  tenantName = (name: string): string => `${this.root}tenant-names/${seg(name)}`;
  tenantUsage = (id: TenantId): string => `${this.root}tenant-usage/${seg(id)}`;

  apiKeys = (): string => `${this.root}api-keys/`;
  apiKey = (id: ApiKeyId): string => `${this.apiKeys()}${seg(id)}`;

  /** Kafka ACL bindings of a tenant, one key per binding (store/acls.ts). */
  acls = (tenant?: TenantId): string => `${this.root}acls/${tenant === undefined ? '' : `${seg(tenant)}/`}`;
  acl = (tenant: TenantId, bindingId: string): string => `${this.acls(tenant)}${seg(bindingId)}`;

  topics = (tenant?: TenantId): string => `${this.root}topics/${tenant === undefined ? '' : `${seg(tenant)}/`}`;
  topic = (tenant: TenantId, name: string): string => `${this.topics(tenant)}${seg(name)}`;
  topicIds = (tenant: TenantId): string => `${this.root}topic-ids/${seg(tenant)}/`;
  topicId = (tenant: TenantId, id: TopicId): string => `${this.topicIds(tenant)}${seg(id)}`;
  topicCollisions = (tenant: TenantId): string => `${this.root}topic-collisions/${seg(tenant)}/`;
  topicCollision = (tenant: TenantId, collisionKey: string): string => `${this.topicCollisions(tenant)}${seg(collisionKey)}`;

  partitions = (tenant?: TenantId): string => `${this.root}partitions/${tenant === undefined ? '' : `${seg(tenant)}/`}`;
  topicPartitions = (tenant: TenantId, id: TopicId): string => `${this.partitions(tenant)}${seg(id)}`;

  nodes = (kind?: NodeKind): string => `${this.root}nodes/${kind === undefined ? '' : `${kind}/`}`;
  node = (kind: NodeKind, id: NodeId): string => `${this.nodes(kind)}${seg(id)}`;

  /** Next unassigned Kafka node id (routers), and the id each router node id was given. */
  kafkaNodeIdNext = (): string => `${this.root}kafka-node-ids/next`;
  kafkaNodeId = (id: NodeId): string => `${this.root}kafka-node-ids/nodes/${seg(id)}`;

  controller = (): string => `${this.root}controller`;
  producerIdNext = (): string => `${this.root}producer-ids/next`;
}
