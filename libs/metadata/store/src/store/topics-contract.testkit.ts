// Topic CRUD, validation and tenant isolation: run against in-memory and etcd KV stores.
import { topicId, unwrap, type MetadataError, type Result } from '@stratus/metadata-model';
import type { KvStore } from '../kv/kv';
import { makeFixture } from './fixtures.testkit';

export function errorOf<T>(result: Result<T>): MetadataError['name'] | 'ok' {
  return result.ok ? 'ok' : result.error.name;
}

export function topicsContract(kv: () => KvStore): void {
  it('creates a topic with placement on 3 AZs, leaders in the cell, epoch 0, and describes it by name and id', async () => {
    const { store, tenant } = await makeFixture(kv());
    const created = unwrap(await store.topics.create({ tenantId: tenant, name: 'orders', numPartitions: 6, configs: { 'retention.ms': '1000' } }));
    expect(created.topic.topicId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.partitions).toHaveLength(6);
    const azOf: Record<string, string> = { r1: 'az-a', r2: 'az-b', r3: 'az-c', r4: 'az-a' };
    for (const p of created.partitions) {
      expect(new Set(p.replicas.map((r) => azOf[r])).size).toBe(3);
      expect(['b1', 'b2']).toContain(p.leader);
      expect(p.leaderEpoch).toBe(0);
    }
    expect(new Set(created.partitions.map((p) => p.leader)).size).toBe(2);
    const byName = unwrap(await store.topics.describe(tenant, { name: 'orders' }));
    const byId = unwrap(await store.topics.describe(tenant, { topicId: created.topic.topicId }));
    expect(byName).toEqual(created);
    expect(byId).toEqual(created);
    expect((await store.topics.list(tenant)).map((t) => t.name)).toEqual(['orders']);
    expect(await store.tenants.usage(tenant)).toEqual({ topics: 1, partitions: 6 });
  });

  it('rejects every invalid create with the Kafka error a client expects', async () => {
    const { store, tenant } = await makeFixture(kv(), { limits: { maxPartitions: 10, maxTopics: 3 } });
    unwrap(await store.topics.create({ tenantId: tenant, name: 'a.b' }));
    const create = (over: object) => store.topics.create({ tenantId: tenant, name: 'x', ...over });
    expect(errorOf(await create({ name: 'a.b' }))).toBe('TOPIC_ALREADY_EXISTS');
    expect(errorOf(await create({ name: 'a_b' }))).toBe('INVALID_TOPIC_EXCEPTION');
    expect(errorOf(await create({ name: '..' }))).toBe('INVALID_TOPIC_EXCEPTION');
    expect(errorOf(await create({ name: 'bad/name' }))).toBe('INVALID_TOPIC_EXCEPTION');
    expect(errorOf(await create({ name: 'x'.repeat(250) }))).toBe('INVALID_TOPIC_EXCEPTION');
    expect(errorOf(await create({ numPartitions: 0 }))).toBe('INVALID_PARTITIONS');
    expect(errorOf(await create({ numPartitions: -2 }))).toBe('INVALID_PARTITIONS');
    expect(errorOf(await create({ replicationFactor: 2 }))).toBe('INVALID_REPLICATION_FACTOR');
    expect(errorOf(await create({ configs: { 'retention.ms': 'soon' } }))).toBe('INVALID_CONFIG');
    expect(errorOf(await create({ configs: { 'not.a.config': '1' } }))).toBe('INVALID_CONFIG');
    expect(errorOf(await create({ numPartitions: 10 }))).toBe('POLICY_VIOLATION');
    unwrap(await create({ name: 't2' }));
    unwrap(await create({ name: 't3' }));
    expect(errorOf(await create({ name: 't4' }))).toBe('POLICY_VIOLATION');
    expect(await store.tenants.usage(tenant)).toEqual({ topics: 3, partitions: 3 });
  });

  it('validateOnly checks everything and writes nothing', async () => {
    const { store, tenant } = await makeFixture(kv());
    const dry = unwrap(await store.topics.create({ tenantId: tenant, name: 'dry', numPartitions: 3, validateOnly: true }));
    expect(dry.partitions).toHaveLength(3);
    expect(await store.topics.list(tenant)).toEqual([]);
    expect(errorOf(await store.topics.create({ tenantId: tenant, name: 'dry', numPartitions: 0, validateOnly: true }))).toBe('INVALID_PARTITIONS');
  });

  it('deletes a topic by name or id; a re-created topic gets a new id', async () => {
    const { store, tenant } = await makeFixture(kv());
    const first = unwrap(await store.topics.create({ tenantId: tenant, name: 'events', numPartitions: 2 }));
    unwrap(await store.topics.delete(tenant, { name: 'events' }));
    expect(errorOf(await store.topics.describe(tenant, { name: 'events' }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorOf(await store.topics.delete(tenant, { name: 'events' }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const second = unwrap(await store.topics.create({ tenantId: tenant, name: 'events' }));
    expect(second.topic.topicId).not.toBe(first.topic.topicId);
    expect(errorOf(await store.topics.describe(tenant, { topicId: first.topic.topicId }))).toBe('UNKNOWN_TOPIC_ID');
    unwrap(await store.topics.delete(tenant, { topicId: second.topic.topicId }));
    expect(await store.tenants.usage(tenant)).toEqual({ topics: 0, partitions: 0 });
  });

  it('adds partitions and refuses to shrink or exceed limits', async () => {
    const { store, tenant } = await makeFixture(kv(), { limits: { maxPartitions: 8 } });
    unwrap(await store.topics.create({ tenantId: tenant, name: 'grow', numPartitions: 2 }));
    const grown = unwrap(await store.topics.addPartitions({ tenantId: tenant, name: 'grow', totalCount: 5 }));
    expect(grown.partitions.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
    expect(grown.topic.partitionCount).toBe(5);
    expect(errorOf(await store.topics.addPartitions({ tenantId: tenant, name: 'grow', totalCount: 5 }))).toBe('INVALID_PARTITIONS');
    expect(errorOf(await store.topics.addPartitions({ tenantId: tenant, name: 'grow', totalCount: 3 }))).toBe('INVALID_PARTITIONS');
    expect(errorOf(await store.topics.addPartitions({ tenantId: tenant, name: 'grow', totalCount: 9 }))).toBe('POLICY_VIOLATION');
    expect(errorOf(await store.topics.addPartitions({ tenantId: tenant, name: 'nope', totalCount: 9 }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const dry = unwrap(await store.topics.addPartitions({ tenantId: tenant, name: 'grow', totalCount: 6, validateOnly: true }));
    expect(dry.partitions).toHaveLength(6);
    expect(unwrap(await store.topics.describe(tenant, { name: 'grow' })).partitions).toHaveLength(5);
    expect(await store.tenants.usage(tenant)).toEqual({ topics: 1, partitions: 5 });
  });

  it('describes, alters and incrementally alters configs with validation', async () => {
    const { store, tenant } = await makeFixture(kv());
    unwrap(await store.topics.create({ tenantId: tenant, name: 'cfg', configs: { 'retention.ms': '1000', 'segment.ms': '5000' } }));
    const described = unwrap(await store.configs.describe(tenant, 'cfg'));
    expect(described.find((e) => e.name === 'retention.ms')).toMatchObject({ value: '1000', isDefault: false });
    expect(unwrap(await store.configs.alter({ tenantId: tenant, name: 'cfg', configs: { 'cleanup.policy': 'compact' } }))).toEqual({ 'cleanup.policy': 'compact' });
    expect(unwrap(await store.configs.incrementalAlter({ tenantId: tenant, name: 'cfg', ops: [{ name: 'cleanup.policy', op: 'APPEND', value: 'delete' }] }))).toEqual({
      'cleanup.policy': 'compact,delete',
    });
    expect(errorOf(await store.configs.incrementalAlter({ tenantId: tenant, name: 'cfg', ops: [{ name: 'min.insync.replicas', op: 'SET', value: '5' }] }))).toBe('INVALID_CONFIG');
    expect(errorOf(await store.configs.alter({ tenantId: tenant, name: 'cfg', configs: { bogus: '1' } }))).toBe('INVALID_CONFIG');
    unwrap(await store.configs.incrementalAlter({ tenantId: tenant, name: 'cfg', ops: [{ name: 'segment.ms', op: 'SET', value: '7' }], validateOnly: true }));
    expect(unwrap(await store.topics.describe(tenant, { name: 'cfg' })).topic.configs).toEqual({ 'cleanup.policy': 'compact,delete' });
    expect(errorOf(await store.configs.describe(tenant, 'missing'))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('isolates tenants: another tenant\'s topic is unknown for every call', async () => {
    const { store, tenant, other } = await makeFixture(kv());
    const mine = unwrap(await store.topics.create({ tenantId: tenant, name: 'secret-topic', numPartitions: 2 }));
    expect(await store.topics.list(other)).toEqual([]);
    expect(errorOf(await store.topics.describe(other, { name: 'secret-topic' }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorOf(await store.topics.describe(other, { topicId: mine.topic.topicId }))).toBe('UNKNOWN_TOPIC_ID');
    expect(errorOf(await store.topics.delete(other, { name: 'secret-topic' }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorOf(await store.topics.delete(other, { topicId: mine.topic.topicId }))).toBe('UNKNOWN_TOPIC_ID');
    expect(errorOf(await store.topics.addPartitions({ tenantId: other, name: 'secret-topic', totalCount: 4 }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorOf(await store.configs.describe(other, 'secret-topic'))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorOf(await store.configs.alter({ tenantId: other, name: 'secret-topic', configs: {} }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    // Path tricks cannot escape the tenant prefix either.
    expect(errorOf(await store.topics.describe(`${other}/../${tenant}` as typeof tenant, { name: 'secret-topic' }))).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorOf(await store.topics.describe(other, { topicId: topicId(`../${mine.topic.topicId}`) }))).toBe('UNKNOWN_TOPIC_ID');
    // The same name is free in the other tenant, and independent.
    const theirs = unwrap(await store.topics.create({ tenantId: other, name: 'secret-topic' }));
    expect(theirs.topic.topicId).not.toBe(mine.topic.topicId);
    expect(unwrap(await store.topics.describe(tenant, { name: 'secret-topic' })).partitions).toHaveLength(2);
  });

  it('serialises concurrent creates of one name: exactly one wins', async () => {
    const { store, tenant } = await makeFixture(kv());
    const results = await Promise.all(
      ['race', 'race', 'race', 'ra.ce', 'ra_ce'].map((name) => store.topics.create({ tenantId: tenant, name })),
    );
    const winners = results.filter((r) => r.ok);
    expect(winners.length).toBe(2);
    expect(results.filter((r) => !r.ok).map(errorOf).sort()).toEqual(['INVALID_TOPIC_EXCEPTION', 'TOPIC_ALREADY_EXISTS', 'TOPIC_ALREADY_EXISTS']);
    expect(await store.tenants.usage(tenant)).toEqual({ topics: 2, partitions: 2 });
  });
}
