import { InMemoryClusterView } from './in-memory-cluster-view';

const self = { nodeId: 'r1', kafkaNodeId: 1, host: 'h1', port: 9092, availabilityZone: 'a' };

describe('InMemoryClusterView', () => {
  it('applies the same visibility rules as the real view', () => {
    const view = new InMemoryClusterView({ self, brokers: [{ nodeId: 'b1', grpcAddress: 'b1:7000', availabilityZone: 'a' }] });
    const mine = view.addTopic({ tenantId: 't1', name: 'orders', partitionCount: 3 });
    view.addTopic({ tenantId: 't1', name: '__offsets', partitionCount: 1, internal: true });
    const theirs = view.addTopic({ tenantId: 't2', name: 'orders', partitionCount: 1 });
    expect(view.topics('t1').map((t) => t.name)).toEqual(['orders']);
    expect(view.topicById('t1', theirs.topicId)).toBeUndefined();
    expect(view.topicByName('t2', 'orders')?.topicId).toEqual(theirs.topicId);
    expect(view.partition(mine.topicId, 2)).toMatchObject({ leaderNodeId: 'b1', leaderEpoch: 0 });
    expect(view.partition(mine.topicId, 3)).toBeUndefined();
  });

  it('re-adding a name replaces the topic and its partitions; offline partitions have no leader', () => {
    const view = new InMemoryClusterView({ self });
    const first = view.addTopic({ tenantId: 't1', name: 'x', partitionCount: 2, leaderNodeId: 'b1' });
    const second = view.addTopic({ tenantId: 't1', name: 'x', partitionCount: 1, leaderNodeId: null });
    expect(view.partition(first.topicId, 0)).toBeUndefined();
    expect(view.partition(second.topicId, 0)?.leaderNodeId).toBeUndefined();
  });

  it('orders routers by Kafka node id and counts catch-ups, running the hook', async () => {
    const view = new InMemoryClusterView({ self, routers: [{ ...self, nodeId: 'r0', kafkaNodeId: 0 }] });
    view.setRouter({ ...self, nodeId: 'r5', kafkaNodeId: 5 });
    expect(view.routers().map((r) => r.kafkaNodeId)).toEqual([0, 1, 5]);
    expect(() => view.removeRouter('r1')).toThrow();
    view.onCatchUp = () => view.addTopic({ tenantId: 't1', name: 'late', partitionCount: 1 });
    await view.catchUp(100);
    expect(view.catchUpCalls).toBe(1);
    expect(view.topicByName('t1', 'late')).toBeDefined();
  });
});
