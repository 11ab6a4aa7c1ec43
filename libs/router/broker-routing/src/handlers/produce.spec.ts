import { ErrorCode } from '@stratus/kafka-errors';
import type { ProduceResponse } from '@stratus/kafka-messages';
import { createMetrics } from '@stratus/platform-metrics';
import { uuidOf } from '../routing/routing-context';
import { buildBatch, harness, type Harness } from '../testing/harness.testkit';

const batch = (...values: string[]) => buildBatch({ records: values.map((v) => ({ value: Buffer.from(v) })) });

function setup(options: Parameters<typeof harness>[0] = {}): { h: Harness; orders: Buffer; audit: Buffer } {
  const h = harness(options);
  const orders = h.view.addTopic({ tenantId: 'tenant-1', name: 'orders', partitionCount: 2, leaderNodeId: 'broker-1' }).topicId;
  const audit = h.view.addTopic({ tenantId: 'tenant-1', name: 'audit', partitionCount: 1, leaderNodeId: 'broker-2' }).topicId;
  // Partition 1 of orders is led by broker-2 in both the view and the truth.
  h.view.setPartition({ topicId: orders, partition: 1, leaderNodeId: 'broker-2', leaderEpoch: 0, replicaNodeIds: [] });
  h.cluster.lead(orders, 0, 'broker-1');
  h.cluster.lead(orders, 1, 'broker-2');
  h.cluster.lead(audit, 0, 'broker-2');
  return { h, orders, audit };
}

const produceRequest = (topics: Array<{ name?: string; topicId?: string; partitions: Array<{ index: number; records: Buffer }> }>, acks = -1) => ({
  transactionalId: null,
  acks,
  timeoutMs: 5_000,
  topicData: topics.map((t) => ({ ...(t.name !== undefined ? { name: t.name } : {}), ...(t.topicId !== undefined ? { topicId: t.topicId } : {}), partitionData: t.partitions })),
});

describe('Produce routing', () => {
  it('splits partitions by leader broker, one request per broker, and merges answers in request order', async () => {
    const { h, orders } = setup();
    h.cluster.produce('broker-1', { header: undefined, acks: -1, transactionalId: '', partitions: [{ partition: { topicId: { value: orders }, partition: 0 }, records: batch('earlier') }] });
    h.cluster.received.length = 0;
    const { decoded } = await h.call(
      0,
      9,
      produceRequest([
        { name: 'orders', partitions: [{ index: 1, records: batch('o1') }, { index: 0, records: batch('o0-a', 'o0-b') }] },
        { name: 'audit', partitions: [{ index: 0, records: batch('a0') }] },
      ]),
    );
    const response = decoded as ProduceResponse;
    expect(response.responses.map((t) => [t.name, t.partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset])])).toEqual([
      ['orders', [[1, 0, 0n], [0, 0, 1n]]],
      ['audit', [[0, 0, 0n]]],
    ]);
    const sent = h.cluster.received.map((r) => [r.nodeId, (r.request as { partitions: unknown[] }).partitions.length]);
    expect(sent.sort()).toEqual([['broker-1', 1], ['broker-2', 2]]);
    // The tenant's request header travels with every broker request.
    expect(h.cluster.received.every((r) => (r.request as { header: { tenantId: { value: string } } }).header.tenantId.value === 'tenant-1')).toBe(true);
  });

  it('answers the oldest served version (v3) in its shape', async () => {
    const { h } = setup();
    const { decoded } = await h.call(0, 3, produceRequest([{ name: 'orders', partitions: [{ index: 0, records: batch('v3') }] }]));
    expect((decoded as ProduceResponse).responses[0]?.partitionResponses[0]).toMatchObject({ index: 0, errorCode: 0, baseOffset: 0n });
  });

  it('names topics by id from v13 and answers in that shape', async () => {
    const { h, orders } = setup();
    const { decoded } = await h.call(0, 13, produceRequest([{ topicId: uuidOf(orders), partitions: [{ index: 0, records: batch('x') }] }]));
    const response = decoded as ProduceResponse;
    expect(response.responses[0]?.topicId).toBe(uuidOf(orders));
    expect(response.responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.NONE);
  });

  it('answers unknown topics, other tenants topics and missing partitions alike, without calling a broker', async () => {
    const { h } = setup();
    const other = h.view.addTopic({ tenantId: 'tenant-2', name: 'secret', partitionCount: 1, leaderNodeId: 'broker-1' });
    h.cluster.lead(other.topicId, 0, 'broker-1');
    const { decoded } = await h.call(
      0,
      9,
      produceRequest([
        { name: 'nope', partitions: [{ index: 0, records: batch('x') }] },
        { name: 'secret', partitions: [{ index: 0, records: batch('x') }] },
        { name: 'orders', partitions: [{ index: 7, records: batch('x') }] },
      ]),
    );
    const codes = (decoded as ProduceResponse).responses.map((t) => t.partitionResponses[0]?.errorCode);
    expect(codes).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(h.cluster.received).toEqual([]);
    expect(h.cluster.batches(other.topicId, 0)).toEqual([]);
    // By id (v13) another tenant's topic id is as unknown as a random one.
    const byId = await h.call(0, 13, produceRequest([{ topicId: uuidOf(other.topicId), partitions: [{ index: 0, records: batch('x') }] }]));
    expect((byId.decoded as ProduceResponse).responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
  });

  it('retries after NOT_LEADER_OR_FOLLOWER once the view caught up, so the client sees success', async () => {
    const { h, orders } = setup();
    // Leadership moved to broker-2; the router's view learns it only on catch-up.
    h.cluster.lead(orders, 0, 'broker-2');
    h.view.onCatchUp = () => h.view.setPartition({ topicId: orders, partition: 0, leaderNodeId: 'broker-2', leaderEpoch: 1, replicaNodeIds: [] });
    const { decoded } = await h.call(0, 9, produceRequest([{ name: 'orders', partitions: [{ index: 0, records: batch('moved') }] }]));
    expect((decoded as ProduceResponse).responses[0]?.partitionResponses[0]).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0n });
    expect(h.view.catchUpCalls).toBeGreaterThanOrEqual(1);
    expect(h.cluster.received.map((r) => r.nodeId)).toEqual(['broker-1', 'broker-2']);
  });

  it('retries a broker stream failure on the same leader, and counts the retry', async () => {
    const metrics = createMetrics({ service: 'router-test', processMetrics: false });
    const { h } = setup({ metrics });
    h.brokers.failNext('broker-1');
    const { decoded } = await h.call(0, 9, produceRequest([{ name: 'orders', partitions: [{ index: 0, records: batch('again') }] }]));
    expect((decoded as ProduceResponse).responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.NONE);
    expect(await metrics.render()).toMatch(/stratus_router_retried_partitions_total\{api="Produce"\} 1/);
  });

  it('gives up with NOT_LEADER_OR_FOLLOWER and a KIP-951 hint naming a same-AZ router when leadership never settles', async () => {
    const { h, orders } = setup();
    h.cluster.lead(orders, 0, 'broker-2');
    const { decoded } = await h.call(0, 10, produceRequest([{ name: 'orders', partitions: [{ index: 0, records: batch('x') }] }]));
    const response = decoded as ProduceResponse;
    const partition = response.responses[0]?.partitionResponses[0];
    expect(partition?.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect([1, 2]).toContain(partition?.currentLeader?.leaderId);
    expect(response.nodeEndpoints?.map((n) => [n.nodeId, n.rack])).toEqual([[partition?.currentLeader?.leaderId, 'az-a']]);
    expect(h.view.catchUpCalls).toBe(3);
  });

  it('answers LEADER_NOT_AVAILABLE for an offline partition', async () => {
    const { h, orders } = setup();
    h.view.setPartition({ topicId: orders, partition: 0, leaderNodeId: undefined, leaderEpoch: 1, replicaNodeIds: [] });
    const { decoded } = await h.call(0, 9, produceRequest([{ name: 'orders', partitions: [{ index: 0, records: batch('x') }] }]));
    expect((decoded as ProduceResponse).responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    expect(h.cluster.received).toEqual([]);
  });

  it('appends with acks=0 and asks the connection to send nothing', async () => {
    const { h, orders } = setup();
    const { result } = await h.call(0, 9, produceRequest([{ name: 'orders', partitions: [{ index: 0, records: batch('fire', 'forget') }] }], 0));
    expect(result.noResponse).toBe(true);
    expect(h.cluster.batches(orders, 0)).toHaveLength(1);
    expect((h.cluster.received[0]?.request as { acks: number }).acks).toBe(0);
  });

  it('rejects acks other than -1, 0 and 1 with INVALID_REQUIRED_ACKS', async () => {
    const { h } = setup();
    const { result, decoded } = await h.call(0, 9, produceRequest([{ name: 'orders', partitions: [{ index: 0, records: batch('x') }] }], 2));
    expect(result.noResponse).toBeUndefined();
    expect((decoded as ProduceResponse).responses[0]?.partitionResponses[0]?.errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect(h.cluster.received).toEqual([]);
  });

  it('namespaces the transactional id in the tenant', async () => {
    const { h } = setup();
    await h.call(0, 9, { ...produceRequest([{ name: 'orders', partitions: [{ index: 0, records: batch('x') }] }]), transactionalId: 'tx-1' });
    expect((h.cluster.received[0]?.request as { transactionalId: string }).transactionalId).toBe('tenant-1/tx-1');
  });
  it('sends concurrent requests of one tenant for one broker as one broker message, answering each client its own partitions', async () => {
    const metrics = createMetrics({ service: 'router-test', processMetrics: false });
    const { h } = setup({ metrics, coalesceProduce: true });
    const [first, second] = await Promise.all([
      h.call(0, 9, produceRequest([{ name: 'orders', partitions: [{ index: 1, records: batch('x1') }] }])),
      h.call(0, 9, produceRequest([{ name: 'audit', partitions: [{ index: 0, records: batch('a1', 'a2') }] }])),
    ]);
    expect(h.cluster.received.map((r) => [r.nodeId, (r.request as { partitions: unknown[] }).partitions.length])).toEqual([['broker-2', 2]]);
    expect((first.decoded as ProduceResponse).responses.map((t) => [t.name, t.partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset])])).toEqual([['orders', [[1, 0, 0n]]]]);
    expect((second.decoded as ProduceResponse).responses.map((t) => [t.name, t.partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset])])).toEqual([['audit', [[0, 0, 0n]]]]);
    expect(await metrics.render()).toMatch(/stratus_router_produce_requests_per_broker_message_bucket\{le="2"\} 1/);
  });

  it('sends every request on its own by default (coalesceProduce off)', async () => {
    const { h } = setup();
    await Promise.all([
      h.call(0, 9, produceRequest([{ name: 'orders', partitions: [{ index: 1, records: batch('x1') }] }])),
      h.call(0, 9, produceRequest([{ name: 'audit', partitions: [{ index: 0, records: batch('a1') }] }])),
    ]);
    expect(h.cluster.received.map((r) => r.nodeId)).toEqual(['broker-2', 'broker-2']);
  });
});
