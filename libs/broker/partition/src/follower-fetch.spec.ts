// Follower fetching (KIP-392) inside the broker: reads that miss the tail cache go to a replica
// in the client's AZ first, and to the others only when it cannot serve.
import { PartitionLeader } from './partition-leader';
import type { ReadRequest, ReplicaPort } from './replica-port';
import { memoryCluster, producerBatch, valuesOf } from './testing/batches';
import { epoch, failure, type ReplicaId } from './types';

/** Counts reads per replica; `down` makes its reads fail as an unreachable node's would. */
class CountingPort implements ReplicaPort {
  reads = 0;
  down = false;
  constructor(private readonly inner: ReplicaPort) {}
  get id() {
    return this.inner.id;
  }
  fence: ReplicaPort['fence'] = (e) => this.inner.fence(e);
  append: ReplicaPort['append'] = (r) => this.inner.append(r);
  truncate: ReplicaPort['truncate'] = (e, o) => this.inner.truncate(e, o);
  markEpochStart: ReplicaPort['markEpochStart'] = (e, o) => this.inner.markEpochStart(e, o);
  repair: ReplicaPort['repair'] = (r) => this.inner.repair(r);
  advanceLogStart: ReplicaPort['advanceLogStart'] = (e, o) => this.inner.advanceLogStart(e, o);
  read = async (r: ReadRequest) => {
    this.reads++;
    if (this.down) return failure({ code: 'UNAVAILABLE' as const, message: 'down' });
    return this.inner.read(r);
  };
}

async function leaderWithData(ports: CountingPort[]): Promise<PartitionLeader> {
  // A tail cache too small to hold anything, so every fetch goes to a replica.
  const started = await PartitionLeader.start({ epoch: epoch(1), replicas: ports, minInsyncReplicas: 2, maxMessageBytes: 1_000_000, tailCacheBytes: 1, retryBackoffMs: 1 });
  if (!started.ok) throw new Error(started.error.code);
  const leader = started.value;
  for (const v of ['a', 'b', 'c']) {
    const r = await leader.produce({ records: producerBatch({ values: [v] }), acks: -1 });
    if (!r.ok) throw new Error(r.error.message);
  }
  // All three replicas acknowledge (acks=all returns after two).
  for (let i = 0; i < 100 && leader.snapshot().inSync.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 2));
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  return leader;
}

describe('follower fetching (KIP-392)', () => {
  it('reads from the replica in the client AZ, falls back to another when it fails, and reports who served', async () => {
    const ports = memoryCluster().ports.map((p) => new CountingPort(p));
    const [r0, r1, r2] = ports as [CountingPort, CountingPort, CountingPort];
    const leader = await leaderWithData(ports);
    for (const p of ports) p.reads = 0;
    const inZone = (id: ReplicaId): boolean => id === r2.id;
    const served: ReplicaId[] = [];
    const fetch = () => leader.fetch({ offset: 0n, maxBytes: 1 << 20, preferReplica: inZone, onReplicaRead: (id) => served.push(id) });

    const first = await fetch();
    if (!first.ok) throw new Error(first.error.message);
    expect(valuesOf(first.value.records).map((r) => r.value)).toEqual(['a', 'b', 'c']);
    expect([r0.reads, r1.reads, r2.reads]).toEqual([0, 0, 1]);
    expect(served).toEqual([r2.id]);

    r2.down = true;
    const second = await fetch();
    expect(second.ok).toBe(true);
    expect(r2.reads).toBe(2);
    expect(r0.reads + r1.reads).toBe(1);
    expect(served).toHaveLength(2);
    expect(served[1]).not.toBe(r2.id);
  });

  it('without a preference any replica holding the range serves', async () => {
    const ports = memoryCluster().ports.map((p) => new CountingPort(p));
    const leader = await leaderWithData(ports);
    for (const p of ports) p.reads = 0;
    const got = await leader.fetch({ offset: 1n, maxBytes: 1 << 20 });
    expect(got.ok).toBe(true);
    expect(ports.reduce((n, p) => n + p.reads, 0)).toBe(1);
  });
});
