import { commonV1, metadataV1 } from '@stratus/contracts';
import { FakeSource } from './fake-source.testkit';
import { MetadataClusterView } from './metadata-cluster-view';

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
const id = (n: number) => Buffer.from(n.toString(16).padStart(32, '0'), 'hex');

function topic(tenant: string, name: string, n: number, extra: Partial<metadataV1.Topic> = {}): metadataV1.Topic {
  return metadataV1.Topic.fromPartial({ topicId: { value: id(n) }, tenantId: { value: tenant }, name, partitionCount: 2, state: metadataV1.TopicState.ACTIVE, ...extra });
}

function assignment(n: number, partition: number, leader: string, epoch = 1): metadataV1.PartitionAssignment {
  return metadataV1.PartitionAssignment.fromPartial({ partition: { topicId: { value: id(n) }, partition }, leaderNodeId: leader, leaderEpoch: epoch, replicaNodeIds: ['s1', 's2', 's3'] });
}

function node(nodeId: string, role: commonV1.NodeRole, az: string, extra: Partial<metadataV1.NodeRegistration> = {}): metadataV1.NodeRegistration {
  return metadataV1.NodeRegistration.fromPartial({ node: { nodeId, role, placement: { cell: 'c', availabilityZone: az }, grpcAddress: `${nodeId}:7000` }, health: metadataV1.NodeHealth.READY, ...extra });
}

function routerNode(nodeId: string, kafkaNodeId: number, az: string, extra: Partial<metadataV1.NodeRegistration> = {}) {
  return node(nodeId, commonV1.NodeRole.ROUTER, az, { kafkaNodeId, kafkaListeners: [{ name: 'EXTERNAL', host: `${nodeId}.example`, port: 9092, securityProtocol: 'SASL_PLAINTEXT' }], ...extra });
}

function setup(options: { listenerName?: string } = {}) {
  const topics = new FakeSource<metadataV1.Topic>((t) => hex(t.topicId?.value));
  const partitions = new FakeSource<metadataV1.PartitionAssignment>((p) => `${hex(p.partition?.topicId?.value)}/${p.partition?.partition}`);
  const brokers = new FakeSource<metadataV1.NodeRegistration>((n) => n.node?.nodeId ?? '');
  const routers = new FakeSource<metadataV1.NodeRegistration>((n) => n.node?.nodeId ?? '');
  const current = { revision: 10n, fail: false };
  const view = new MetadataClusterView({
    sources: {
      topics,
      partitions,
      brokers,
      routers,
      currentRevision: async () => {
        if (current.fail) throw new Error('unreachable');
        return current.revision;
      },
    },
    self: { nodeId: 'r-self', host: 'self.example', port: 19092, availabilityZone: 'a' },
    ...options,
  });
  return { view, topics, partitions, brokers, routers, current };
}

describe('MetadataClusterView', () => {
  it('indexes topics per tenant by name and id; another tenant’s id is unknown; internal topics are not listed', () => {
    const { view, topics } = setup();
    topics.snapshot([topic('t1', 'orders', 1), topic('t2', 'orders', 2), topic('t1', '__offsets', 3, { internal: true }), topic('t1', 'audit', 4)], 5n);
    expect(view.topicByName('t1', 'orders')?.topicId).toEqual(id(1));
    expect(view.topicByName('t2', 'orders')?.topicId).toEqual(id(2));
    expect(view.topicById('t1', id(2))).toBeUndefined();
    expect(view.topicById('t2', id(2))?.name).toBe('orders');
    expect(view.topics('t1').map((t) => t.name)).toEqual(['audit', 'orders']);
    expect(view.topics('nobody')).toEqual([]);
  });

  it('follows puts and deletes, hides topics being deleted, and keeps a re-created name on its new id', () => {
    const { view, topics } = setup();
    topics.snapshot([topic('t1', 'orders', 1)], 5n);
    topics.put(topic('t1', 'orders', 1, { state: metadataV1.TopicState.DELETING }), 6n);
    expect(view.topicByName('t1', 'orders')).toBeUndefined();
    topics.put(topic('t1', 'orders', 7), 7n);
    topics.delete(topic('t1', 'orders', 1), 8n);
    expect(view.topicByName('t1', 'orders')?.topicId).toEqual(id(7));
    expect(view.topicById('t1', id(1))).toBeUndefined();
    topics.put(topic('t1', 'orders', 7, { partitionCount: 5 }), 9n);
    expect(view.topicByName('t1', 'orders')?.partitionCount).toBe(5);
    topics.delete(topic('t1', 'orders', 7), 10n);
    expect(view.topics('t1')).toEqual([]);
  });

  it('rebuilds from a fresh snapshot after a reset', () => {
    const { view, topics } = setup();
    topics.snapshot([topic('t1', 'a', 1), topic('t1', 'b', 2)], 5n);
    topics.snapshot([topic('t1', 'c', 3)], 50n);
    expect(view.topics('t1').map((t) => t.name)).toEqual(['c']);
  });

  it('maps partition assignments, with an empty leader as offline', () => {
    const { view, partitions } = setup();
    partitions.snapshot([assignment(1, 0, 'b1', 3), assignment(1, 1, '')], 5n);
    expect(view.partition(id(1), 0)).toEqual({ topicId: id(1), partition: 0, leaderNodeId: 'b1', leaderEpoch: 3, replicaNodeIds: ['s1', 's2', 's3'] });
    expect(view.partition(id(1), 1)?.leaderNodeId).toBeUndefined();
    partitions.put(assignment(1, 1, 'b2', 2), 6n);
    expect(view.partition(id(1), 1)?.leaderNodeId).toBe('b2');
    partitions.delete(assignment(1, 0, 'b1'), 7n);
    expect(view.partition(id(1), 0)).toBeUndefined();
    expect(view.partition(id(9), 0)).toBeUndefined();
  });

  it('tracks brokers by node id with their gRPC address and AZ', () => {
    const { view, brokers } = setup();
    brokers.snapshot([node('b1', commonV1.NodeRole.BROKER, 'a'), node('b2', commonV1.NodeRole.BROKER, 'b')], 5n);
    expect(view.broker('b2')).toEqual({ nodeId: 'b2', grpcAddress: 'b2:7000', availabilityZone: 'b' });
    brokers.delete(node('b1', commonV1.NodeRole.BROKER, 'a'), 6n);
    expect(view.brokers().map((b) => b.nodeId)).toEqual(['b2']);
  });

  it('advertises live routers with a Kafka listener ordered by Kafka node id, itself always included', () => {
    const { view, routers } = setup();
    routers.snapshot(
      [
        routerNode('r-9', 9, 'b'),
        routerNode('r-2', 2, 'a'),
        routerNode('r-drain', 4, 'a', { health: metadataV1.NodeHealth.DRAINING }),
        routerNode('r-nolistener', 5, 'a', { kafkaListeners: [] }),
      ],
      5n,
    );
    view.setKafkaNodeId(3);
    expect(view.routers().map((r) => [r.kafkaNodeId, r.host, r.availabilityZone])).toEqual([
      [2, 'r-2.example', 'a'],
      [3, 'self.example', 'a'],
      [9, 'r-9.example', 'b'],
    ]);
    expect(view.self()).toEqual({ nodeId: 'r-self', kafkaNodeId: 3, host: 'self.example', port: 19092, availabilityZone: 'a' });
    routers.delete(routerNode('r-2', 2, 'a'), 6n);
    expect(view.routers().map((r) => r.kafkaNodeId)).toEqual([3, 9]);
    view.setAdvertisedListener({ host: 'bound.example', port: 40001 });
    expect(view.routers()[0]).toMatchObject({ kafkaNodeId: 3, host: 'bound.example', port: 40001 });
  });

  it('advertises the named listener when one is configured', () => {
    const { view, routers } = setup({ listenerName: 'INTERNAL' });
    const listeners = [
      { name: 'EXTERNAL', host: 'ext', port: 9092, securityProtocol: 'SASL_SSL' },
      { name: 'INTERNAL', host: 'int', port: 9093, securityProtocol: 'SASL_PLAINTEXT' },
    ];
    routers.snapshot([routerNode('r-2', 2, 'a', { kafkaListeners: listeners }), routerNode('r-3', 3, 'a')], 5n);
    expect(view.routers().filter((r) => r.nodeId !== 'r-self').map((r) => [r.nodeId, r.host, r.port])).toEqual([['r-2', 'int', 9093]]);
  });

  it('takes its own Kafka node id from its watched registration, else a stable provisional one', () => {
    const { view, routers } = setup();
    const provisional = view.self().kafkaNodeId;
    expect(provisional).toBeGreaterThanOrEqual(0x40000000);
    expect(provisional).toBeLessThan(2 ** 31);
    expect(setup().view.self().kafkaNodeId).toBe(provisional);
    routers.snapshot([routerNode('r-self', 6, 'a')], 5n);
    expect(view.self().kafkaNodeId).toBe(6);
    // The advertised host and port stay the ones this router was configured with.
    expect(view.routers()).toEqual([{ nodeId: 'r-self', kafkaNodeId: 6, host: 'self.example', port: 19092, availabilityZone: 'a' }]);
  });

  describe('catchUp', () => {
    it('waits until the caches reach the metadata revision current at the call', async () => {
      const { view, topics, partitions, brokers, routers, current } = setup();
      topics.snapshot([], 5n);
      partitions.snapshot([], 5n);
      brokers.snapshot([], 5n);
      routers.snapshot([], 5n);
      current.revision = 8n;
      let done = false;
      const waiting = view.catchUp(5_000).then(() => (done = true));
      await new Promise((r) => setImmediate(r));
      expect(done).toBe(false);
      topics.put(topic('t1', 'new', 1), 8n);
      partitions.put(assignment(1, 0, 'b1'), 8n);
      brokers.progress(8n);
      routers.progress(8n);
      await waiting;
      expect(view.topicByName('t1', 'new')).toBeDefined();
      expect(view.partition(id(1), 0)).toBeDefined();
    });

    it('notices a revision reached by a progress message that carries no change', async () => {
      const { view, topics, partitions, brokers, routers, current } = setup();
      for (const s of [topics, partitions, brokers, routers]) s.isReady = true;
      current.revision = 12n;
      const waiting = view.catchUp(5_000);
      await new Promise((r) => setImmediate(r));
      // Progress as a WatchedMap applies it: the revision moves, no listener is called.
      for (const s of [topics, partitions, brokers, routers]) s.revision = 12n;
      await expect(waiting).resolves.toBeUndefined();
    });

    it('gives up at the timeout, and at once when metadata is unreachable', async () => {
      const { view, topics, current } = setup();
      topics.snapshot([], 5n);
      current.revision = 99n;
      const started = Date.now();
      await view.catchUp(50);
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      current.fail = true;
      await expect(view.catchUp(60_000)).resolves.toBeUndefined();
    });
  });

  it('closes its sources', () => {
    const { view, topics, routers } = setup();
    view.close();
    expect(topics.closed && routers.closed).toBe(true);
  });
});
