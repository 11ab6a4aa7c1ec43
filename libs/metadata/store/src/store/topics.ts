// Topics of a tenant: every call is scoped by tenant id, and every key it touches lives under that
// tenant's prefixes, so another tenant's topic is simply "unknown" (UNKNOWN_TOPIC_OR_PARTITION).
// Create, delete and add-partitions are each one etcd transaction that also updates the tenant's
// usage counter and compares every key it read on its revision.
import {
  epoch,
  fail,
  newTopicId,
  ok,
  placePartitions,
  REPLICATION_FACTOR,
  topicCollisionKey,
  validateTopicConfigs,
  validateTopicName,
  type Result,
  type TenantId,
  type TopicId,
} from '@stratus/metadata-model';
import type { KvCompare, KvOp } from '../kv/kv';
import { encode } from './codec';
import { CONFLICT, isKeySegment, readJson, retryOnConflict, versioned, type StoreContext, type Versioned } from './context';
import type { NodeStore } from './nodes';
import { loadPlacementInput } from './placement-input';
import type { PartitionState, Tenant, TenantUsage, Topic, TopicPartitions } from './types';

/** Keeps one topic's partition document well under etcd's 1.5 MiB value limit. */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;
export const DEFAULT_NUM_PARTITIONS = 1;

export interface CreateTopicRequest {
  readonly tenantId: TenantId;
  readonly name: string;
  /** -1 or omitted: the default (1), as CreateTopics v4+ allows. */
  readonly numPartitions?: number;
  /** -1 or omitted: 3, the only replication factor Stratus offers. */
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string | null>>;
  readonly validateOnly?: boolean;
}

export interface TopicDescription {
  readonly topic: Topic;
  readonly partitions: readonly PartitionState[];
}

export type TopicRef = { readonly name: string } | { readonly topicId: TopicId };

const unknownTopic = (ref: TopicRef): Result<never> =>
  'name' in ref
    ? fail('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.')
    : fail('UNKNOWN_TOPIC_ID', 'This server does not host this topic ID.');

interface TenantState {
  readonly tenant: Versioned<Tenant>;
  readonly usage: Versioned<TenantUsage>;
}

export class TopicStore {
  constructor(
    private readonly ctx: StoreContext,
    private readonly nodes: NodeStore,
  ) {}

  async create(request: CreateTopicRequest): Promise<Result<TopicDescription>> {
    const name = validateTopicName(request.name);
    if (!name.ok) return name;
    const numPartitions = request.numPartitions === undefined || request.numPartitions === -1 ? DEFAULT_NUM_PARTITIONS : request.numPartitions;
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      return fail('INVALID_PARTITIONS', 'Number of partitions must be larger than 0.');
    }
    if (numPartitions > MAX_PARTITIONS_PER_TOPIC) {
      return fail('INVALID_PARTITIONS', `Number of partitions must not exceed ${MAX_PARTITIONS_PER_TOPIC}.`);
    }
    const rf = request.replicationFactor ?? -1;
    if (rf !== -1 && rf !== REPLICATION_FACTOR) {
      return fail('INVALID_REPLICATION_FACTOR', `Replication factor must be ${REPLICATION_FACTOR} (or -1 for the default).`);
    }
    const configs = validateTopicConfigs(request.configs ?? {});
    if (!configs.ok) return configs;
    const keys = this.ctx.keys;
    return retryOnConflict(async () => {
      const state = await this.tenantState(request.tenantId);
      if (!state.ok) return state;
      const { tenant, usage } = state.value;
      const existing = await this.ctx.kv.get(keys.topic(request.tenantId, request.name));
      if (existing) return fail('TOPIC_ALREADY_EXISTS', `Topic '${request.name}' already exists.`);
      const collisionKey = keys.topicCollision(request.tenantId, topicCollisionKey(request.name));
      const collision = await this.ctx.kv.get(collisionKey);
      if (collision) {
        // The two reads above are not atomic: a concurrent create of this very name can commit
        // between them, and then the collision entry names the topic itself.
        const holder = collision.value.toString();
        if (holder === request.name) return fail('TOPIC_ALREADY_EXISTS', `Topic '${request.name}' already exists.`);
        return fail('INVALID_TOPIC_EXCEPTION', `Topic '${request.name}' collides with existing topic: ${holder}`);
      }
      const policy = this.checkLimits(tenant.value, usage.value, { topics: 1, partitions: numPartitions });
      if (!policy.ok) return policy;
      const input = await loadPlacementInput(this.ctx, this.nodes);
      const placed = placePartitions({ cell: tenant.value.cell, count: numPartitions, ...input });
      if (!placed.ok) return placed;
      const topic: Topic = {
        tenantId: request.tenantId,
        name: request.name,
        topicId: newTopicId(),
        partitionCount: numPartitions,
        configs: configs.value,
        createdAtMs: this.ctx.now(),
      };
      const partitions: PartitionState[] = placed.value.map((p, index) => ({ index, leader: p.leader, leaderEpoch: epoch(0), leaderGeneration: p.leaderGeneration, replicas: p.replicas }));
      if (request.validateOnly) return ok({ topic, partitions });
      const doc: TopicPartitions = { tenantId: topic.tenantId, topicId: topic.topicId, partitions };
      const result = await this.ctx.kv.txn(
        [
          ...this.tenantCompares(request.tenantId, state.value),
          { key: keys.topic(request.tenantId, request.name), target: 'createRevision', op: '==', value: 0n },
          { key: collisionKey, target: 'createRevision', op: '==', value: 0n },
        ],
        [
          { type: 'put', key: keys.topic(topic.tenantId, topic.name), value: encode(topic) },
          { type: 'put', key: keys.topicId(topic.tenantId, topic.topicId), value: topic.name },
          { type: 'put', key: collisionKey, value: topic.name },
          { type: 'put', key: keys.topicPartitions(topic.tenantId, topic.topicId), value: encode(doc) },
          this.usagePut(request.tenantId, usage.value, { topics: 1, partitions: numPartitions }),
        ],
      );
      return result.succeeded ? ok({ topic, partitions }) : CONFLICT;
    });
  }

  async delete(tenant: TenantId, ref: TopicRef): Promise<Result<Topic>> {
    const keys = this.ctx.keys;
    return retryOnConflict(async () => {
      const found = await this.find(tenant, ref);
      if (!found) return unknownTopic(ref);
      const state = await this.tenantState(tenant);
      if (!state.ok) return unknownTopic(ref);
      const topic = found.value;
      const ops: KvOp[] = [
        { type: 'delete', key: keys.topic(tenant, topic.name) },
        { type: 'delete', key: keys.topicId(tenant, topic.topicId) },
        { type: 'delete', key: keys.topicCollision(tenant, topicCollisionKey(topic.name)) },
        { type: 'delete', key: keys.topicPartitions(tenant, topic.topicId) },
        this.usagePut(tenant, state.value.usage.value, { topics: -1, partitions: -topic.partitionCount }),
      ];
      const result = await this.ctx.kv.txn(
        [...this.tenantCompares(tenant, state.value), { key: keys.topic(tenant, topic.name), target: 'modRevision', op: '==', value: found.modRevision }],
        ops,
      );
      return result.succeeded ? ok(topic) : CONFLICT;
    });
  }

  async list(tenant: TenantId): Promise<Topic[]> {
    if (!isKeySegment(tenant)) return [];
    const { entries } = await this.ctx.kv.range(this.ctx.keys.topics(tenant));
    return entries.map((e) => versioned<Topic>(e).value);
  }

  async describe(tenant: TenantId, ref: TopicRef): Promise<Result<TopicDescription>> {
    const found = await this.find(tenant, ref);
    if (!found) return unknownTopic(ref);
    const parts = await readJson<TopicPartitions>(this.ctx.kv, this.ctx.keys.topicPartitions(tenant, found.value.topicId));
    return ok({ topic: found.value, partitions: parts?.value.partitions ?? [] });
  }

  /** CreatePartitions: grows a topic to `totalCount` partitions (Kafka never shrinks a topic). */
  async addPartitions(request: { tenantId: TenantId; name: string; totalCount: number; validateOnly?: boolean }): Promise<Result<TopicDescription>> {
    const keys = this.ctx.keys;
    const ref = { name: request.name };
    return retryOnConflict(async () => {
      const found = await this.find(request.tenantId, ref);
      if (!found) return unknownTopic(ref);
      const current = found.value.partitionCount;
      if (!Number.isInteger(request.totalCount) || request.totalCount <= current) {
        return fail(
          'INVALID_PARTITIONS',
          request.totalCount === current
            ? `Topic already has ${current} partitions.`
            : `Topic currently has ${current} partitions, which is higher than the requested ${request.totalCount}.`,
        );
      }
      if (request.totalCount > MAX_PARTITIONS_PER_TOPIC) {
        return fail('INVALID_PARTITIONS', `Number of partitions must not exceed ${MAX_PARTITIONS_PER_TOPIC}.`);
      }
      const state = await this.tenantState(request.tenantId);
      if (!state.ok) return unknownTopic(ref);
      const added = request.totalCount - current;
      const policy = this.checkLimits(state.value.tenant.value, state.value.usage.value, { topics: 0, partitions: added });
      if (!policy.ok) return policy;
      const partsKey = keys.topicPartitions(request.tenantId, found.value.topicId);
      const parts = await readJson<TopicPartitions>(this.ctx.kv, partsKey);
      if (!parts) return CONFLICT;
      const placed = placePartitions({ cell: state.value.tenant.value.cell, count: added, ...(await loadPlacementInput(this.ctx, this.nodes)) });
      if (!placed.ok) return placed;
      const partitions = [
        ...parts.value.partitions,
        ...placed.value.map((p, i) => ({ index: current + i, leader: p.leader, leaderEpoch: epoch(0), leaderGeneration: p.leaderGeneration, replicas: p.replicas })),
      ];
      const topic: Topic = { ...found.value, partitionCount: request.totalCount };
      if (request.validateOnly) return ok({ topic, partitions });
      const compares: KvCompare[] = [
        ...this.tenantCompares(request.tenantId, state.value),
        { key: keys.topic(request.tenantId, request.name), target: 'modRevision', op: '==', value: found.modRevision },
        { key: partsKey, target: 'modRevision', op: '==', value: parts.modRevision },
      ];
      const result = await this.ctx.kv.txn(compares, [
        { type: 'put', key: keys.topic(request.tenantId, request.name), value: encode(topic) },
        { type: 'put', key: partsKey, value: encode({ ...parts.value, partitions }) },
        this.usagePut(request.tenantId, state.value.usage.value, { topics: 0, partitions: added }),
      ]);
      return result.succeeded ? ok({ topic, partitions }) : CONFLICT;
    });
  }

  /** Loads a topic by name or id, only ever under the caller's tenant. */
  async find(tenant: TenantId, ref: TopicRef): Promise<Versioned<Topic> | undefined> {
    if (!isKeySegment(tenant)) return undefined;
    let name: string;
    if ('name' in ref) {
      name = ref.name;
    } else {
      if (!isKeySegment(ref.topicId)) return undefined;
      const byId = await this.ctx.kv.get(this.ctx.keys.topicId(tenant, ref.topicId));
      if (!byId) return undefined;
      name = byId.value.toString();
    }
    if (!isKeySegment(name)) return undefined;
    return readJson<Topic>(this.ctx.kv, this.ctx.keys.topic(tenant, name));
  }

  private async tenantState(id: TenantId): Promise<Result<TenantState>> {
    if (!isKeySegment(id)) return fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);
    const [tenant, usage] = await Promise.all([
      readJson<Tenant>(this.ctx.kv, this.ctx.keys.tenant(id)),
      readJson<TenantUsage>(this.ctx.kv, this.ctx.keys.tenantUsage(id)),
    ]);
    if (!tenant || !usage) return fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);
    return ok({ tenant, usage });
  }

  private tenantCompares(id: TenantId, state: TenantState): KvCompare[] {
    return [
      { key: this.ctx.keys.tenant(id), target: 'modRevision', op: '==', value: state.tenant.modRevision },
      { key: this.ctx.keys.tenantUsage(id), target: 'modRevision', op: '==', value: state.usage.modRevision },
    ];
  }

  private usagePut(id: TenantId, usage: TenantUsage, delta: TenantUsage): KvOp {
    const next: TenantUsage = { topics: usage.topics + delta.topics, partitions: usage.partitions + delta.partitions };
    return { type: 'put', key: this.ctx.keys.tenantUsage(id), value: encode(next) };
  }

  /** Tenant limits answer POLICY_VIOLATION, as a CreateTopicPolicy rejection does in Kafka. */
  private checkLimits(tenant: Tenant, usage: TenantUsage, delta: TenantUsage): Result<true> {
    if (usage.topics + delta.topics > tenant.limits.maxTopics) {
      return fail('POLICY_VIOLATION', `Tenant topic limit of ${tenant.limits.maxTopics} would be exceeded.`);
    }
    if (usage.partitions + delta.partitions > tenant.limits.maxPartitions) {
      return fail(
        'POLICY_VIOLATION',
        `Tenant partition limit of ${tenant.limits.maxPartitions} would be exceeded (${usage.partitions} in use, ${delta.partitions} requested).`,
      );
    }
    return ok(true);
  }
}
