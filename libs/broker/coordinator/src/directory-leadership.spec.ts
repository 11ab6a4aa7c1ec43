import { MemoryReplica, PartitionLeader, epoch, replicaId } from '@stratus/broker-partition';
import type { LeaderDirectory, LeadershipChange } from '@stratus/broker-server';
import type { commonV1 } from '@stratus/contracts';
import { offsetsLeadershipFrom } from './directory-leadership';
import { ManualTimers, newRuntime, settle } from './harness.testkit';

const OFFSETS = Buffer.from('0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f', 'hex');
const OTHER = Buffer.from('11111111111111111111111111111111', 'hex');
const ref = (topic: Buffer, partition: number): commonV1.PartitionRef => ({ topicId: { value: topic }, partition });

async function leader(): Promise<PartitionLeader> {
  const byId = new Map<string, MemoryReplica>();
  for (const id of ['a', 'b', 'c']) byId.set(id, new MemoryReplica({ id: replicaId(id), resolvePeer: (p) => byId.get(p) }));
  const r = await PartitionLeader.start({ epoch: epoch(1), replicas: [...byId.values()], minInsyncReplicas: 2, maxMessageBytes: 1 << 20 });
  if (!r.ok) throw new Error('no leader');
  return r.value;
}

/** The part of a LeaderDirectory the adapter uses, driven by the test. */
class FakeDirectory {
  readonly servedNow: { partition: commonV1.PartitionRef; leader: PartitionLeader }[] = [];
  private readonly listeners: ((c: LeadershipChange) => void)[] = [];
  served = () => this.servedNow;
  onLeadershipChange = (l: (c: LeadershipChange) => void) => (this.listeners.push(l), () => undefined);
  emit(c: LeadershipChange): void {
    for (const l of this.listeners) l(c);
  }
}

describe('offsetsLeadershipFrom(LeaderDirectory)', () => {
  it('loads the offsets partitions served now and follows serving/stopped changes of that topic only', async () => {
    const dir = new FakeDirectory();
    const l0 = await leader();
    dir.servedNow.push({ partition: ref(OFFSETS, 0), leader: l0 }, { partition: ref(OTHER, 1), leader: await leader() });
    const runtime = newRuntime(new ManualTimers(), { partitionCount: 4 });
    runtime.attach(offsetsLeadershipFrom(dir as unknown as LeaderDirectory, OFFSETS));
    await settle();
    expect(runtime.status()).toEqual([{ partition: 0, state: 'active' }]);

    const l2 = await leader();
    dir.emit({ kind: 'serving', key: 'x' as never, partition: ref(OFFSETS, 2), epoch: 1, leader: l2 });
    dir.emit({ kind: 'serving', key: 'y' as never, partition: ref(OTHER, 3), epoch: 1, leader: l2 });
    await settle();
    expect(runtime.status()).toEqual([
      { partition: 0, state: 'active' },
      { partition: 2, state: 'active' },
    ]);
    dir.emit({ kind: 'stopped', key: 'x' as never, partition: ref(OFFSETS, 0), epoch: 1, reason: 'reassigned' });
    expect(runtime.status()).toEqual([{ partition: 2, state: 'active' }]);
  });
});
