import { ErrorCode } from '@stratus/kafka-errors';
import type { PartitionLeaderOptions } from './leader-types';
import type { MemoryReplica } from './memory-replica';
import { PartitionLeader } from './partition-leader';
import { memoryCluster, producerBatch, valuesOf, type TestCluster } from './testing/batches';
import { HoldablePort } from './testing/holdable-port';
import { epoch } from './types';

const NOW = 1_700_000_000_000n;

async function startLeader(cluster: TestCluster, overrides: Partial<PartitionLeaderOptions> = {}): Promise<PartitionLeader> {
  const started = await PartitionLeader.start({
    epoch: epoch(1),
    replicas: cluster.ports,
    minInsyncReplicas: 2,
    maxMessageBytes: 1_000_000,
    clock: () => NOW,
    retryBackoffMs: 1,
    ...overrides,
  });
  if (!started.ok) throw new Error(`leader did not start: ${started.error.code}`);
  return started.value;
}

async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

async function fetchValues(leader: PartitionLeader, offset = 0n): Promise<string[]> {
  const fetched = await leader.fetch({ offset, maxBytes: 1 << 20 });
  if (!fetched.ok) throw new Error(`fetch failed: ${fetched.error.code}`);
  return valuesOf(fetched.value.records).map((r) => r.value);
}

describe('PartitionLeader produce and fetch', () => {
  it('acks=all: assigns dense offsets, answers once W replicas have the batch, and serves it', async () => {
    const cluster = memoryCluster();
    const leader = await startLeader(cluster);
    expect(await leader.produce({ records: producerBatch({ values: ['a', 'b'] }), acks: -1 })).toEqual({
      ok: true,
      value: { baseOffset: 0n, logAppendTimeMs: -1n, logStartOffset: 0n },
    });
    expect(await leader.produce({ records: producerBatch({ values: ['c'] }), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 2n } });
    expect(leader.snapshot()).toMatchObject({ highWatermark: 3n, logEnd: 3n, serving: true });
    expect(await fetchValues(leader)).toEqual(['a', 'b', 'c']);
    expect(await fetchValues(leader, 2n)).toEqual(['c']);
  });

  it('the high watermark never exposes what fewer than W replicas hold; acks=1 needs one replica', async () => {
    const cluster = memoryCluster();
    const [p0, p1, p2] = cluster.ports.map((p) => new HoldablePort(p)) as [HoldablePort, HoldablePort, HoldablePort];
    const leader = await startLeader({ ...cluster, ports: [p0, p1, p2] });
    p1.hold();
    p2.hold();
    const one = await leader.produce({ records: producerBatch({ values: ['x'] }), acks: 1 });
    expect(one).toMatchObject({ ok: true, value: { baseOffset: 0n } });
    let allDone = false;
    const all = leader.produce({ records: producerBatch({ values: ['y'] }), acks: -1 }).then((r) => {
      allDone = true;
      return r;
    });
    await settle();
    expect(allDone).toBe(false);
    expect(leader.snapshot().highWatermark).toBe(0n);
    expect(await leader.fetch({ offset: 0n, maxBytes: 1000 })).toMatchObject({ ok: true, value: { records: Buffer.alloc(0), highWatermark: 0n } });
    p1.release();
    expect(await all).toMatchObject({ ok: true, value: { baseOffset: 1n } });
    expect(leader.snapshot().highWatermark).toBe(2n);
    expect(await fetchValues(leader)).toEqual(['x', 'y']);
    p2.release();
  });

  it('acks=0 is answered at once with the assigned offset', async () => {
    const leader = await startLeader(memoryCluster());
    expect(await leader.produce({ records: producerBatch({ values: ['a'] }), acks: 0 })).toMatchObject({ ok: true, value: { baseOffset: 0n } });
    await until(() => leader.snapshot().highWatermark === 1n);
  });

  it('group commit: batches produced together travel in one Append per replica, in order', async () => {
    const cluster = memoryCluster();
    const leader = await startLeader(cluster);
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((v) => leader.produce({ records: producerBatch({ values: [v] }), acks: -1 })));
    expect(answers.map((a) => a.ok && a.value.baseOffset)).toEqual([0n, 1n, 2n, 3n]);
    for (const r of cluster.replicas) expect(r.acceptedAppends()).toEqual([{ epoch: 1, baseOffset: 0n, endOffset: 4n }]);
  });

  it('fewer than W replicas in sync: the pending write fails NOT_ENOUGH_REPLICAS_AFTER_APPEND, new ones NOT_ENOUGH_REPLICAS', async () => {
    const cluster = memoryCluster();
    const leader = await startLeader(cluster);
    (cluster.replicas[1] as MemoryReplica).crash();
    (cluster.replicas[2] as MemoryReplica).crash();
    expect(await leader.produce({ records: producerBatch({ values: ['a'] }), acks: -1 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND },
    });
    expect(await leader.produce({ records: producerBatch({ values: ['b'] }), acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_ENOUGH_REPLICAS } });
    // acks=1 is still possible with one replica (the documented loss window, as in Kafka).
    expect(await leader.produce({ records: producerBatch({ values: ['c'] }), acks: 1 })).toMatchObject({ ok: true, value: { baseOffset: 1n } });
    expect(leader.snapshot().highWatermark).toBe(0n);
    // The replicas come back: they are repaired from r0 and rejoin; everything commits.
    (cluster.replicas[1] as MemoryReplica).restart();
    (cluster.replicas[2] as MemoryReplica).restart();
    await until(() => leader.snapshot().inSync.length === 3);
    await until(() => leader.snapshot().highWatermark === 2n);
    for (const r of cluster.replicas) expect(r.state().logEnd).toBe(2n);
    expect(await fetchValues(leader)).toEqual(['a', 'c']);
  });

  it('rejects bad batches with the Kafka error and appends nothing', async () => {
    const leader = await startLeader(memoryCluster(), { maxMessageBytes: 200, timestamps: { type: 'CreateTime', beforeMaxMs: 60_000n, afterMaxMs: 60_000n } });
    const corrupt = producerBatch({ values: ['a'], timestamp: NOW });
    corrupt[corrupt.length - 1] ^= 0xff;
    expect(await leader.produce({ records: corrupt, acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.CORRUPT_MESSAGE } });
    const big = producerBatch({ values: ['x'.repeat(300)], timestamp: NOW });
    expect(await leader.produce({ records: big, acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.MESSAGE_TOO_LARGE } });
    const partial = producerBatch({ values: ['a'], timestamp: NOW }).subarray(0, 40);
    expect(await leader.produce({ records: partial, acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.CORRUPT_MESSAGE } });
    const old = producerBatch({ values: ['a'], timestamp: NOW - 120_000n });
    expect(await leader.produce({ records: old, acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_TIMESTAMP } });
    const future = producerBatch({ values: ['a'], timestamp: NOW + 120_000n });
    expect(await leader.produce({ records: future, acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_TIMESTAMP } });
    // Two batches, the second corrupt: the whole partition is refused, naming the batch (KIP-467).
    const second = producerBatch({ values: ['b'], timestamp: NOW });
    second[second.length - 1] ^= 0xff;
    expect(await leader.produce({ records: Buffer.concat([producerBatch({ values: ['a'], timestamp: NOW }), second]), acks: -1 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.CORRUPT_MESSAGE, batchIndex: 1 },
    });
    expect(leader.snapshot().logEnd).toBe(0n);
  });

  it('refuses acks other than 0, 1 and -1 with INVALID_REQUIRED_ACKS', async () => {
    const leader = await startLeader(memoryCluster());
    const acks = 2 as unknown as -1;
    expect(await leader.produce({ records: producerBatch({ values: ['a'] }), acks })).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_REQUIRED_ACKS } });
  });

  it('LogAppendTime topics stamp the broker time and report it', async () => {
    const leader = await startLeader(memoryCluster(), { timestamps: { type: 'LogAppendTime' } });
    expect(await leader.produce({ records: producerBatch({ values: ['a'], timestamp: 5n }), acks: -1 })).toMatchObject({ ok: true, value: { logAppendTimeMs: NOW } });
  });

  it('fetch: OFFSET_OUT_OF_RANGE beyond the log end, empty at the HW, epoch checks (KIP-320), reads below the cache from a replica', async () => {
    const leader = await startLeader(memoryCluster(), { tailCacheBytes: 0 });
    await leader.produce({ records: producerBatch({ values: ['a'] }), acks: -1 });
    await leader.produce({ records: producerBatch({ values: ['b'] }), acks: -1 });
    expect(await leader.fetch({ offset: 3n, maxBytes: 100 })).toMatchObject({ ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE } });
    expect(await leader.fetch({ offset: 2n, maxBytes: 100 })).toMatchObject({ ok: true, value: { records: Buffer.alloc(0), highWatermark: 2n } });
    expect(await leader.fetch({ offset: 0n, maxBytes: 100, currentLeaderEpoch: 0 })).toMatchObject({ ok: false, error: { code: ErrorCode.FENCED_LEADER_EPOCH } });
    expect(await leader.fetch({ offset: 0n, maxBytes: 100, currentLeaderEpoch: 7 })).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_LEADER_EPOCH } });
    // maxBytes smaller than one batch still returns that whole batch (KIP-74), and only it.
    const one = await leader.fetch({ offset: 1n, maxBytes: 1, currentLeaderEpoch: 1 });
    expect(one.ok && valuesOf(one.value.records)).toEqual([{ offset: 1n, value: 'b' }]);
    expect(one.ok && one.value.nextOffset).toBe(2n);
  });

  it('fenced by a newer leader: stops serving at once and answers NOT_LEADER_OR_FOLLOWER', async () => {
    const cluster = memoryCluster();
    const stops: unknown[] = [];
    const old = await startLeader(cluster, { onStop: (reason) => stops.push(reason) });
    await old.produce({ records: producerBatch({ values: ['a'] }), acks: -1 });
    const next = await startLeader(cluster, { epoch: epoch(2) });
    expect(await old.produce({ records: producerBatch({ values: ['lost'] }), acks: -1 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER },
    });
    expect(stops).toEqual([{ kind: 'fenced', promisedEpoch: 2 }]);
    expect(old.isServing).toBe(false);
    expect(await old.fetch({ offset: 0n, maxBytes: 100 })).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER } });
    expect(await next.produce({ records: producerBatch({ values: ['b'] }), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 1n } });
    expect(await fetchValues(next)).toEqual(['a', 'b']);
  });

  it('resign() stops serving immediately', async () => {
    const leader = await startLeader(memoryCluster());
    leader.resign();
    expect(await leader.produce({ records: producerBatch({ values: ['a'] }), acks: 1 })).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER } });
  });
});

describe('PartitionLeader idempotent producer (KIP-98)', () => {
  const idem = (seq: number, values: string[], producerEpoch = 0) => producerBatch({ values, producerId: 42n, producerEpoch, baseSequence: seq });

  it('a retried batch is written once and answered with its original offset', async () => {
    const cluster = memoryCluster();
    const leader = await startLeader(cluster);
    expect(await leader.produce({ records: idem(0, ['a', 'b']), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 0n } });
    expect(await leader.produce({ records: idem(2, ['c']), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 2n } });
    expect(await leader.produce({ records: idem(0, ['a', 'b']), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 0n } });
    expect(await leader.produce({ records: idem(2, ['c']), acks: 1 })).toMatchObject({ ok: true, value: { baseOffset: 2n } });
    expect(await fetchValues(leader)).toEqual(['a', 'b', 'c']);
  });

  it('a gap is OUT_OF_ORDER_SEQUENCE_NUMBER; an older producer epoch is INVALID_PRODUCER_EPOCH; a new epoch restarts at 0', async () => {
    const leader = await startLeader(memoryCluster());
    await leader.produce({ records: idem(0, ['a'], 3), acks: -1 });
    expect(await leader.produce({ records: idem(5, ['x'], 3), acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER } });
    expect(await leader.produce({ records: idem(1, ['x'], 2), acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_PRODUCER_EPOCH } });
    expect(await leader.produce({ records: idem(7, ['x'], 4), acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER } });
    expect(await leader.produce({ records: idem(0, ['b'], 4), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 1n } });
    expect(await fetchValues(leader)).toEqual(['a', 'b']);
  });

  it('only the last five batches are remembered: an older retry is out of order, as in Kafka', async () => {
    const leader = await startLeader(memoryCluster());
    for (let seq = 0; seq < 6; seq++) await leader.produce({ records: idem(seq, [`v${seq}`]), acks: -1 });
    expect(await leader.produce({ records: idem(1, ['v1']), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 1n } });
    expect(await leader.produce({ records: idem(0, ['v0']), acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER } });
  });

  it('a deposed leader that has not noticed yet answers NOT_LEADER_OR_FOLLOWER, not a sequence error (found by the simulation)', async () => {
    const cluster = memoryCluster();
    const old = await startLeader(cluster);
    await old.produce({ records: idem(0, ['a']), acks: -1 });
    const next = await startLeader(cluster, { epoch: epoch(2) });
    await next.produce({ records: idem(1, ['b']), acks: -1 });
    // Judged against its stale state, seq 2 would be a gap for the old leader.
    expect(old.isServing).toBe(true);
    expect(await old.produce({ records: idem(2, ['c']), acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER } });
    expect(old.isServing).toBe(false);
    expect(await next.produce({ records: idem(2, ['c']), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 2n } });
  });

  it('producer state survives failover: the new leader rebuilds it from the log and spots the retry', async () => {
    const cluster = memoryCluster();
    const first = await startLeader(cluster);
    await first.produce({ records: idem(0, ['a']), acks: -1 });
    await first.produce({ records: idem(1, ['b']), acks: -1 });
    const second = await startLeader(cluster, { epoch: epoch(2) });
    expect(await second.produce({ records: idem(1, ['b']), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 1n } });
    expect(await second.produce({ records: idem(3, ['d']), acks: -1 })).toMatchObject({ ok: false, error: { code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER } });
    expect(await second.produce({ records: idem(2, ['c']), acks: -1 })).toMatchObject({ ok: true, value: { baseOffset: 2n } });
    expect(await fetchValues(second)).toEqual(['a', 'b', 'c']);
  });

  it('describeProducers (KIP-664): id, epoch, last sequence and last timestamp, the same after a rebuild from the log', async () => {
    const cluster = memoryCluster();
    const first = await startLeader(cluster);
    const at = (seq: number, values: string[], producerId: bigint, timestamp: bigint) => producerBatch({ values, producerId, producerEpoch: 2, baseSequence: seq, timestamp });
    await first.produce({ records: producerBatch({ values: ['plain'] }), acks: -1 });
    expect(first.describeProducers()).toEqual({ ok: true, value: [] });
    await first.produce({ records: at(0, ['a', 'b', 'c'], 42n, NOW - 50n), acks: -1 });
    await first.produce({ records: at(0, ['x'], 7n, NOW - 20n), acks: -1 });
    await first.produce({ records: at(3, ['d', 'e'], 42n, NOW - 10n), acks: -1 });
    const expected = [
      { producerId: 7n, producerEpoch: 2, lastSequence: 0, lastTimestamp: NOW - 20n, coordinatorEpoch: -1, currentTxnStartOffset: -1n },
      { producerId: 42n, producerEpoch: 2, lastSequence: 4, lastTimestamp: NOW - 10n, coordinatorEpoch: -1, currentTxnStartOffset: -1n },
    ];
    expect(first.describeProducers()).toEqual({ ok: true, value: expected });
    const second = await startLeader(cluster, { epoch: epoch(2) });
    expect(second.describeProducers()).toEqual({ ok: true, value: expected });
    second.resign();
    expect(second.describeProducers()).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER } });
  });

  it('describeProducers under LogAppendTime shows the time the leader stamped, also after a rebuild', async () => {
    const cluster = memoryCluster();
    const first = await startLeader(cluster, { timestamps: { type: 'LogAppendTime' } });
    await first.produce({ records: producerBatch({ values: ['a'], producerId: 5n, producerEpoch: 0, baseSequence: 0, timestamp: 5n }), acks: -1 });
    expect(first.describeProducers()).toMatchObject({ ok: true, value: [{ producerId: 5n, lastTimestamp: NOW }] });
    const second = await startLeader(cluster, { epoch: epoch(2), timestamps: { type: 'LogAppendTime' }, clock: () => NOW + 1000n });
    expect(second.describeProducers()).toMatchObject({ ok: true, value: [{ producerId: 5n, lastTimestamp: NOW }] });
  });
});

