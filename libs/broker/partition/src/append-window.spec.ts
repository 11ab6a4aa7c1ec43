import { AppendWindow } from './append-window';
import type { MemoryReplica } from './memory-replica';
import { PartitionLeader } from './partition-leader';
import { memoryCluster, producerBatch, type TestCluster } from './testing/batches';
import { HoldablePort } from './testing/holdable-port';
import { epoch } from './types';

async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function startLeader(ports: TestCluster['ports'], maxInFlightAppends: number): Promise<PartitionLeader> {
  const started = await PartitionLeader.start({ epoch: epoch(1), replicas: ports, minInsyncReplicas: 2, maxMessageBytes: 1_000_000, retryBackoffMs: 1, maxInFlightAppends });
  if (!started.ok) throw new Error(`leader did not start: ${started.error.code}`);
  return started.value;
}

const spans = (r: MemoryReplica) => r.acceptedAppends().map((a) => [a.baseOffset, a.endOffset]);

describe('AppendWindow', () => {
  it('is full at its limit and frees a slot once an Append is committed or answered by every replica', () => {
    const w = new AppendWindow(2);
    const a = w.opened(10n, 3);
    const b = w.opened(20n, 3);
    expect(w.full).toBe(true);
    w.committed(10n);
    expect(a.done).toBe(true);
    expect(w.inFlight).toBe(1);
    for (let i = 0; i < 3; i++) w.settled(b);
    expect(w.inFlight).toBe(0);
    // Late answers of an Append already committed change nothing.
    w.settled(a);
    expect(w.inFlight).toBe(0);
  });

  it('an Append sent to no replica is not counted; clear() forgets everything', () => {
    const w = new AppendWindow(1);
    expect(w.opened(5n, 0).done).toBe(true);
    expect(w.full).toBe(false);
    w.opened(6n, 2);
    expect(w.full).toBe(true);
    w.clear();
    expect(w.full).toBe(false);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new AppendWindow(0)).toThrow(RangeError);
    expect(() => new AppendWindow(1.5)).toThrow(RangeError);
  });
});

describe('PartitionLeader group commit window', () => {
  it('while the window is full, produces wait and then leave together in one Append, in order', async () => {
    const cluster = memoryCluster();
    const ports = cluster.ports.map((p) => new HoldablePort(p));
    const leader = await startLeader(ports, 2);
    for (const p of ports) p.hold();
    const answers: Promise<unknown>[] = [];
    // Five produces in five separate ticks: without a window each would be its own Append.
    for (const v of ['a', 'b', 'c', 'd', 'e']) {
      answers.push(leader.produce({ records: producerBatch({ values: [v] }), acks: -1 }));
      await settle(2);
    }
    for (const r of cluster.replicas) expect(spans(r)).toEqual([[0n, 1n], [1n, 2n]]);
    for (const p of ports) p.release();
    const results = await Promise.all(answers);
    expect(results.map((r) => (r as { ok: boolean; value: { baseOffset: bigint } }).value.baseOffset)).toEqual([0n, 1n, 2n, 3n, 4n]);
    for (const r of cluster.replicas) expect(spans(r)).toEqual([[0n, 1n], [1n, 2n], [2n, 5n]]);
    expect(leader.snapshot().highWatermark).toBe(5n);
  });

  it('a slow third replica does not hold the window: a write quorum committing an Append frees its slot', async () => {
    const cluster = memoryCluster();
    const ports = cluster.ports.map((p) => new HoldablePort(p));
    const leader = await startLeader(ports, 1);
    (ports[2] as HoldablePort).hold();
    for (const v of ['a', 'b', 'c']) {
      expect(await leader.produce({ records: producerBatch({ values: [v] }), acks: -1 })).toMatchObject({ ok: true });
    }
    for (const r of cluster.replicas) expect(spans(r)).toEqual([[0n, 1n], [1n, 2n], [2n, 3n]]);
    (ports[2] as HoldablePort).release();
  });

  it('a replica that fails its Append frees the slot too; the others carry on', async () => {
    const cluster = memoryCluster();
    const ports = cluster.ports.map((p) => new HoldablePort(p));
    const leader = await startLeader(ports, 1);
    (ports[0] as HoldablePort).hold();
    (ports[1] as HoldablePort).hold();
    const first = leader.produce({ records: producerBatch({ values: ['a'] }), acks: -1 });
    await settle(2);
    const second = leader.produce({ records: producerBatch({ values: ['b'] }), acks: -1 });
    await settle(2);
    // Only the first Append is out; the crash of replica 2 and the answers of 0 and 1 free the slot.
    expect(spans(cluster.replicas[0] as MemoryReplica)).toEqual([[0n, 1n]]);
    (cluster.replicas[2] as MemoryReplica).crash();
    (ports[0] as HoldablePort).release();
    (ports[1] as HoldablePort).release();
    expect(await first).toMatchObject({ ok: true, value: { baseOffset: 0n } });
    expect(await second).toMatchObject({ ok: true, value: { baseOffset: 1n } });
    expect(spans(cluster.replicas[0] as MemoryReplica)).toEqual([[0n, 1n], [1n, 2n]]);
  });
});
