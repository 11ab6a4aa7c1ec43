import { ErrorCode } from '@stratus/kafka-errors';
import type { DeleteRecordsResponse, DescribeProducersResponse, InitProducerIdResponse, ListOffsetsResponse, OffsetForLeaderEpochResponse } from '@stratus/kafka-messages';
import { buildBatch, harness, type Harness } from '../testing/harness.testkit';

function setup(options: Parameters<typeof harness>[0] = {}): { h: Harness; orders: Buffer } {
  const h = harness(options);
  const orders = h.view.addTopic({ tenantId: 'tenant-1', name: 'orders', partitionCount: 2, leaderNodeId: 'broker-1' }).topicId;
  h.view.setPartition({ topicId: orders, partition: 1, leaderNodeId: 'broker-2', leaderEpoch: 0, replicaNodeIds: [] });
  h.cluster.lead(orders, 0, 'broker-1');
  h.cluster.lead(orders, 1, 'broker-2');
  for (const [node, p, n] of [['broker-1', 0, 3], ['broker-2', 1, 5]] as const) {
    const records = buildBatch({ records: Array.from({ length: n }, (_, i) => ({ value: Buffer.from(`v${i}`) })) });
    h.cluster.produce(node, { header: undefined, acks: -1, transactionalId: '', partitions: [{ partition: { topicId: { value: orders }, partition: p }, records }] });
  }
  h.cluster.received.length = 0;
  return { h, orders };
}

describe('ListOffsets routing', () => {
  it('answers earliest and latest per partition from each leader, unknown topics as unknown', async () => {
    const { h } = setup();
    const { decoded } = await h.call(2, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }, { partitionIndex: 1, currentLeaderEpoch: -1, timestamp: -1n }, { partitionIndex: 1, currentLeaderEpoch: -1, timestamp: -2n }] },
        { name: 'missing', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] },
      ],
    });
    const response = decoded as ListOffsetsResponse;
    expect(response.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode, p.offset])])).toEqual([
      ['orders', [[0, 0, 3n], [1, 0, 5n], [1, 0, 0n]]],
      ['missing', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n]]],
    ]);
    expect(h.cluster.received.map((r) => r.nodeId).sort()).toEqual(['broker-1', 'broker-2']);
  });

  it('retries on the new leader after a move', async () => {
    const { h, orders } = setup();
    h.cluster.lead(orders, 0, 'broker-2');
    h.view.onCatchUp = () => h.view.setPartition({ topicId: orders, partition: 0, leaderNodeId: 'broker-2', leaderEpoch: 1, replicaNodeIds: [] });
    const { decoded } = await h.call(2, 7, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }] });
    expect((decoded as ListOffsetsResponse).topics[0]?.partitions[0]).toMatchObject({ errorCode: 0, offset: 3n });
    expect(h.cluster.received.map((r) => r.nodeId)).toEqual(['broker-1', 'broker-2']);
  });
});

describe('OffsetForLeaderEpoch and DeleteRecords routing', () => {
  it('asks each leader for the end offset of an epoch', async () => {
    const { h } = setup();
    const { decoded } = await h.call(23, 4, { replicaId: -1, topics: [{ topic: 'orders', partitions: [{ partition: 1, currentLeaderEpoch: 0, leaderEpoch: 0 }] }] });
    expect((decoded as OffsetForLeaderEpochResponse).topics[0]?.partitions[0]).toMatchObject({ errorCode: 0, partition: 1, leaderEpoch: 0, endOffset: 5n });
  });

  it('moves log start offsets and reports the low watermark; beyond the end is OFFSET_OUT_OF_RANGE', async () => {
    const { h } = setup();
    const { decoded } = await h.call(21, 2, {
      timeoutMs: 1000,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 2n }, { partitionIndex: 1, offset: 99n }] }],
    });
    expect((decoded as DeleteRecordsResponse).topics[0]?.partitions.map((p) => [p.partitionIndex, p.errorCode, p.lowWatermark])).toEqual([
      [0, 0, 2n],
      [1, ErrorCode.OFFSET_OUT_OF_RANGE, -1n],
    ]);
  });
});

describe('InitProducerId routing', () => {
  it('gets an idempotent producer id from a broker of the router AZ, retrying another after a failure', async () => {
    const { h } = setup();
    h.brokers.failNext('broker-1');
    const { decoded } = await h.call(22, 4, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
    expect(decoded as InitProducerIdResponse).toMatchObject({ errorCode: 0, producerId: 1000n, producerEpoch: 0 });
  });

  it('answers COORDINATOR_NOT_AVAILABLE for a transactional id while no coordinator is known', async () => {
    const { h } = setup();
    const { decoded } = await h.call(22, 4, { transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
    expect(decoded as InitProducerIdResponse).toMatchObject({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, producerId: -1n, producerEpoch: -1 });
    expect(h.cluster.received).toEqual([]);
  });

  it('sends a transactional id, namespaced in the tenant, to its coordinator', async () => {
    const asked: string[] = [];
    const { h } = setup({ transactionCoordinator: (_tenant, id) => (asked.push(id), 'broker-2') });
    const { decoded } = await h.call(22, 4, { transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
    expect((decoded as InitProducerIdResponse).errorCode).toBe(0);
    expect(asked).toEqual(['tenant-1/tx']);
    expect(h.cluster.received.map((r) => [r.nodeId, (r.request as { transactionalId: string }).transactionalId])).toEqual([['broker-2', 'tenant-1/tx']]);
  });
});

describe('DescribeProducers routing (KIP-664)', () => {
  const idempotent = (h: Harness, node: string, topicId: Buffer, partition: number, batch: { producerId: bigint; producerEpoch: number; baseSequence: number; n: number; at: bigint }) => {
    const records = buildBatch({
      records: Array.from({ length: batch.n }, (_, i) => ({ value: Buffer.from(`p${i}`), timestamp: batch.at + BigInt(i) })),
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
    });
    h.cluster.produce(node, { header: undefined, acks: -1, transactionalId: '', partitions: [{ partition: { topicId: { value: topicId }, partition }, records }] });
  };

  it("asks each partition's leader and answers its producers under the client's topic names; unknown topics and partitions as Kafka does", async () => {
    const { h, orders } = setup();
    idempotent(h, 'broker-1', orders, 0, { producerId: 77n, producerEpoch: 2, baseSequence: 0, n: 4, at: 5_000n });
    idempotent(h, 'broker-1', orders, 0, { producerId: 77n, producerEpoch: 2, baseSequence: 4, n: 2, at: 6_000n });
    idempotent(h, 'broker-2', orders, 1, { producerId: 78n, producerEpoch: 0, baseSequence: 0, n: 1, at: 7_000n });
    h.cluster.received.length = 0;
    const { decoded } = await h.call(61, 0, { topics: [{ name: 'orders', partitionIndexes: [0, 1, 5] }, { name: 'missing', partitionIndexes: [0] }] });
    const response = decoded as DescribeProducersResponse;
    expect(response.topics).toEqual([
      {
        name: 'orders',
        partitions: [
          { partitionIndex: 0, errorCode: 0, errorMessage: null, activeProducers: [{ producerId: 77n, producerEpoch: 2, lastSequence: 5, lastTimestamp: 6_001n, coordinatorEpoch: -1, currentTxnStartOffset: -1n }] },
          { partitionIndex: 1, errorCode: 0, errorMessage: null, activeProducers: [{ producerId: 78n, producerEpoch: 0, lastSequence: 0, lastTimestamp: 7_000n, coordinatorEpoch: -1, currentTxnStartOffset: -1n }] },
          { partitionIndex: 5, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] },
        ],
      },
      { name: 'missing', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null, activeProducers: [] }] },
    ]);
    expect(h.cluster.received.map((r) => [r.nodeId, r.rpc]).sort()).toEqual([
      ['broker-1', 'describeProducers'],
      ['broker-2', 'describeProducers'],
    ]);
  });

  it("another tenant's topic of the same name is unknown, and never reaches a broker", async () => {
    const { h } = setup();
    h.cluster.received.length = 0;
    const { decoded } = await h.call(61, 0, { topics: [{ name: 'orders', partitionIndexes: [0] }] }, { tenant: 'tenant-2' });
    expect((decoded as DescribeProducersResponse).topics[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, activeProducers: [] });
    expect(h.cluster.received).toEqual([]);
  });

  it('retries on the new leader after a move, and answers NOT_LEADER_OR_FOLLOWER when the leader cannot be found in time', async () => {
    const { h, orders } = setup();
    idempotent(h, 'broker-1', orders, 0, { producerId: 5n, producerEpoch: 0, baseSequence: 0, n: 1, at: 1n });
    h.cluster.lead(orders, 0, 'broker-2');
    h.view.onCatchUp = () => h.view.setPartition({ topicId: orders, partition: 0, leaderNodeId: 'broker-2', leaderEpoch: 1, replicaNodeIds: [] });
    const moved = await h.call(61, 0, { topics: [{ name: 'orders', partitionIndexes: [0] }] });
    expect((moved.decoded as DescribeProducersResponse).topics[0]?.partitions[0]).toMatchObject({ errorCode: 0, activeProducers: [{ producerId: 5n }] });

    const stuck = setup({ defaultTimeoutMs: 200 });
    stuck.h.cluster.lead(stuck.orders, 0, 'broker-3');
    const lost = await stuck.h.call(61, 0, { topics: [{ name: 'orders', partitionIndexes: [0] }] });
    expect((lost.decoded as DescribeProducersResponse).topics[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, activeProducers: [] });
  });
});

