import fc from 'fast-check';
import { brokerId, cellId, epoch, nodeId, type BrokerId } from '../ids/ids';
import { placePartitions, reassignLeaders, type PlacementNode } from './placement';

const cell = cellId('c1');
const rep = (id: string, az: string, c = cell): PlacementNode => ({ id: nodeId(id), az, cell: c });
const broker = (id: string, az: string, c = cell): PlacementNode<BrokerId> => ({ id: brokerId(id), az, cell: c });

describe('placePartitions', () => {
  const nodes = [rep('r1', 'a'), rep('r2', 'a'), rep('r3', 'b'), rep('r4', 'b'), rep('r5', 'c'), rep('r6', 'd'), rep('x1', 'a', cellId('c2'))];
  const brokers = [broker('b1', 'a'), broker('b2', 'b'), broker('bx', 'a', cellId('c2'))];

  it('puts each partition on 3 distinct AZs of the cell and spreads load', () => {
    const result = placePartitions({ cell, count: 12, replicationNodes: nodes, brokers, replicaLoad: new Map(), leaderLoad: new Map() });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const perNode = new Map<string, number>();
    const perBroker = new Map<string, number>();
    for (const p of result.value) {
      const azs = p.replicas.map((id) => nodes.find((n) => n.id === id)?.az);
      expect(new Set(azs).size).toBe(3);
      expect(p.replicas.every((id) => !id.startsWith('x'))).toBe(true);
      for (const id of p.replicas) perNode.set(id, (perNode.get(id) ?? 0) + 1);
      perBroker.set(String(p.leader), (perBroker.get(String(p.leader)) ?? 0) + 1);
    }
    expect(perBroker).toEqual(new Map([['b1', 6], ['b2', 6]]));
    // 36 replicas over 6 nodes in 4 AZs: every node is used, none more than twice the fair share.
    expect(perNode.size).toBe(6);
    for (const n of perNode.values()) expect(n).toBeLessThanOrEqual(12);
  });

  it('prefers lightly loaded nodes and is deterministic', () => {
    const options = {
      cell,
      count: 1,
      replicationNodes: nodes,
      brokers,
      replicaLoad: new Map([['r1', 5], ['r3', 5], ['r5', 5]]),
      leaderLoad: new Map([['b1', 3]]),
    };
    const result = placePartitions(options);
    expect(result).toEqual({ ok: true, value: [{ leader: 'b2', leaderGeneration: 0n, replicas: ['r2', 'r4', 'r6'] }] });
    expect(placePartitions(options)).toEqual(result);
  });

  it('refuses a cell without 3 AZs and leaves leader null without brokers', () => {
    const two = placePartitions({ cell, count: 1, replicationNodes: [rep('r1', 'a'), rep('r3', 'b')], brokers, replicaLoad: new Map(), leaderLoad: new Map() });
    expect(two.ok ? undefined : two.error.name).toBe('INVALID_REPLICATION_FACTOR');
    const none = placePartitions({ cell, count: 1, replicationNodes: nodes, brokers: [], replicaLoad: new Map(), leaderLoad: new Map() });
    expect(none.ok && none.value[0]?.leader).toBeNull();
  });

  it('property: any cell with >= 3 AZs yields 3 distinct-AZ replicas for every partition', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 30 }), (spec, count) => {
        const list = spec.map(([az, n], i) => rep(`n${i}-${n}`, `az${az}`));
        const azCount = new Set(list.map((n) => n.az)).size;
        const result = placePartitions({ cell, count, replicationNodes: list, brokers, replicaLoad: new Map(), leaderLoad: new Map() });
        if (azCount < 3) return !result.ok;
        return result.ok && result.value.length === count && result.value.every((p) => new Set(p.replicas.map((id) => list.find((n) => n.id === id)?.az)).size === 3);
      }),
    );
  });
});

describe('reassignLeaders', () => {
  it('moves partitions of dead brokers to the least loaded live broker and bumps epochs', () => {
    const changes = reassignLeaders({
      partitions: [
        { key: 'p0', leader: brokerId('dead'), leaderEpoch: epoch(4), leaderGeneration: 7n },
        { key: 'p1', leader: brokerId('b1'), leaderEpoch: epoch(2), leaderGeneration: 0n },
        { key: 'p2', leader: brokerId('dead'), leaderEpoch: epoch(9), leaderGeneration: 7n },
        { key: 'p3', leader: null, leaderEpoch: epoch(0), leaderGeneration: null },
      ],
      liveBrokers: [broker('b1', 'a'), broker('b2', 'b')],
      leaderLoad: new Map([['b1', 1]]),
    });
    expect(changes).toEqual([
      { key: 'p0', leader: 'b2', leaderEpoch: 5, leaderGeneration: 0n },
      { key: 'p2', leader: 'b1', leaderEpoch: 10, leaderGeneration: 0n },
      { key: 'p3', leader: 'b2', leaderEpoch: 1, leaderGeneration: 0n },
    ]);
  });

  it('leaves partitions leaderless with a bumped epoch when no broker is live', () => {
    const changes = reassignLeaders({
      partitions: [
        { key: 'p0', leader: brokerId('dead'), leaderEpoch: epoch(1), leaderGeneration: 1n },
        { key: 'p1', leader: null, leaderEpoch: epoch(3), leaderGeneration: null },
      ],
      liveBrokers: [],
      leaderLoad: new Map(),
    });
    expect(changes).toEqual([{ key: 'p0', leader: null, leaderEpoch: 2, leaderGeneration: null }]);
  });

  it('treats a restarted broker (new registration generation) as a new leader: epoch bump', () => {
    const changes = reassignLeaders({
      partitions: [
        { key: 'p0', leader: brokerId('b1'), leaderEpoch: epoch(3), leaderGeneration: 10n },
        { key: 'p1', leader: brokerId('b1'), leaderEpoch: epoch(5), leaderGeneration: 42n },
      ],
      liveBrokers: [{ ...broker('b1', 'a'), generation: 42n }],
      leaderLoad: new Map(),
    });
    expect(changes).toEqual([{ key: 'p0', leader: 'b1', leaderEpoch: 4, leaderGeneration: 42n }]);
  });
});
