import { epoch, type ReplicaPort } from '@stratus/broker-partition';
import type { LeadershipChange } from './leader-directory';
import { partitionKeyOf } from './types';
import { NODES, ReplicaFarm, assignment, batch, manager, ref, until } from './server.testkit';

describe('LeadershipManager', () => {
  it('recovers and serves an assignment for this node and generation, and ignores others', async () => {
    const farm = new ReplicaFarm();
    const m = manager(farm);
    const changes: LeadershipChange[] = [];
    m.onLeadershipChange((c) => changes.push(c));
    m.sync([assignment(0), assignment(1, { leaderNodeId: 'b-2' }), assignment(2, { leaderGeneration: 6n })]);
    await until(() => m.get(ref(0)) !== undefined, 'partition 0 served');
    expect(m.get(ref(1))).toBeUndefined();
    expect(m.get(ref(2))).toBeUndefined();
    expect(changes.map((c) => [c.kind, c.partition.partition, c.epoch])).toEqual([['serving', 0, 1]]);
    // Recovery fenced and marked the replicas with the epoch (step 4), and the history is known.
    for (const n of NODES) expect(farm.replica(n, ref(0)).state().promisedEpoch).toBe(1);
    expect(m.epochHistory(ref(0))).toEqual([{ epoch: 1, startOffset: 0n }]);
    expect(m.leaderInfo(ref(1))).toEqual({ leaderNodeId: 'b-2', leaderEpoch: 1, tenantId: 't-1' });
    expect(m.served().map((s) => s.partition.partition)).toEqual([0]);
  });

  it('stops at once when the assignment moves away or its epoch changes, and recovers the new epoch', async () => {
    const farm = new ReplicaFarm();
    const m = manager(farm);
    m.sync([assignment(0)]);
    await until(() => m.get(ref(0)) !== undefined);
    const first = m.get(ref(0));
    expect((await first?.produce({ records: batch(['a']), acks: -1 }))?.ok).toBe(true);

    m.sync([assignment(0, { leaderEpoch: 2 })]);
    expect(first?.isServing).toBe(false);
    await until(() => m.get(ref(0))?.epoch === 2, 'epoch 2 served');
    expect(m.get(ref(0))?.snapshot().highWatermark).toBe(1n);
    expect(m.epochHistory(ref(0))).toEqual([
      { epoch: 1, startOffset: 0n },
      { epoch: 2, startOffset: 1n },
    ]);

    const second = m.get(ref(0));
    m.sync([assignment(0, { leaderEpoch: 3, leaderNodeId: 'b-2' })]);
    expect(second?.isServing).toBe(false);
    expect(m.get(ref(0))).toBeUndefined();
    expect(m.leaderInfo(ref(0))?.leaderNodeId).toBe('b-2');
  });

  it('a lost lease stops every partition; a new generation only serves assignments made to it', async () => {
    const farm = new ReplicaFarm();
    const m = manager(farm);
    m.sync([assignment(0), assignment(1)]);
    await until(() => m.served().length === 2);
    const leaders = m.served().map((s) => s.leader);
    m.setGeneration(undefined);
    expect(leaders.every((l) => !l.isServing)).toBe(true);
    expect(m.served()).toEqual([]);
    // Re-registered as generation 8: assignments of generation 7 belong to the old incarnation.
    m.setGeneration(8n);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(m.served()).toEqual([]);
    m.sync([assignment(0, { leaderEpoch: 2, leaderGeneration: 8n })]);
    await until(() => m.get(ref(0))?.epoch === 2);
  });

  it('a fenced leader stops serving and is not restarted under the same epoch', async () => {
    const farm = new ReplicaFarm();
    const m = manager(farm);
    const stopped: LeadershipChange[] = [];
    m.onLeadershipChange((c) => c.kind === 'stopped' && stopped.push(c));
    m.sync([assignment(0)]);
    await until(() => m.get(ref(0)) !== undefined);
    // Another broker took over with epoch 5 and fenced every replica.
    for (const n of NODES) await farm.replica(n, ref(0)).fence(epoch(5));
    const produced = await m.get(ref(0))?.produce({ records: batch(['x']), acks: -1 });
    expect(produced?.ok).toBe(false);
    await until(() => stopped.length === 1, 'stopped');
    expect(stopped[0]).toMatchObject({ kind: 'stopped', epoch: 1, reason: 'fenced by epoch 5' });
    expect(m.get(ref(0))).toBeUndefined();
    m.sync([assignment(0)]); // the same, now stale, assignment again
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(m.phases().size).toBe(0);
  });

  it('a failed recovery is never retried under the same epoch; it asks for a new one and recovers that', async () => {
    const farm = new ReplicaFarm();
    const down = new Set<string>(['r-b', 'r-c']);
    farm.wrap = (node, port): ReplicaPort => ({
      ...port,
      id: port.id,
      fence: (e) => (down.has(node) ? Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'down' } }) : port.fence(e)),
      append: (r) => port.append(r),
      truncate: (e, o) => port.truncate(e, o),
      markEpochStart: (e, o) => port.markEpochStart(e, o),
      repair: (r) => port.repair(r),
      read: (r) => port.read(r),
      advanceLogStart: (e, o) => port.advanceLogStart(e, o),
    });
    const asked: number[] = [];
    const m = manager(farm, {
      retryInitialMs: 5,
      retryMaxMs: 10,
      requestNewEpoch: (a) => {
        asked.push(a.leaderEpoch);
        return Promise.resolve();
      },
    });
    m.sync([assignment(0, { leaderEpoch: 4 })]);
    await until(() => m.phases().get(partitionKeyOf(ref(0)))?.phase === 'failed', 'failed');
    await until(() => asked.length >= 2, 'asked twice');
    expect(new Set(asked)).toEqual(new Set([4]));
    // Replicas back, but the same epoch must not be tried again.
    down.clear();
    m.sync([assignment(0, { leaderEpoch: 4 })]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(m.get(ref(0))).toBeUndefined();
    expect(farm.replica('r-a', ref(0)).state().promisedEpoch).toBe(4);
    m.sync([assignment(0, { leaderEpoch: 5 })]);
    await until(() => m.get(ref(0))?.epoch === 5, 'epoch 5 served');
    m.close();
  });
});
