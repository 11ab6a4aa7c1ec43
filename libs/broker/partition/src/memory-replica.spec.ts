import { assignOffsets } from '@stratus/kafka-records';
import { MemoryReplica } from './memory-replica';
import { memoryCluster, producerBatch } from './testing/batches';
import { epoch, replicaId } from './types';

/** A batch as a leader of `e` would append it at `base`. */
function leaderBatch(e: number, base: bigint, values: string[]): { records: Buffer; end: bigint } {
  const records = producerBatch({ values });
  const assigned = assignOffsets(records, { baseOffset: base, partitionLeaderEpoch: e });
  return { records, end: assigned.lastOffset + 1n };
}

function append(r: MemoryReplica, e: number, base: bigint, values: string[]) {
  const { records, end } = leaderBatch(e, base, values);
  return r.append({ epoch: epoch(e), baseOffset: base, endOffset: end, records, committedOffset: 0n });
}

describe('MemoryReplica enforces the replica rules', () => {
  it('rule 1: fence refuses older epochs and reports the log', async () => {
    const r = new MemoryReplica({ id: replicaId('a') });
    expect(await r.fence(epoch(3))).toEqual({ ok: true, value: { promisedEpoch: 3, logStart: 0n, durableLogStart: 0n, logEnd: 0n, epochHistory: [] } });
    expect(await r.fence(epoch(3))).toMatchObject({ ok: true });
    expect(await r.fence(epoch(2))).toEqual({ ok: false, error: { code: 'FENCED', promisedEpoch: 3 } });
  });

  it('rule 2: append only under the promised epoch, at the log end, stamped with the epoch', async () => {
    const r = new MemoryReplica({ id: replicaId('a') });
    expect(await append(r, 1, 0n, ['x'])).toMatchObject({ ok: false, error: { code: 'NOT_FENCED' } });
    await r.fence(epoch(2));
    expect(await append(r, 1, 0n, ['x'])).toMatchObject({ ok: false, error: { code: 'FENCED', promisedEpoch: 2 } });
    expect(await append(r, 3, 0n, ['x'])).toMatchObject({ ok: false, error: { code: 'NOT_FENCED', promisedEpoch: 2 } });
    expect(await append(r, 2, 5n, ['x'])).toEqual({ ok: false, error: { code: 'OUT_OF_ORDER', logEnd: 0n } });
    expect(await append(r, 2, 0n, ['x', 'y'])).toEqual({ ok: true, value: { logEnd: 2n } });
    // The batch's partitionLeaderEpoch must match the request's epoch.
    const wrong = leaderBatch(1, 2n, ['z']);
    expect(await r.append({ epoch: epoch(2), baseOffset: 2n, endOffset: wrong.end, records: wrong.records, committedOffset: 0n })).toMatchObject({
      ok: false,
      error: { code: 'CORRUPT' },
    });
    // endOffset must match what the batches cover.
    const short = leaderBatch(2, 2n, ['z']);
    expect(await r.append({ epoch: epoch(2), baseOffset: 2n, endOffset: 9n, records: short.records, committedOffset: 0n })).toMatchObject({
      ok: false,
      error: { code: 'CORRUPT' },
    });
    expect(r.state().epochHistory).toEqual([{ epoch: 2, startOffset: 0n }]);
    expect(r.acceptedAppends()).toEqual([{ epoch: 2, baseOffset: 0n, endOffset: 2n }]);
  });

  it('rule 3: truncate and markEpochStart only under the promised epoch; truncation keeps whole batches', async () => {
    const r = new MemoryReplica({ id: replicaId('a') });
    await r.fence(epoch(1));
    await append(r, 1, 0n, ['a', 'b']);
    await r.fence(epoch(2));
    await append(r, 2, 2n, ['c', 'd']);
    expect(r.state().epochHistory).toEqual([
      { epoch: 1, startOffset: 0n },
      { epoch: 2, startOffset: 2n },
    ]);
    expect(await r.truncate(epoch(1), 2n)).toMatchObject({ ok: false, error: { code: 'FENCED' } });
    expect(await r.truncate(epoch(2), 9n)).toMatchObject({ ok: false, error: { code: 'OFFSET_OUT_OF_RANGE' } });
    // 3 lies inside the batch [2, 4): the cut goes to its start, and epoch 2 leaves the history.
    expect(await r.truncate(epoch(2), 3n)).toMatchObject({ ok: true, value: { logEnd: 2n, epochHistory: [{ epoch: 1, startOffset: 0n }] } });
    expect(await r.markEpochStart(epoch(2), 1n)).toEqual({ ok: false, error: { code: 'OUT_OF_ORDER', logEnd: 2n } });
    await r.fence(epoch(4));
    expect(await r.markEpochStart(epoch(4), 2n)).toMatchObject({ ok: true, value: { epochHistory: [{ epoch: 1, startOffset: 0n }, { epoch: 4, startOffset: 2n }] } });
  });

  it('repair copies from a peer keeping batch epochs, and refuses when the peer is down', async () => {
    const cluster = memoryCluster(2);
    const [a, b] = cluster.replicas as [MemoryReplica, MemoryReplica];
    await a.fence(epoch(1));
    await append(a, 1, 0n, ['a']);
    await a.fence(epoch(2));
    await append(a, 2, 1n, ['b', 'c']);
    await b.fence(epoch(3));
    await a.fence(epoch(3));
    const request = { epoch: epoch(3), startOffset: 0n, endOffset: 3n, source: a.id, sourceEpochHistory: a.state().epochHistory };
    a.crash();
    expect(await b.repair(request)).toMatchObject({ ok: false, error: { code: 'PEER_UNAVAILABLE' } });
    a.restart();
    expect(await b.repair({ ...request, startOffset: 1n })).toEqual({ ok: false, error: { code: 'OUT_OF_ORDER', logEnd: 0n } });
    expect(await b.repair(request)).toMatchObject({ ok: true, value: { logEnd: 3n, epochHistory: a.state().epochHistory } });
    expect(b.batches().map((f) => f.bytes)).toEqual(a.batches().map((f) => f.bytes));
  });

  it('a crashed replica answers UNAVAILABLE to everything and keeps its durable state', async () => {
    const r = new MemoryReplica({ id: replicaId('a') });
    await r.fence(epoch(1));
    await append(r, 1, 0n, ['a']);
    r.crash();
    expect(await r.fence(epoch(2))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await r.read({ offset: 0n, maxBytes: 100, maxOffset: 1n })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    r.restart();
    expect(r.state()).toMatchObject({ promisedEpoch: 1, logEnd: 1n });
  });
});
