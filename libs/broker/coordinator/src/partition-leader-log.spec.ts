import { MemoryReplica, PartitionLeader, epoch, replicaId, type ReplicaPort } from '@stratus/broker-partition';
import { ManualTimers, PassthroughClient, newRuntime } from './harness.testkit';
import { PartitionLeaderOffsetsLog } from './partition-leader-log';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Three in-memory replicas of one offsets partition, reachable as repair peers of each other. */
function replicas(): MemoryReplica[] {
  const byId = new Map<string, MemoryReplica>();
  for (const id of ['r1', 'r2', 'r3']) byId.set(id, new MemoryReplica({ id: replicaId(id), resolvePeer: (peer) => byId.get(peer) }));
  return [...byId.values()];
}

async function lead(ports: readonly ReplicaPort[], e: number): Promise<PartitionLeader> {
  const started = await PartitionLeader.start({ epoch: epoch(e), replicas: ports, minInsyncReplicas: 2, maxMessageBytes: 1 << 20 });
  if (!started.ok) throw new Error(`leader did not start: ${JSON.stringify(started.error)}`);
  return started.value;
}

const commit = (groupId: string, offset: bigint): Json => ({
  groupId,
  generationIdOrMemberEpoch: -1,
  memberId: '',
  groupInstanceId: null,
  topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
});

describe('PartitionLeaderOffsetsLog (over a replicated PartitionLeader)', () => {
  it('commits with acks=all and a new leader epoch replays the partition into a new coordinator', async () => {
    const rs = replicas();
    const timers = new ManualTimers();
    const leader1 = await lead(rs, 1);
    const first = newRuntime(timers);
    expect((await first.becomeLeader(0, new PartitionLeaderOffsetsLog(leader1))).ok).toBe(true);
    const c1 = new PassthroughClient(first, 'ta');
    for (let i = 1n; i <= 5n; i++) expect((await c1.call<Json>(8, 9, commit(c1.g('g'), i * 10n))).topics[0].partitions[0].errorCode).toBe(0);
    expect(leader1.snapshot().highWatermark).toBe(5n);

    // Failover: the next epoch's leader recovers from the replicas; the old one is fenced.
    leader1.resign();
    first.resign(0);
    const leader2 = await lead(rs, 2);
    const second = newRuntime(timers);
    expect((await second.becomeLeader(0, new PartitionLeaderOffsetsLog(leader2))).ok).toBe(true);
    const c2 = new PassthroughClient(second, 'ta');
    const fetched = await c2.call<Json>(9, 8, { groups: [{ groupId: c2.g('g'), topics: null }], requireStable: false });
    expect(fetched.groups[0].topics[0].partitions[0]).toMatchObject({ partitionIndex: 0, committedOffset: 50n });
    expect((await c2.call<Json>(8, 9, commit(c2.g('g'), 60n))).topics[0].partitions[0].errorCode).toBe(0);
  });
});
