import { ErrorCode } from '@stratus/kafka-errors';
import type { FetchResponse } from '@stratus/kafka-messages';
import { uuidOf } from '../routing/routing-context';
import { buildBatch, harness, readRecords, splitBatches, type Harness } from '../testing/harness.testkit';

const batch = (...values: string[]) => buildBatch({ records: values.map((v) => ({ value: Buffer.from(v) })) });

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) h.cluster.close();
});

function setup(): { h: Harness; orders: Buffer; audit: Buffer } {
  const h = harness();
  open.push(h);
  const orders = h.view.addTopic({ tenantId: 'tenant-1', name: 'orders', partitionCount: 2, leaderNodeId: 'broker-1' }).topicId;
  const audit = h.view.addTopic({ tenantId: 'tenant-1', name: 'audit', partitionCount: 1, leaderNodeId: 'broker-2' }).topicId;
  h.cluster.lead(orders, 0, 'broker-1');
  h.cluster.lead(orders, 1, 'broker-1');
  h.cluster.lead(audit, 0, 'broker-2');
  return { h, orders, audit };
}

function append(h: Harness, nodeId: string, topicId: Buffer, partition: number, ...values: string[]): void {
  h.cluster.produce(nodeId, { header: undefined, acks: -1, transactionalId: '', partitions: [{ partition: { topicId: { value: topicId }, partition }, records: batch(...values) }] });
}

interface Wanted {
  topic?: string;
  topicId?: string;
  partitions: Array<{ partition: number; fetchOffset: bigint }>;
}

const fetchRequest = (topics: Wanted[], options: { sessionId?: number; sessionEpoch?: number; forgotten?: Array<{ topic?: string; topicId?: string; partitions: number[] }>; maxWaitMs?: number; minBytes?: number; maxBytes?: number } = {}) => ({
  replicaId: -1,
  maxWaitMs: options.maxWaitMs ?? 0,
  minBytes: options.minBytes ?? 0,
  maxBytes: options.maxBytes ?? 1 << 20,
  isolationLevel: 0,
  sessionId: options.sessionId ?? 0,
  sessionEpoch: options.sessionEpoch ?? -1,
  topics: topics.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, currentLeaderEpoch: -1, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20 })) })),
  forgottenTopicsData: options.forgotten ?? [],
  rackId: '',
});

/** [topic, partition, errorCode, highWatermark, record values] per answered partition. */
function summary(response: FetchResponse): Array<[string | undefined, number, number, bigint, string[]]> {
  return response.responses.flatMap((t) =>
    t.partitions.map((p): [string | undefined, number, number, bigint, string[]] => {
      const values: string[] = [];
      const split = splitBatches(p.records ?? Buffer.alloc(0));
      if (split.ok) for (const b of split.value.batches) {
        const records = readRecords(b);
        if (records.ok) for (const r of records.value) values.push(r.value?.toString() ?? '');
      }
      return [t.topic || t.topicId, p.partitionIndex, p.errorCode, p.highWatermark, values];
    }),
  );
}

describe('Fetch routing', () => {
  it('fetches partitions of several brokers and merges them in request order (sessionless)', async () => {
    const { h, orders, audit } = setup();
    append(h, 'broker-1', orders, 1, 'o1');
    append(h, 'broker-2', audit, 0, 'a0', 'a1');
    const { decoded } = await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 1, fetchOffset: 0n }, { partition: 0, fetchOffset: 0n }] }, { topic: 'audit', partitions: [{ partition: 0, fetchOffset: 1n }] }]));
    const response = decoded as FetchResponse;
    expect(response.sessionId).toBe(0);
    expect(summary(response)).toEqual([
      ['orders', 1, 0, 1n, ['o1']],
      ['orders', 0, 0, 0n, []],
      // The broker returns whole batches: the batch holding offset 1 starts at 0 (clients skip).
      ['audit', 0, 0, 2n, ['a0', 'a1']],
    ]);
    expect(new Set(h.cluster.received.map((r) => r.nodeId))).toEqual(new Set(['broker-1', 'broker-2']));
  });

  it('splits max_bytes over the brokers by their partitions, so the merged answer stays within it (KIP-74)', async () => {
    const { h } = setup();
    const all = [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }, { partition: 1, fetchOffset: 0n }] }, { topic: 'audit', partitions: [{ partition: 0, fetchOffset: 0n }] }];
    await h.call(1, 11, fetchRequest(all, { maxBytes: 3000 }));
    const limits = (from: number) =>
      Object.fromEntries(h.cluster.received.slice(from).filter((r) => r.rpc === 'fetch').map((r) => [r.nodeId, (r.request as { maxBytes: number }).maxBytes]));
    expect(limits(0)).toEqual({ 'broker-1': 2000, 'broker-2': 1000 });
    // A fetch served by one broker hands it the whole limit.
    const seen = h.cluster.received.length;
    await h.call(1, 11, fetchRequest([all[0] as Wanted], { maxBytes: 3000 }));
    expect(limits(seen)).toEqual({ 'broker-1': 3000 });
  });

  it("passes the client's rack (KIP-392) to the broker as its AZ, or the router's own AZ when the client names none", async () => {
    const { h } = setup();
    await h.call(1, 11, { ...fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }]), rackId: 'az-c' });
    await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }]));
    const zones = h.cluster.received.filter((r) => r.rpc === 'fetch').map((r) => (r.request as { header?: { clientAvailabilityZone?: string } }).header?.clientAvailabilityZone);
    expect(zones).toEqual(['az-c', 'az-a']);
  });

  it('answers unknown and other tenants topics as unknown, by name and by id (v13)', async () => {
    const { h } = setup();
    const other = h.view.addTopic({ tenantId: 'tenant-2', name: 'secret', partitionCount: 1, leaderNodeId: 'broker-1' });
    const byName = await h.call(1, 12, fetchRequest([{ topic: 'secret', partitions: [{ partition: 0, fetchOffset: 0n }] }]));
    expect(summary(byName.decoded as FetchResponse)).toEqual([['secret', 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n, []]]);
    const byId = await h.call(1, 13, fetchRequest([{ topicId: uuidOf(other.topicId), partitions: [{ partition: 0, fetchOffset: 0n }] }]));
    expect(summary(byId.decoded as FetchResponse)).toEqual([[uuidOf(other.topicId), 0, ErrorCode.UNKNOWN_TOPIC_ID, -1n, []]]);
    expect(h.cluster.received).toEqual([]);
  });

  it('names topics by id from v13', async () => {
    const { h, orders } = setup();
    append(h, 'broker-1', orders, 0, 'by-id');
    const { decoded } = await h.call(1, 13, fetchRequest([{ topicId: uuidOf(orders), partitions: [{ partition: 0, fetchOffset: 0n }] }]));
    expect(summary(decoded as FetchResponse)).toEqual([[uuidOf(orders), 0, 0, 1n, ['by-id']]]);
  });

  it('retries a partition whose leader moved, invisibly to the client', async () => {
    const { h, orders } = setup();
    h.cluster.lead(orders, 0, 'broker-2');
    append(h, 'broker-2', orders, 0, 'after-move');
    h.view.onCatchUp = () => h.view.setPartition({ topicId: orders, partition: 0, leaderNodeId: 'broker-2', leaderEpoch: 1, replicaNodeIds: [] });
    const { decoded } = await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }]));
    expect(summary(decoded as FetchResponse)).toEqual([['orders', 0, 0, 1n, ['after-move']]]);
  });

  it('waits for a loaded broker past max_wait instead of failing the partition (Fetch has no timeout)', async () => {
    const h = harness({ retry: { backoffMs: 1, catchUpTimeoutMs: 50, fetchPatienceMs: 2_000 } });
    open.push(h);
    const { topicId } = h.view.addTopic({ tenantId: 'tenant-1', name: 'orders', partitionCount: 1, leaderNodeId: 'broker-1' });
    h.cluster.lead(topicId, 0, 'broker-1');
    append(h, 'broker-1', topicId, 0, 'late but whole');
    // 300 ms is longer than max_wait (0) plus the routing retry budget (50 + 50 ms).
    h.brokers.slowFetches('broker-1', 300);
    const { decoded } = await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }]));
    expect(summary(decoded as FetchResponse)).toEqual([['orders', 0, ErrorCode.NONE, 1n, ['late but whole']]]);
  });

  it('never answers REQUEST_TIMED_OUT in Fetch: a broker that does not answer in time reads as NOT_LEADER_OR_FOLLOWER', async () => {
    // The Java consumer throws IllegalStateException on error 7 in a Fetch partition.
    const h = harness({ retry: { backoffMs: 1, catchUpTimeoutMs: 50, fetchPatienceMs: 200 } });
    open.push(h);
    const { topicId } = h.view.addTopic({ tenantId: 'tenant-1', name: 'orders', partitionCount: 1, leaderNodeId: 'broker-1' });
    h.cluster.lead(topicId, 0, 'broker-1');
    append(h, 'broker-1', topicId, 0, 'never seen');
    h.brokers.slowFetches('broker-1', 5_000);
    const { decoded } = await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }]));
    expect(summary(decoded as FetchResponse)).toEqual([['orders', 0, ErrorCode.NOT_LEADER_OR_FOLLOWER, -1n, []]]);
  });

  it('long-polls: an empty fetch waits until data arrives on one of several brokers', async () => {
    const { h, audit } = setup();
    const pending = h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }, { topic: 'audit', partitions: [{ partition: 0, fetchOffset: 0n }] }], { maxWaitMs: 10_000, minBytes: 1 }));
    // Let phase 1 (immediate reads) finish and the long polls start, then append on one broker.
    await new Promise((r) => setTimeout(r, 50));
    append(h, 'broker-2', audit, 0, 'late');
    const { decoded } = await pending;
    // Answered with the new data (so before max_wait), the other broker's partition from phase 1.
    expect(summary(decoded as FetchResponse)).toEqual([
      ['orders', 0, 0, 0n, []],
      ['audit', 0, 0, 1n, ['late']],
    ]);
    const longPolls = h.cluster.received.filter((r) => (r.request as { maxWaitMs: number }).maxWaitMs > 0);
    expect(longPolls.map((r) => r.nodeId).sort()).toEqual(['broker-1', 'broker-2']);
  });
});

describe('Fetch long polls', () => {
  it('joins a long poll still open from an early-answered fetch instead of opening another', async () => {
    const { h, orders, audit } = setup();
    const both = (auditOffset: bigint) =>
      fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }, { topic: 'audit', partitions: [{ partition: 0, fetchOffset: auditOffset }] }], { maxWaitMs: 10_000, minBytes: 1 });
    const first = h.call(1, 11, both(0n));
    await new Promise((r) => setTimeout(r, 50));
    append(h, 'broker-2', audit, 0, 'a');
    await first;
    // broker-1's poll (orders-0 at offset 0) is still open; the next round asks it the same.
    const second = h.call(1, 11, both(1n));
    await new Promise((r) => setTimeout(r, 50));
    append(h, 'broker-1', orders, 0, 'o');
    const { decoded } = await second;
    expect(summary(decoded as FetchResponse)).toEqual([
      ['orders', 0, 0, 1n, ['o']],
      ['audit', 0, 0, 1n, []],
    ]);
    const longPolls = h.cluster.received.filter((r) => (r.request as { maxWaitMs: number }).maxWaitMs > 0).map((r) => r.nodeId);
    expect(longPolls.sort()).toEqual(['broker-1', 'broker-2', 'broker-2']);
  });
});

describe('Fetch sessions (KIP-227)', () => {
  it('opens a session, answers incremental fetches with changed partitions only, adds and forgets partitions', async () => {
    const { h, orders, audit } = setup();
    append(h, 'broker-1', orders, 0, 'first');
    const full = (await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }, { partition: 1, fetchOffset: 0n }] }], { sessionId: 0, sessionEpoch: 0 }))).decoded as FetchResponse;
    expect(full.sessionId).toBe(100);
    expect(summary(full)).toEqual([['orders', 0, 0, 1n, ['first']], ['orders', 1, 0, 0n, []]]);

    // Epoch 1: the client moved its offset on partition 0 only; nothing changed anywhere.
    const quiet = (await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 1n }] }], { sessionId: 100, sessionEpoch: 1 }))).decoded as FetchResponse;
    expect(quiet.errorCode).toBe(0);
    expect(summary(quiet)).toEqual([]);
    // The broker still got the full list: the session lives in the router.
    const last = h.cluster.received.at(-1)?.request as { partitions: Array<{ fetchOffset: bigint }> };
    expect(last.partitions.map((p) => p.fetchOffset)).toEqual([1n, 0n]);

    // Epoch 2: new data on partition 1; add audit-0 to the session.
    append(h, 'broker-1', orders, 1, 'second');
    append(h, 'broker-2', audit, 0, 'audit');
    const grown = (await h.call(1, 11, fetchRequest([{ topic: 'audit', partitions: [{ partition: 0, fetchOffset: 0n }] }], { sessionId: 100, sessionEpoch: 2 }))).decoded as FetchResponse;
    expect(summary(grown)).toEqual([['orders', 1, 0, 1n, ['second']], ['audit', 0, 0, 1n, ['audit']]]);

    // Epoch 3: forget orders-1; new data there must no longer be fetched.
    append(h, 'broker-1', orders, 1, 'unseen');
    h.cluster.received.length = 0;
    const shrunk = (await h.call(1, 11, fetchRequest([{ topic: 'audit', partitions: [{ partition: 0, fetchOffset: 1n }] }], { sessionId: 100, sessionEpoch: 3, forgotten: [{ topic: 'orders', partitions: [1] }] }))).decoded as FetchResponse;
    expect(summary(shrunk)).toEqual([]);
    const fetched = h.cluster.received.flatMap((r) => (r.request as { partitions: Array<{ partition: { partition: number; topicId: { value: Buffer } } }> }).partitions.map((p) => `${uuidOf(Buffer.from(p.partition.topicId.value))}:${p.partition.partition}`));
    expect(fetched.sort()).toEqual([`${uuidOf(audit)}:0`, `${uuidOf(orders)}:0`].sort());
  });

  it('rejects a wrong epoch with INVALID_FETCH_SESSION_EPOCH and an unknown session with FETCH_SESSION_ID_NOT_FOUND', async () => {
    const { h } = setup();
    const full = (await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }], { sessionId: 0, sessionEpoch: 0 }))).decoded as FetchResponse;
    const wrongEpoch = (await h.call(1, 11, fetchRequest([], { sessionId: full.sessionId as number, sessionEpoch: 5 }))).decoded as FetchResponse;
    expect([wrongEpoch.errorCode, wrongEpoch.sessionId, wrongEpoch.responses]).toEqual([ErrorCode.INVALID_FETCH_SESSION_EPOCH, 0, []]);
    const unknown = (await h.call(1, 11, fetchRequest([], { sessionId: 4242, sessionEpoch: 1 }))).decoded as FetchResponse;
    expect(unknown.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    // The right epoch still works after the failures.
    const ok = (await h.call(1, 11, fetchRequest([], { sessionId: full.sessionId as number, sessionEpoch: 1 }))).decoded as FetchResponse;
    expect(ok.errorCode).toBe(0);
  });

  it('hides sessions from other tenants: their id is not found', async () => {
    const { h } = setup();
    const full = (await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }], { sessionId: 0, sessionEpoch: 0 }))).decoded as FetchResponse;
    const stolen = (await h.call(1, 11, fetchRequest([], { sessionId: full.sessionId as number, sessionEpoch: 1 }), { tenant: 'tenant-2' })).decoded as FetchResponse;
    expect(stolen.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  });

  it('closes a session with epoch -1 and replaces it with a new full fetch at epoch 0', async () => {
    const { h } = setup();
    const first = (await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }], { sessionId: 0, sessionEpoch: 0 }))).decoded as FetchResponse;
    const replaced = (await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 1, fetchOffset: 0n }] }], { sessionId: first.sessionId as number, sessionEpoch: 0 }))).decoded as FetchResponse;
    expect(replaced.sessionId).not.toBe(first.sessionId);
    expect((await h.call(1, 11, fetchRequest([], { sessionId: first.sessionId as number, sessionEpoch: 1 }))).decoded).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND });
    const closed = (await h.call(1, 11, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }], { sessionId: replaced.sessionId as number, sessionEpoch: -1 }))).decoded as FetchResponse;
    expect(closed.sessionId).toBe(0);
    expect(summary(closed)).toHaveLength(1);
    expect(h.sessions.size).toBe(0);
  });

  it('answers the oldest served version (v4) in its shape', async () => {
    const { h, orders } = setup();
    append(h, 'broker-1', orders, 0, 'old-client');
    const { decoded } = await h.call(1, 4, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }]));
    expect(summary(decoded as FetchResponse)).toEqual([['orders', 0, 0, 1n, ['old-client']]]);
  });

  it('ignores sessions before v7 (always full, session id 0 on the wire)', async () => {
    const { h } = setup();
    const { decoded } = await h.call(1, 6, fetchRequest([{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n }] }], { sessionId: 0, sessionEpoch: 0 }));
    expect(summary(decoded as FetchResponse)).toHaveLength(1);
    expect(h.sessions.size).toBe(0);
  });
});
