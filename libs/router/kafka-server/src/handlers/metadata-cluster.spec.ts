import { ErrorCode } from '@stratus/kafka-errors';
import type { MetadataResponse } from '@stratus/kafka-messages';
import { ZERO_UUID, uuidFromBytes } from '@stratus/kafka-protocol';
import { tenantClusterId } from '@stratus/router-cluster-view';
import type { TopicAutoCreator } from './metadata-auto-create';
import { clusterMetadataHandler } from './metadata-cluster';
import { clusterFixture, roundTrip, tenantContext } from './metadata-handlers.testkit';
import { TOPIC_OPERATIONS } from './metadata-topics';

const ALL_VERSIONS = Array.from({ length: 14 }, (_, v) => v);
const allTopics = (version: number) => ({ topics: version === 0 ? [] : null, allowAutoTopicCreation: false });

function fixture() {
  const view = clusterFixture();
  const orders = view.addTopic({ tenantId: 't1', name: 'orders', partitionCount: 6, leaderEpoch: 4 });
  view.addTopic({ tenantId: 't1', name: '__consumer_offsets', partitionCount: 1, internal: true });
  const theirs = view.addTopic({ tenantId: 't2', name: 'payments', partitionCount: 1 });
  return { view, orders, theirs };
}

describe('Metadata from the cluster view', () => {
  it.each(ALL_VERSIONS)('v%i: routers as brokers, the tenant’s cluster id, its own non-internal topics with same-AZ leaders', async (version) => {
    const { view, orders } = fixture();
    const res = await roundTrip<MetadataResponse>(clusterMetadataHandler({ view }), version, allTopics(version));
    expect(res.brokers.map((b) => [b.nodeId, b.host, b.port])).toEqual([1, 2, 3, 4, 5].map((n) => [n, `router-${n}.example`, 9092]));
    if (version >= 1) expect(res.brokers.map((b) => b.rack)).toEqual(['a', 'a', 'a', 'b', 'b']);
    if (version >= 1) expect(res.controllerId).toBe(1);
    if (version >= 2) expect(res.clusterId).toBe(tenantClusterId('t1'));
    expect(res.topics.map((t) => [t.name, t.errorCode, t.isInternal ?? false])).toEqual([['orders', 0, false]]);
    const topic = res.topics[0];
    if (version >= 10) expect(topic?.topicId).toBe(uuidFromBytes(orders.topicId, 0));
    const leaders = topic?.partitions.map((p) => p.leaderId) ?? [];
    expect(topic?.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    // Leaders only among routers 1-3 (AZ a, the answering router's), two partitions each.
    expect([...leaders].sort()).toEqual([1, 1, 2, 2, 3, 3]);
    for (const p of topic?.partitions ?? []) {
      expect(p.replicaNodes[0]).toBe(p.leaderId);
      expect(p.isrNodes).toEqual(p.replicaNodes);
      if (version >= 7) expect(p.leaderEpoch).toBe(4);
    }
  });

  it('answers the same leaders on every call (deterministic spread)', async () => {
    const { view } = fixture();
    const handler = clusterMetadataHandler({ view });
    const a = await roundTrip<MetadataResponse>(handler, 12, { topics: [{ name: 'orders' }] });
    const b = await roundTrip<MetadataResponse>(handler, 12, { topics: [{ name: 'orders' }] });
    expect(a.topics[0]?.partitions.map((p) => p.leaderId)).toEqual(b.topics[0]?.partitions.map((p) => p.leaderId));
  });

  it('makes another tenant’s topic look exactly like one that does not exist, by name and by id', async () => {
    const { view, theirs } = fixture();
    const handler = clusterMetadataHandler({ view });
    const byName = await roundTrip<MetadataResponse>(handler, 12, { topics: [{ name: 'payments' }, { name: 'never-created' }], allowAutoTopicCreation: false });
    expect(byName.topics.map((t) => ({ ...t, name: 'x' }))).toEqual([byName.topics[1], byName.topics[1]].map((t) => ({ ...t, name: 'x' })));
    expect(byName.topics[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const randomId = '0badc0de-0000-4000-8000-000000000001';
    const byId = await roundTrip<MetadataResponse>(handler, 12, { topics: [{ name: null, topicId: uuidFromBytes(theirs.topicId, 0) }, { name: null, topicId: randomId }] });
    expect(byId.topics.map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([
      [null, ErrorCode.UNKNOWN_TOPIC_ID, 0],
      [null, ErrorCode.UNKNOWN_TOPIC_ID, 0],
    ]);
    expect(byId.topics.map((t) => t.topicId)).toEqual([uuidFromBytes(theirs.topicId, 0), randomId]);
    // The other tenant sees its own topic.
    const own = await roundTrip<MetadataResponse>(handler, 12, { topics: [{ name: null, topicId: uuidFromBytes(theirs.topicId, 0) }] }, 't2');
    expect(own.topics[0]).toMatchObject({ name: 'payments', errorCode: 0 });
  });

  it('never shows internal topics, even when asked for by name', async () => {
    const { view } = fixture();
    const res = await roundTrip<MetadataResponse>(clusterMetadataHandler({ view }), 9, { topics: [{ name: '__consumer_offsets' }], allowAutoTopicCreation: false });
    expect(res.topics[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('reports an offline or unassigned partition as LEADER_NOT_AVAILABLE with leader -1', async () => {
    const { view, orders } = fixture();
    view.setPartition({ topicId: orders.topicId, partition: 2, leaderNodeId: undefined, leaderEpoch: 5, replicaNodeIds: [] });
    view.removePartition(orders.topicId, 3);
    const res = await roundTrip<MetadataResponse>(clusterMetadataHandler({ view }), 12, { topics: [{ name: 'orders' }] });
    const parts = res.topics[0]?.partitions ?? [];
    expect(parts.map((p) => [p.partitionIndex, p.errorCode, p.leaderId])).toEqual([
      [0, 0, expect.any(Number)],
      [1, 0, expect.any(Number)],
      [2, ErrorCode.LEADER_NOT_AVAILABLE, -1],
      [3, ErrorCode.LEADER_NOT_AVAILABLE, -1],
      [4, 0, expect.any(Number)],
      [5, 0, expect.any(Number)],
    ]);
    expect(parts[2]?.leaderEpoch).toBe(5);
  });

  it('answers an empty list with no topics (v1+), each name once, and an illegal name as INVALID_TOPIC_EXCEPTION', async () => {
    const { view } = fixture();
    const handler = clusterMetadataHandler({ view });
    expect((await roundTrip<MetadataResponse>(handler, 4, { topics: [] })).topics).toEqual([]);
    const res = await roundTrip<MetadataResponse>(handler, 12, { topics: [{ name: 'orders' }, { name: 'orders' }, { name: 'bad/name' }], allowAutoTopicCreation: false });
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['orders', 0],
      ['bad/name', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ]);
    expect(res.topics[1]?.topicId).toBe(ZERO_UUID);
  });

  it('reports authorised operations only when asked (KIP-430)', async () => {
    const { view } = fixture();
    const handler = clusterMetadataHandler({ view });
    const asked = await roundTrip<MetadataResponse>(handler, 10, { topics: [{ name: 'orders' }], includeTopicAuthorizedOperations: true, includeClusterAuthorizedOperations: true });
    expect(asked.topics[0]?.topicAuthorizedOperations).toBe(TOPIC_OPERATIONS);
    expect(asked.clusterAuthorizedOperations).toBeGreaterThan(0);
    const notAsked = await roundTrip<MetadataResponse>(handler, 10, { topics: [{ name: 'orders' }] });
    expect(notAsked.topics[0]?.topicAuthorizedOperations).toBe(-2147483648);
  });

  describe('auto-creation', () => {
    function creator(view: ReturnType<typeof fixture>['view'], outcome: number, options: { appear?: boolean } = {}) {
      const calls: Array<[string, readonly string[]]> = [];
      const autoCreate: TopicAutoCreator = {
        async create(tenant, names) {
          calls.push([tenant, names]);
          if (outcome === ErrorCode.NONE && options.appear !== false) for (const name of names) view.addTopic({ tenantId: tenant, name, partitionCount: 2 });
          return new Map(names.map((n) => [n, outcome]));
        },
      };
      return { autoCreate, calls };
    }

    it('creates unknown topics when the client allows it and answers them at once', async () => {
      const { view } = fixture();
      const { autoCreate, calls } = creator(view, ErrorCode.NONE);
      const res = await roundTrip<MetadataResponse>(clusterMetadataHandler({ view, autoCreate }), 12, { topics: [{ name: 'orders' }, { name: 'fresh' }], allowAutoTopicCreation: true });
      expect(calls).toEqual([['t1', ['fresh']]]);
      expect(res.topics.map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([
        ['orders', 0, 6],
        ['fresh', 0, 2],
      ]);
    });

    it('treats versions before 4 as allowing it, and never creates when the client says no', async () => {
      const { view } = fixture();
      const { autoCreate, calls } = creator(view, ErrorCode.NONE);
      const handler = clusterMetadataHandler({ view, autoCreate });
      await roundTrip<MetadataResponse>(handler, 3, { topics: [{ name: 'old-client' }] });
      const res = await roundTrip<MetadataResponse>(handler, 12, { topics: [{ name: 'no-create' }], allowAutoTopicCreation: false });
      expect(calls).toEqual([['t1', ['old-client']]]);
      expect(res.topics[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    });

    it('passes on why a creation was refused, and answers LEADER_NOT_AVAILABLE while a created topic is not visible yet', async () => {
      const { view } = fixture();
      const refused = await roundTrip<MetadataResponse>(clusterMetadataHandler({ view, autoCreate: creator(view, ErrorCode.POLICY_VIOLATION).autoCreate }), 12, {
        topics: [{ name: 'too-many' }],
        allowAutoTopicCreation: true,
      });
      expect(refused.topics[0]?.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
      const pending = await roundTrip<MetadataResponse>(clusterMetadataHandler({ view, autoCreate: creator(view, ErrorCode.NONE, { appear: false }).autoCreate }), 12, {
        topics: [{ name: 'slow' }],
        allowAutoTopicCreation: true,
      });
      expect(pending.topics[0]?.errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    });
  });

  it('refuses to answer a connection without a tenant', async () => {
    const { view } = fixture();
    const result = await clusterMetadataHandler({ view }).handle(tenantContext(3, 12, undefined), { topics: null });
    expect(result).toEqual({ violation: expect.any(String) });
  });
});

describe('Metadata before the cluster view is complete', () => {
  it('waits for the first snapshot, then answers', async () => {
    const { view } = fixture();
    let release: (ready: boolean) => void = () => undefined;
    const handler = clusterMetadataHandler({ view, readiness: { whenReady: () => new Promise<boolean>((r) => (release = r)) } });
    const pending = roundTrip<MetadataResponse>(handler, 12, { topics: null });
    await new Promise((r) => setImmediate(r));
    release(true);
    expect((await pending).topics.map((t) => t.name)).toEqual(['orders']);
  });

  it('closes the connection rather than deny topics it cannot know yet', async () => {
    const { view } = fixture();
    const handler = clusterMetadataHandler({ view, readiness: { whenReady: async () => false, timeoutMs: 5 } });
    expect(await handler.handle(tenantContext(3, 12, 't1'), { topics: null })).toEqual({ violation: expect.stringContaining('snapshot') });
  });
});
