import type { ServerDuplexStream } from '@grpc/grpc-js';
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { ReplicaLocality } from './replica-locality';
import { createBrokerService } from './broker-service';
import type { LeadershipManager } from './leadership-manager';
import { ProducerIdAllocator } from './producer-ids';
import { FakeDuplex, Holds, ReplicaFarm, TENANT, assignment, batch, manager, ref, silentLog, topics, until, values } from './server.testkit';

interface Harness {
  readonly farm: ReplicaFarm;
  readonly holds: Holds;
  readonly m: LeadershipManager;
  readonly service: brokerV1.BrokerServiceServer;
  readonly produce: FakeDuplex<brokerV1.ProduceRequest, brokerV1.ProduceResponse>;
  readonly fetch: FakeDuplex<brokerV1.FetchRequest, brokerV1.FetchResponse>;
}

let blocks = 0;
async function harness(options: { configs?: Record<string, string>; produceStreamBytes?: number; tailCacheBytes?: number; replicaLocality?: ReplicaLocality } = {}): Promise<Harness> {
  const farm = new ReplicaFarm();
  const holds = new Holds();
  farm.wrap = holds.wrap;
  const lookup = topics(options.configs ?? {});
  const m = manager(farm, { topics: lookup, ...(options.tailCacheBytes !== undefined ? { tailCacheBytes: options.tailCacheBytes } : {}) });
  m.sync([assignment(0), assignment(1), assignment(2, { leaderNodeId: 'b-2', leaderEpoch: 3 })]);
  await until(() => m.served().length === 2, 'two partitions served');
  const producerIds = new ProducerIdAllocator({
    allocateBlock: () => {
      blocks++;
      return Promise.resolve({ first: 1000n * BigInt(blocks), count: 2 });
    },
  });
  const service = createBrokerService({
    directory: m,
    topics: lookup,
    producerIds,
    log: silentLog,
    produceStreamBytes: options.produceStreamBytes,
    ...(options.replicaLocality ? { replicaLocality: options.replicaLocality } : {}),
  });
  const produce = new FakeDuplex<brokerV1.ProduceRequest, brokerV1.ProduceResponse>();
  const fetch = new FakeDuplex<brokerV1.FetchRequest, brokerV1.FetchResponse>();
  service.produce(produce as unknown as ServerDuplexStream<brokerV1.ProduceRequest, brokerV1.ProduceResponse>);
  service.fetch(fetch as unknown as ServerDuplexStream<brokerV1.FetchRequest, brokerV1.FetchResponse>);
  return { farm, holds, m, service, produce, fetch };
}

const header = (correlationId: number, extra: Partial<brokerV1.RequestHeader> = {}): brokerV1.RequestHeader =>
  brokerV1.RequestHeader.fromPartial({ correlationId: BigInt(correlationId), tenantId: { value: TENANT }, timeoutMs: 5_000, ...extra });

function produceReq(correlationId: number, records: Buffer, options: { acks?: number; partition?: number; header?: Partial<brokerV1.RequestHeader> } = {}): brokerV1.ProduceRequest {
  return brokerV1.ProduceRequest.fromPartial({
    header: header(correlationId, options.header),
    acks: options.acks ?? -1,
    partitions: [{ partition: ref(options.partition ?? 0), records }],
  });
}

function fetchReq(correlationId: number, options: { offset?: bigint; minBytes?: number; maxWaitMs?: number; partition?: number; currentLeaderEpoch?: number; maxBytes?: number; zone?: string } = {}): brokerV1.FetchRequest {
  return brokerV1.FetchRequest.fromPartial({
    header: header(correlationId, options.zone ? { clientAvailabilityZone: options.zone } : {}),
    maxWaitMs: options.maxWaitMs ?? 0,
    minBytes: options.minBytes ?? 0,
    maxBytes: options.maxBytes ?? 1 << 20,
    partitions: [{ partition: ref(options.partition ?? 0), fetchOffset: options.offset ?? 0n, currentLeaderEpoch: options.currentLeaderEpoch ?? -1, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }],
  });
}

async function answer<Res extends { correlationId: bigint }>(stream: FakeDuplex<unknown, Res>, correlationId: number): Promise<Res> {
  await until(() => stream.written.some((r) => r.correlationId === BigInt(correlationId)), `response ${correlationId}`);
  return stream.written.find((r) => r.correlationId === BigInt(correlationId)) as Res;
}

function unary<Req, Res>(method: (call: { request: Req }, cb: (err: unknown, res: Res) => void) => void, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => method({ request }, (err, res) => (err ? reject(err) : resolve(res))));
}

describe('BrokerService Produce and Fetch', () => {
  it('acks=-1, 1 and 0: offsets assigned densely; committed records fetched back', async () => {
    const h = await harness();
    h.produce.push(produceReq(1, batch(['a', 'b']), { acks: -1 }));
    h.produce.push(produceReq(2, batch(['c']), { acks: 1 }));
    h.produce.push(produceReq(3, batch(['d']), { acks: 0 }));
    const [r1, r2, r3] = [await answer(h.produce, 1), await answer(h.produce, 2), await answer(h.produce, 3)];
    expect(r1.partitions[0]).toMatchObject({ error: { code: 0 }, baseOffset: 0n });
    expect(r2.partitions[0]).toMatchObject({ error: { code: 0 }, baseOffset: 2n });
    expect(r3.partitions[0]).toMatchObject({ error: { code: 0 }, baseOffset: 3n });
    await until(() => h.m.get(ref(0))?.snapshot().highWatermark === 4n, 'HW 4');
    h.fetch.push(fetchReq(10));
    const f = await answer(h.fetch, 10);
    expect(f.partitions[0]).toMatchObject({ error: { code: 0 }, highWatermark: 4n, lastStableOffset: 4n, logStartOffset: 0n });
    expect(values(f.partitions[0]?.records ?? Buffer.alloc(0))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('the high watermark never exposes what fewer than min.insync.replicas hold', async () => {
    const h = await harness();
    h.holds.hold('r-b');
    h.holds.hold('r-c');
    h.produce.push(produceReq(1, batch(['x']), { acks: 1 }));
    expect((await answer(h.produce, 1)).partitions[0]?.error?.code).toBe(0);
    h.fetch.push(fetchReq(2));
    const f = await answer(h.fetch, 2);
    expect(f.partitions[0]).toMatchObject({ error: { code: 0 }, highWatermark: 0n });
    expect(f.partitions[0]?.records.length).toBe(0);
    h.holds.release('r-b');
    await until(() => h.m.get(ref(0))?.snapshot().highWatermark === 1n);
    h.fetch.push(fetchReq(3));
    expect(values((await answer(h.fetch, 3)).partitions[0]?.records ?? Buffer.alloc(0))).toEqual(['x']);
    h.holds.release('r-c');
  });

  it('idempotence: a retried batch gets its original offset; a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    const h = await harness();
    const pid = { producerId: 42n, producerEpoch: 0 };
    h.produce.push(produceReq(1, batch(['a'], { ...pid, baseSequence: 0 })));
    h.produce.push(produceReq(2, batch(['b'], { ...pid, baseSequence: 1 })));
    expect((await answer(h.produce, 1)).partitions[0]?.baseOffset).toBe(0n);
    expect((await answer(h.produce, 2)).partitions[0]?.baseOffset).toBe(1n);
    h.produce.push(produceReq(3, batch(['a'], { ...pid, baseSequence: 0 })));
    expect((await answer(h.produce, 3)).partitions[0]).toMatchObject({ error: { code: 0 }, baseOffset: 0n });
    h.produce.push(produceReq(4, batch(['z'], { ...pid, baseSequence: 5 })));
    expect((await answer(h.produce, 4)).partitions[0]?.error?.code).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(h.m.get(ref(0))?.snapshot().logEnd).toBe(2n);
  });

  it('answers per-partition Kafka errors: unknown, other tenant, not leader with a hint, stale epoch, too large, corrupt', async () => {
    const h = await harness({ configs: { 'max.message.bytes': '200' } });
    h.produce.push(produceReq(1, batch(['a']), { partition: 9 }));
    h.produce.push(produceReq(2, batch(['a']), { header: { tenantId: { value: 't-other' } } }));
    h.produce.push(produceReq(3, batch(['a']), { partition: 2 }));
    h.produce.push(produceReq(4, batch(['x'.repeat(500)])));
    const corrupt = batch(['ok']);
    corrupt[corrupt.length - 1] ^= 0xff;
    h.produce.push(produceReq(5, corrupt));
    h.produce.push(produceReq(6, batch(['a']), { acks: 2 }));
    expect((await answer(h.produce, 1)).partitions[0]?.error?.code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await answer(h.produce, 2)).partitions[0]?.error?.code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await answer(h.produce, 3)).partitions[0]).toMatchObject({ error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER }, currentLeader: { leaderNodeId: 'b-2', leaderEpoch: 3 } });
    expect((await answer(h.produce, 4)).partitions[0]?.error?.code).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect((await answer(h.produce, 5)).partitions[0]?.error?.code).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect((await answer(h.produce, 6)).partitions[0]?.error?.code).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    h.fetch.push(fetchReq(7, { currentLeaderEpoch: 0 }));
    h.fetch.push(fetchReq(8, { currentLeaderEpoch: 9 }));
    h.fetch.push(fetchReq(9, { offset: 50n }));
    expect((await answer(h.fetch, 7)).partitions[0]?.error?.code).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    expect((await answer(h.fetch, 8)).partitions[0]?.error?.code).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
    expect((await answer(h.fetch, 9)).partitions[0]?.error?.code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('acks=-1 that cannot reach min.insync.replicas before timeout_ms answers REQUEST_TIMED_OUT', async () => {
    const h = await harness();
    h.holds.hold('r-b');
    h.holds.hold('r-c');
    h.produce.push(produceReq(1, batch(['slow']), { acks: -1, header: { timeoutMs: 30 } }));
    expect((await answer(h.produce, 1)).partitions[0]?.error?.code).toBe(ErrorCode.REQUEST_TIMED_OUT);
    h.holds.release('r-b');
    h.holds.release('r-c');
  });

  it('a long-poll fetch waits for min_bytes and wakes on a produce, other requests answered meanwhile', async () => {
    const h = await harness();
    h.fetch.push(fetchReq(1, { minBytes: 1, maxWaitMs: 60_000 }));
    h.fetch.push(fetchReq(2, { partition: 1, minBytes: 0 }));
    expect((await answer(h.fetch, 2)).partitions[0]?.error?.code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.fetch.written.some((r) => r.correlationId === 1n)).toBe(false);
    h.produce.push(produceReq(3, batch(['wake']), { acks: 1 }));
    const f = await answer(h.fetch, 1);
    expect(values(f.partitions[0]?.records ?? Buffer.alloc(0))).toEqual(['wake']);
  });

  it('a long-poll fetch with nothing new answers empty after max_wait_ms', async () => {
    const h = await harness();
    h.fetch.push(fetchReq(1, { minBytes: 1, maxWaitMs: 30 }));
    const f = await answer(h.fetch, 1);
    expect(f.partitions[0]).toMatchObject({ error: { code: 0 }, highWatermark: 0n });
    expect(f.partitions[0]?.records.length).toBe(0);
  });

  it("follower fetching: a read that misses the tail cache goes to the replica in the client's AZ and is counted by locality", async () => {
    const zones = new Map([
      ['r-a', 'az-a'],
      ['r-b', 'az-b'],
      ['r-c', 'az-c'],
    ]);
    const reads: string[] = [];
    const h = await harness({ tailCacheBytes: 1, replicaLocality: { zoneOf: (id) => zones.get(id), onRead: (l) => reads.push(l) } });
    h.produce.push(produceReq(1, batch(['a', 'b'])));
    await answer(h.produce, 1);
    // Every replica acknowledged (the third may trail acks=all by a moment).
    await until(() => (h.m.get(ref(0))?.snapshot().inSync.length ?? 0) === 3, 'three replicas in sync');
    h.fetch.push(fetchReq(2, { zone: 'az-c' }));
    const f = await answer(h.fetch, 2);
    expect(values(f.partitions[0]?.records ?? new Uint8Array())).toEqual(['a', 'b']);
    expect(reads).toEqual(['same_az']);
    h.fetch.push(fetchReq(3, { zone: 'az-z' }));
    await answer(h.fetch, 3);
    expect(reads).toEqual(['same_az', 'cross_az']);
  });

  it('stops reading a produce stream whose payload in flight passes the budget, and resumes when answered', async () => {
    const h = await harness({ produceStreamBytes: 100 });
    h.holds.hold('r-b');
    h.holds.hold('r-c');
    h.produce.push(produceReq(1, batch(['y'.repeat(300)]), { acks: -1 }));
    expect(h.produce.paused).toBe(true);
    h.holds.release('r-b');
    await answer(h.produce, 1);
    expect(h.produce.paused).toBe(false);
    h.holds.release('r-c');
    h.produce.finish();
    expect(h.produce.ended).toBe(true);
  });
});

describe('BrokerService unary RPCs', () => {
  it('ListOffsets: latest, earliest, by timestamp and max timestamp', async () => {
    const h = await harness();
    h.produce.push(produceReq(1, batch(['t10', 't11'], { timestamp: 10n, step: 1n })));
    await answer(h.produce, 1);
    h.produce.push(produceReq(2, batch(['t50'], { timestamp: 50n })));
    await answer(h.produce, 2);
    const ask = (timestamp: bigint) =>
      unary(h.service.listOffsets as never, brokerV1.ListOffsetsRequest.fromPartial({ header: header(1), partitions: [{ partition: ref(0), currentLeaderEpoch: -1, timestamp }] })) as Promise<brokerV1.ListOffsetsResponse>;
    expect((await ask(-1n)).partitions[0]).toMatchObject({ offset: 3n, leaderEpoch: 1 });
    expect((await ask(-2n)).partitions[0]).toMatchObject({ offset: 0n });
    expect((await ask(11n)).partitions[0]).toMatchObject({ offset: 1n, timestamp: 11n });
    expect((await ask(20n)).partitions[0]).toMatchObject({ offset: 2n, timestamp: 50n });
    expect((await ask(99n)).partitions[0]).toMatchObject({ offset: -1n, timestamp: -1n });
    expect((await ask(-3n)).partitions[0]).toMatchObject({ offset: 2n, timestamp: 50n });
  });

  it('OffsetForLeaderEpoch answers from the epoch history; DeleteRecords moves the log start (ListOffsets EARLIEST follows); passthrough answers its documented error', async () => {
    const h = await harness();
    h.produce.push(produceReq(1, batch(['a', 'b'])));
    await answer(h.produce, 1);
    h.m.sync([assignment(0, { leaderEpoch: 4 }), assignment(1)]);
    await until(() => h.m.get(ref(0))?.epoch === 4);
    const ask = (leaderEpoch: number) =>
      unary(h.service.offsetForLeaderEpoch as never, brokerV1.OffsetForLeaderEpochRequest.fromPartial({ header: header(1), partitions: [{ partition: ref(0), currentLeaderEpoch: -1, leaderEpoch }] })) as Promise<brokerV1.OffsetForLeaderEpochResponse>;
    expect((await ask(1)).partitions[0]).toMatchObject({ leaderEpoch: 1, endOffset: 2n });
    expect((await ask(3)).partitions[0]).toMatchObject({ leaderEpoch: 1, endOffset: 2n });
    expect((await ask(4)).partitions[0]).toMatchObject({ leaderEpoch: 4, endOffset: 2n });
    expect((await ask(5)).partitions[0]).toMatchObject({ leaderEpoch: -1, endOffset: -1n });
    const del = async (offset: bigint) =>
      ((await unary(h.service.deleteRecords as never, brokerV1.DeleteRecordsRequest.fromPartial({ header: header(1), partitions: [{ partition: ref(0), offset }] }))) as brokerV1.DeleteRecordsResponse).partitions[0];
    expect(await del(3n)).toMatchObject({ error: { code: ErrorCode.OFFSET_OUT_OF_RANGE }, lowWatermark: -1n });
    expect(await del(1n)).toMatchObject({ error: { code: ErrorCode.NONE }, lowWatermark: 1n });
    expect((await unary(h.service.listOffsets as never, brokerV1.ListOffsetsRequest.fromPartial({ header: header(1), partitions: [{ partition: ref(0), currentLeaderEpoch: -1, timestamp: -2n }] })) as brokerV1.ListOffsetsResponse).partitions[0]).toMatchObject({ offset: 1n });
    expect(await del(-1n)).toMatchObject({ error: { code: ErrorCode.NONE }, lowWatermark: 2n });
    const other = (await unary(h.service.deleteRecords as never, brokerV1.DeleteRecordsRequest.fromPartial({ header: header(2, { tenantId: { value: 'another-tenant' } }), partitions: [{ partition: ref(0), offset: 1n }] }))) as brokerV1.DeleteRecordsResponse;
    expect(other.partitions[0]?.error?.code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const pass = (await unary(h.service.kafkaPassthrough as never, brokerV1.KafkaPassthroughRequest.fromPartial({ header: header(1), apiKey: 11 }))) as brokerV1.KafkaPassthroughResponse;
    expect(pass.error?.code).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });

  it('DescribeProducers (KIP-664): the leader producer state per partition, kept across a leader change; Kafka errors otherwise', async () => {
    const h = await harness();
    h.produce.push(produceReq(1, batch(['a', 'b', 'c'], { producerId: 42n, producerEpoch: 3, baseSequence: 0, timestamp: 1_000n, step: 5n })));
    h.produce.push(produceReq(2, batch(['plain'], { timestamp: 2_000n })));
    h.produce.push(produceReq(3, batch(['x'], { producerId: 7n, producerEpoch: 0, baseSequence: 0, timestamp: 3_000n }), { partition: 1 }));
    await Promise.all([answer(h.produce, 1), answer(h.produce, 2), answer(h.produce, 3)]);
    const describe = async (tenant = TENANT) =>
      ((await unary(
        h.service.describeProducers as never,
        brokerV1.DescribeProducersRequest.fromPartial({ header: header(1, { tenantId: { value: tenant } }), partitions: [ref(0), ref(1), ref(2), ref(9)] }),
      )) as brokerV1.DescribeProducersResponse).partitions;
    const expected = [
      { partition: ref(0), error: { code: ErrorCode.NONE }, activeProducers: [{ producerId: 42n, producerEpoch: 3, lastSequence: 2, lastTimestamp: 1_010n, coordinatorEpoch: -1, currentTxnStartOffset: -1n }] },
      { partition: ref(1), error: { code: ErrorCode.NONE }, activeProducers: [{ producerId: 7n, producerEpoch: 0, lastSequence: 0, lastTimestamp: 3_000n, coordinatorEpoch: -1, currentTxnStartOffset: -1n }] },
      { partition: ref(2), error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER }, activeProducers: [], currentLeader: { leaderNodeId: 'b-2', leaderEpoch: 3 } },
      { partition: ref(9), error: { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }, activeProducers: [] },
    ];
    expect(await describe()).toMatchObject(expected);
    // A new leader epoch rebuilds producer state from the log: the same producers are described.
    h.m.sync([assignment(0, { leaderEpoch: 4 }), assignment(1), assignment(2, { leaderNodeId: 'b-2', leaderEpoch: 3 })]);
    await until(() => h.m.get(ref(0))?.epoch === 4 && h.m.get(ref(0))?.isServing === true);
    expect(await describe()).toMatchObject(expected);
    expect((await describe('another-tenant')).map((p) => p.error?.code)).toEqual(Array(4).fill(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  });

  it('InitProducerId hands out ids from metadata blocks; a transactional id is not supported yet', async () => {
    const h = await harness();
    const init = (transactionalId = '') =>
      unary(h.service.initProducerId as never, brokerV1.InitProducerIdRequest.fromPartial({ header: header(1), transactionalId, producerId: -1n, producerEpoch: -1 })) as Promise<brokerV1.InitProducerIdResponse>;
    const ids = [await init(), await init(), await init()].map((r) => r.producerId);
    expect(new Set(ids).size).toBe(3);
    expect((await init()).producerEpoch).toBe(0);
    expect((await init('t-1/tx')).error?.code).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });
});
