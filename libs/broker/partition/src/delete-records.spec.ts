// DeleteRecords on the leader: the log start moves on a write quorum under the leader's epoch,
// fetches below it answer OFFSET_OUT_OF_RANGE, and a new leader learns it from the replicas.
import { ErrorCode } from '@stratus/kafka-errors';
import type { PartitionLeaderOptions } from './leader-types';
import { PartitionLeader } from './partition-leader';
import type { ReplicaPort } from './replica-port';
import { memoryCluster, producerBatch, valuesOf, type TestCluster } from './testing/batches';
import { epoch, failure } from './types';

async function startLeader(cluster: { ports: readonly ReplicaPort[] }, overrides: Partial<PartitionLeaderOptions> = {}): Promise<PartitionLeader> {
  const started = await PartitionLeader.start({ epoch: epoch(1), replicas: cluster.ports, minInsyncReplicas: 2, maxMessageBytes: 1_000_000, retryBackoffMs: 1, ...overrides });
  if (!started.ok) throw new Error(`leader did not start: ${started.error.code}`);
  return started.value;
}

async function produceValues(leader: PartitionLeader, values: string[]): Promise<void> {
  for (const v of values) {
    const r = await leader.produce({ records: producerBatch({ values: [v] }), acks: -1 });
    if (!r.ok) throw new Error(`produce failed: ${r.error.code}`);
  }
}

/** A port whose advanceLogStart is refused as if the node were down. */
function withoutLogStart(port: ReplicaPort): ReplicaPort {
  return {
    id: port.id,
    fence: (e) => port.fence(e),
    append: (r) => port.append(r),
    truncate: (e, o) => port.truncate(e, o),
    markEpochStart: (e, o) => port.markEpochStart(e, o),
    repair: (r) => port.repair(r),
    read: (r) => port.read(r),
    advanceLogStart: async () => failure({ code: 'UNAVAILABLE', message: 'down' }),
  };
}

describe('PartitionLeader.deleteRecords (KIP-107)', () => {
  let cluster: TestCluster;
  beforeEach(() => (cluster = memoryCluster()));

  it('moves the log start on the replicas; -1 means the HW; above the HW is OFFSET_OUT_OF_RANGE', async () => {
    const leader = await startLeader(cluster);
    await produceValues(leader, ['a', 'b', 'c', 'd', 'e']);
    expect(await leader.deleteRecords(6n)).toMatchObject({ ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE } });
    expect(await leader.deleteRecords(3n)).toEqual({ ok: true, value: { lowWatermark: 3n } });
    expect(leader.snapshot().logStart).toBe(3n);
    for (const r of cluster.replicas) expect(r.state().logStart).toBe(3n);
    // Lower than the current start: nothing changes, the current low watermark is answered.
    expect(await leader.deleteRecords(1n)).toEqual({ ok: true, value: { lowWatermark: 3n } });
    expect(await leader.fetch({ offset: 2n, maxBytes: 1 << 20 })).toMatchObject({ ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE } });
    const at = await leader.fetch({ offset: 3n, maxBytes: 1 << 20 });
    if (!at.ok) throw new Error(at.error.message);
    expect(at.value.logStartOffset).toBe(3n);
    expect(valuesOf(at.value.records).map((r) => r.value)).toEqual(['d', 'e']);
    expect(await leader.deleteRecords(-1n)).toEqual({ ok: true, value: { lowWatermark: 5n } });
    const produced = await leader.produce({ records: producerBatch({ values: ['f'] }), acks: -1 });
    expect(produced).toMatchObject({ ok: true, value: { baseOffset: 5n, logStartOffset: 5n } });
  });

  it('needs a write quorum: with only one replica moving it answers NOT_ENOUGH_REPLICAS and keeps the old start', async () => {
    const [p0, p1, p2] = cluster.ports as [ReplicaPort, ReplicaPort, ReplicaPort];
    const leader = await startLeader({ ports: [p0, withoutLogStart(p1), withoutLogStart(p2)] });
    await produceValues(leader, ['a', 'b', 'c']);
    expect(await leader.deleteRecords(2n)).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_ENOUGH_REPLICAS } });
    expect(leader.snapshot().logStart).toBe(0n);
  });

  it('a replica fenced by a newer epoch stops the leader: NOT_LEADER_OR_FOLLOWER', async () => {
    const leader = await startLeader(cluster);
    await produceValues(leader, ['a', 'b']);
    await (cluster.replicas[0] as NonNullable<TestCluster['replicas'][0]>).fence(epoch(5));
    expect(await leader.deleteRecords(1n)).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER } });
    expect(leader.isServing).toBe(false);
  });

  it('a new leader takes the highest log start of its recovery quorum and spreads it to the others', async () => {
    const [p0, p1, p2] = cluster.ports as [ReplicaPort, ReplicaPort, ReplicaPort];
    const first = await startLeader({ ports: [p0, p1, withoutLogStart(p2)] });
    await produceValues(first, ['a', 'b', 'c', 'd']);
    expect(await first.deleteRecords(2n)).toEqual({ ok: true, value: { lowWatermark: 2n } });
    expect(cluster.replicas.map((r) => r.state().logStart)).toEqual([2n, 2n, 0n]);
    first.resign();
    const second = await startLeader(cluster, { epoch: epoch(2) });
    expect(second.snapshot().logStart).toBe(2n);
    expect(await second.fetch({ offset: 1n, maxBytes: 1 << 20 })).toMatchObject({ ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE } });
    for (let i = 0; i < 100 && cluster.replicas.some((r) => r.state().logStart !== 2n); i++) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(cluster.replicas.map((r) => r.state().logStart)).toEqual([2n, 2n, 2n]);
  });
});
