import { divergencePoint } from './reconcile';
import { recoverLeadership } from './recovery';
import { memoryCluster, valuesOf } from './testing/batches';
import { write } from './testing/logs';
import type { MemoryReplica } from './memory-replica';
import { epoch, type EpochStart } from './types';

const h = (...pairs: [number, bigint][]): EpochStart[] => pairs.map(([e, s]) => ({ epoch: epoch(e), startOffset: s }));
const values = (r: MemoryReplica): string[] => valuesOf(Buffer.concat(r.batches().map((f) => f.bytes))).map((v) => v.value);

describe('divergencePoint (OffsetForLeaderEpoch, KIP-279)', () => {
  const truth = { epochHistory: h([1, 0n], [3, 4n]), logEnd: 7n };

  it('agrees when the replica is a prefix of the truth', () => {
    expect(divergencePoint({ promisedEpoch: undefined, logStart: 0n, logEnd: 6n, epochHistory: h([1, 0n], [3, 4n]) }, truth)).toBeUndefined();
    expect(divergencePoint({ promisedEpoch: undefined, logStart: 0n, logEnd: 2n, epochHistory: h([1, 0n]) }, truth)).toBeUndefined();
  });

  it('cuts an old-epoch tail where the truth moved to a newer epoch', () => {
    expect(divergencePoint({ promisedEpoch: undefined, logStart: 0n, logEnd: 6n, epochHistory: h([1, 0n]) }, truth)).toBe(4n);
  });

  it('cuts an epoch the truth never had back to where the shared epoch ended', () => {
    expect(divergencePoint({ promisedEpoch: undefined, logStart: 0n, logEnd: 9n, epochHistory: h([1, 0n], [2, 3n]) }, truth)).toBe(3n);
  });

  it('cuts into the last batch under a dangling epoch mark the truth does not have (found by the simulation)', () => {
    // Epoch 2's recovery marked offset 4 here and failed; epoch 3 then kept 4.. under epoch 1.
    const truth1 = { epochHistory: h([1, 0n], [3, 5n]), logEnd: 7n };
    expect(divergencePoint({ promisedEpoch: undefined, logStart: 0n, logEnd: 4n, epochHistory: h([1, 0n], [2, 4n]) }, truth1)).toBe(3n);
    // A mark of an epoch the truth has is fine.
    expect(divergencePoint({ promisedEpoch: undefined, logStart: 0n, logEnd: 4n, epochHistory: h([1, 0n], [3, 4n]) }, truth)).toBeUndefined();
  });
});

describe('recoverLeadership', () => {
  it('refuses configurations that break W + Q > N', async () => {
    const { ports } = memoryCluster();
    expect(await recoverLeadership({ epoch: epoch(1), replicas: ports, writeQuorum: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG' } });
    expect(await recoverLeadership({ epoch: epoch(1), replicas: ports, writeQuorum: 4 })).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG' } });
  });

  it('settles on the most up-to-date log, cuts divergent tails, repairs short replicas and marks E', async () => {
    const { replicas, ports } = memoryCluster();
    const [a, b, c] = replicas as [MemoryReplica, MemoryReplica, MemoryReplica];
    // Epoch 1 wrote x0..x2 everywhere.
    for (const r of replicas) await write(r, 1, ['x0', 'x1', 'x2']);
    // Epoch 2's leader reached only c (uncommitted y3, y4); epoch 3's only b (z3); then epoch 4's
    // leader wrote w3 to a and b (committed with W = 2).
    await write(c, 2, ['y3', 'y4']);
    await write(b, 3, ['z3']);
    await b.truncate(epoch(3), 3n);
    await write(a, 4, ['w3']);
    await write(b, 4, ['w3']);
    // c has [1 @0][2 @3]: against the truth [1 @0][4 @3] its epoch 2 must go. With a down, the
    // quorum is b and c, so c is settled by recovery itself.
    a.crash();
    const recovered = await recoverLeadership({ epoch: epoch(5), replicas: ports, writeQuorum: 2 });
    expect(recovered).toMatchObject({ ok: true, value: { logEnd: 4n, logStart: 0n } });
    if (!recovered.ok) return;
    expect(recovered.value.epochHistory).toEqual(h([1, 0n], [4, 3n], [5, 4n]));
    for (const r of [b, c]) {
      expect(values(r)).toEqual(['x0', 'x1', 'x2', 'w3']);
      expect(r.state().epochHistory).toEqual(h([1, 0n], [4, 3n], [5, 4n]));
    }
    expect(recovered.value.replicas.map((r) => r.inSync)).toEqual([false, true, true]);
  });

  it('takes the highest durable start of the quorum, not a first local offset, and reports the hot start apart (KIP-405)', async () => {
    const { replicas, ports } = memoryCluster();
    const [a, b, c] = replicas as [MemoryReplica, MemoryReplica, MemoryReplica];
    for (const r of replicas) await write(r, 1, ['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
    // DeleteRecords to 2 reached a and b (a write quorum), not c.
    for (const r of [a, b]) expect((await r.advanceLogStart(epoch(1), 2n)).ok).toBe(true);
    // Local retention after tiering: a dropped [0, 4), b [0, 3), c [0, 5).
    a.dropLocalBefore(4n);
    b.dropLocalBefore(3n);
    c.dropLocalBefore(5n);
    expect(c.state()).toMatchObject({ logStart: 5n, durableLogStart: 0n });
    const recovered = await recoverLeadership({ epoch: epoch(2), replicas: ports, writeQuorum: 2 });
    // The source is a (all equal logs: the first answer); its hot tier starts at 4.
    expect(recovered).toMatchObject({ ok: true, value: { logEnd: 6n, logStart: 2n } });
    if (!recovered.ok) return;
    expect(recovered.value.localLogStart).toBeGreaterThanOrEqual(3n);
    expect(recovered.value.localLogStart).toBeLessThanOrEqual(5n);
    // Still nothing was deleted beyond the durable start: every replica keeps its logical start.
    expect(replicas.map((r) => r.state().durableLogStart)).toEqual([2n, 2n, 0n]);
  });

  it('continues with a quorum when one replica is down, and reports it lagging', async () => {
    const { replicas, ports } = memoryCluster();
    const [a, b, c] = replicas as [MemoryReplica, MemoryReplica, MemoryReplica];
    await write(a, 1, ['a']);
    await write(b, 1, ['a', 'b']);
    c.crash();
    const recovered = await recoverLeadership({ epoch: epoch(2), replicas: ports, writeQuorum: 2 });
    expect(recovered).toMatchObject({ ok: true, value: { logEnd: 2n } });
    if (!recovered.ok) return;
    expect(recovered.value.replicas.map((r) => r.inSync)).toEqual([true, true, false]);
    expect(values(a)).toEqual(['a', 'b']);
  });

  it('needs a quorum of fence answers', async () => {
    const { replicas, ports } = memoryCluster();
    (replicas[0] as MemoryReplica).crash();
    (replicas[1] as MemoryReplica).crash();
    expect(await recoverLeadership({ epoch: epoch(1), replicas: ports, writeQuorum: 2 })).toEqual({
      ok: false,
      error: { code: 'NO_QUORUM', step: 'fence', reached: 1, needed: 2 },
    });
  });

  it('gives up when a newer epoch already fenced a replica', async () => {
    const { replicas, ports } = memoryCluster();
    await (replicas[1] as MemoryReplica).fence(epoch(9));
    await (replicas[2] as MemoryReplica).fence(epoch(9));
    expect(await recoverLeadership({ epoch: epoch(3), replicas: ports, writeQuorum: 2 })).toMatchObject({
      ok: false,
      error: { code: 'FENCED', promisedEpoch: 9 },
    });
  });

  it('the epoch mark keeps a committed tail from being erased by a longer older log (Raft no-op)', async () => {
    const { replicas, ports } = memoryCluster();
    const [a, b, c] = replicas as [MemoryReplica, MemoryReplica, MemoryReplica];
    for (const r of replicas) await write(r, 1, ['x0']);
    // Epoch 2 wrote y1, y2 only to c (never committed).
    await write(c, 2, ['y1', 'y2']);
    // Epoch 3 recovers with a and b only (c down): E = 1, marked on a and b.
    c.crash();
    expect(await recoverLeadership({ epoch: epoch(3), replicas: ports, writeQuorum: 2 })).toMatchObject({ ok: true, value: { logEnd: 1n } });
    // Epoch 4 recovers with b and c: b's mark (3 @1) beats c's longer epoch-2 log.
    a.crash();
    c.restart();
    const recovered = await recoverLeadership({ epoch: epoch(4), replicas: ports, writeQuorum: 2 });
    expect(recovered).toMatchObject({ ok: true, value: { logEnd: 1n, source: b.id } });
    expect(values(c)).toEqual(['x0']);
  });
});
