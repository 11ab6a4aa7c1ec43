// The replica rules of design/replication-protocol.md on a real disk.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testBatch, testBatches } from './test-batches';
import { errorCode, must, openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';
import { EPOCH_HISTORY_FILE, PROMISED_EPOCH_FILE } from './partition-replica';

describe('PartitionReplica replica rules', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir('replica')));
  afterEach(() => dir.remove());

  it('rule 1: fence persists the promised epoch durably and refuses older epochs', async () => {
    const r = await openReplica(dir.path);
    const state = must(await r.fence(E(3)));
    expect(state).toEqual({ promisedEpoch: 3, logStart: 0n, logEnd: 0n, epochHistory: [] });
    expect((await readFile(join(dir.path, PROMISED_EPOCH_FILE), 'utf8')).trim()).toBe('0\n3');
    const older = await r.fence(E(2));
    expect(older.ok ? undefined : older.error).toMatchObject({ code: 'FENCED', promisedEpoch: 3 });
    must(await r.fence(E(3)));
    await r.close();
    const reopened = await openReplica(dir.path);
    expect(errorCode(await reopened.fence(E(2)))).toBe('FENCED');
    expect(reopened.logState().promisedEpoch).toBe(3);
    await reopened.close();
  });

  it('rule 2: appends need the promised epoch and must start at logEnd', async () => {
    const r = await openReplica(dir.path);
    expect(errorCode(await r.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 })))).toBe('UNKNOWN_LEADER_EPOCH');
    must(await r.fence(E(1)));
    expect(must(await r.append(E(1), 0n, testBatches(0n, 1, [3, 2])))).toEqual({ logEnd: 5n });
    const gap = await r.append(E(1), 7n, testBatch({ baseOffset: 7n, epoch: 1 }));
    expect(gap.ok ? undefined : gap.error).toMatchObject({ code: 'OUT_OF_ORDER', logEnd: 5n });
    const dup = await r.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 }));
    expect(dup.ok ? undefined : dup.error).toMatchObject({ code: 'OUT_OF_ORDER', logEnd: 5n });
    expect(errorCode(await r.append(E(2), 5n, testBatch({ baseOffset: 5n, epoch: 2 })))).toBe('UNKNOWN_LEADER_EPOCH');
    must(await r.fence(E(2)));
    expect(errorCode(await r.append(E(1), 5n, testBatch({ baseOffset: 5n, epoch: 1 })))).toBe('FENCED');
    must(await r.append(E(2), 5n, testBatch({ baseOffset: 5n, epoch: 2, count: 4 })));
    expect(r.logState()).toMatchObject({ logEnd: 9n, epochHistory: [{ epoch: 1, startOffset: 0n }, { epoch: 2, startOffset: 5n }] });
    expect((await readFile(join(dir.path, EPOCH_HISTORY_FILE), 'utf8')).split('\n')).toEqual(['0', '2', '1 0', '2 5', '']);
    await r.close();
  });

  it('rejects malformed appends with INVALID_BATCH and stores nothing', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    const good = testBatch({ baseOffset: 0n, epoch: 1 });
    const badCrc = Buffer.from(good);
    badCrc[good.length - 1] = (badCrc[good.length - 1] as number) ^ 0xff;
    expect(errorCode(await r.append(E(1), 0n, badCrc))).toBe('INVALID_BATCH');
    expect(errorCode(await r.append(E(1), 0n, good.subarray(0, 40)))).toBe('INVALID_BATCH');
    expect(errorCode(await r.append(E(1), 0n, Buffer.alloc(0)))).toBe('INVALID_BATCH');
    expect(errorCode(await r.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 0 })))).toBe('INVALID_BATCH');
    const notContiguous = Buffer.concat([testBatch({ baseOffset: 0n, epoch: 1, count: 2 }), testBatch({ baseOffset: 3n, epoch: 1 })]);
    expect(errorCode(await r.append(E(1), 0n, notContiguous))).toBe('INVALID_BATCH');
    expect(r.logState()).toMatchObject({ logEnd: 0n, sizeBytes: 0, epochHistory: [] });
    await r.close();
  });

  it('reads return whole batches exactly as appended, at least one batch, from the batch containing the offset', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    const a = testBatch({ baseOffset: 0n, epoch: 1, count: 3, payloadBytes: 100 });
    const b = testBatch({ baseOffset: 3n, epoch: 1, count: 2, payloadBytes: 100 });
    const c = testBatch({ baseOffset: 5n, epoch: 1, count: 1, payloadBytes: 100 });
    must(await r.append(E(1), 0n, Buffer.concat([a, b])));
    must(await r.append(E(1), 5n, c));
    expect(must(await r.read(0n, 1 << 20)).records).toEqual(Buffer.concat([a, b, c]));
    const mid = must(await r.read(4n, 1));
    expect(mid.records).toEqual(b);
    expect(mid.nextOffset).toBe(5n);
    expect(must(await r.read(1n, a.length + b.length)).records).toEqual(Buffer.concat([a, b]));
    expect(must(await r.read(6n, 100)).records.length).toBe(0);
    const past = await r.read(7n, 100);
    expect(past.ok ? undefined : past.error).toMatchObject({ code: 'OFFSET_OUT_OF_RANGE', logStart: 0n, logEnd: 6n });
    await r.close();
  });

  it('rule 3: truncate and markEpochStart need the promised epoch; truncation rewinds the epoch history', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    must(await r.append(E(1), 0n, testBatches(0n, 1, [2, 2])));
    must(await r.fence(E(2)));
    must(await r.append(E(2), 4n, testBatches(4n, 2, [1, 1, 1])));
    expect(errorCode(await r.truncate(E(1), 4n))).toBe('FENCED');
    must(await r.fence(E(3)));
    expect(errorCode(await r.truncate(E(2), 4n))).toBe('FENCED');
    expect(errorCode(await r.truncate(E(3), 10n))).toBe('OFFSET_OUT_OF_RANGE');
    expect(must(await r.truncate(E(3), 5n))).toEqual({ logEnd: 5n });
    expect(r.logState().epochHistory).toEqual([{ epoch: 1, startOffset: 0n }, { epoch: 2, startOffset: 4n }]);
    // An offset inside a batch truncates to that batch's start, as Kafka does.
    expect(must(await r.truncate(E(3), 3n))).toEqual({ logEnd: 2n });
    expect(r.logState().epochHistory).toEqual([{ epoch: 1, startOffset: 0n }]);
    expect(errorCode(await r.markEpochStart(E(3), 5n))).toBe('OUT_OF_ORDER');
    expect(errorCode(await r.markEpochStart(E(2), 2n))).toBe('FENCED');
    must(await r.markEpochStart(E(3), 2n));
    await r.close();
    const reopened = await openReplica(dir.path);
    expect(reopened.logState()).toMatchObject({ logEnd: 2n, epochHistory: [{ epoch: 1, startOffset: 0n }, { epoch: 3, startOffset: 2n }] });
    // The mark means a later append of epoch 3 adds no second entry.
    must(await reopened.append(E(3), 2n, testBatch({ baseOffset: 2n, epoch: 3 })));
    expect(reopened.logState().epochHistory).toEqual([{ epoch: 1, startOffset: 0n }, { epoch: 3, startOffset: 2n }]);
    expect(must(await reopened.read(0n, 1 << 20)).records).toEqual(Buffer.concat([testBatches(0n, 1, [2]), testBatch({ baseOffset: 2n, epoch: 3 })]));
    await reopened.close();
  });

  it('two epochs appending concurrently: the older loses from the moment the newer fences', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    const oldAcks: Promise<unknown>[] = [];
    let next = 0n;
    // The old leader pipelines 20 appends without waiting; the new leader fences mid-stream.
    for (let i = 0; i < 20; i++) {
      oldAcks.push(r.append(E(1), next, testBatch({ baseOffset: next, epoch: 1, seed: 1000 + i })));
      next += 1n;
      if (i === 9) oldAcks.push(r.fence(E(2)));
    }
    const results = await Promise.all(oldAcks);
    const fenceState = results[10] as { ok: true; value: { logEnd: bigint } };
    expect(fenceState.ok).toBe(true);
    expect(fenceState.value.logEnd).toBe(10n);
    const appendResults = results.filter((_, i) => i !== 10) as { ok: boolean; error?: { code: string } }[];
    expect(appendResults.slice(0, 10).every((x) => x.ok)).toBe(true);
    expect(appendResults.slice(10).map((x) => x.error?.code)).toEqual(Array(10).fill('FENCED'));
    // The new leader continues from the log end it learned; the old one stays fenced.
    must(await r.markEpochStart(E(2), 10n));
    const racing = await Promise.all([
      r.append(E(2), 10n, testBatch({ baseOffset: 10n, epoch: 2 })),
      r.append(E(1), 10n, testBatch({ baseOffset: 10n, epoch: 1 })),
    ]);
    expect(racing.map((x) => (x.ok ? 'ok' : x.error.code))).toEqual(['ok', 'FENCED']);
    const all = must(await r.read(0n, 1 << 20)).records;
    expect(all.subarray(all.length - testBatch({ baseOffset: 10n, epoch: 2 }).length)).toEqual(testBatch({ baseOffset: 10n, epoch: 2 }));
    await r.close();
  });

  it('appendReplicated (peer repair) keeps the source epochs in the history', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(5)));
    const copied = Buffer.concat([testBatch({ baseOffset: 0n, epoch: 1, count: 2 }), testBatch({ baseOffset: 2n, epoch: 3 })]);
    must(await r.appendReplicated(E(5), copied));
    expect(r.logState().epochHistory).toEqual([{ epoch: 1, startOffset: 0n }, { epoch: 3, startOffset: 2n }]);
    expect(errorCode(await r.appendReplicated(E(5), testBatch({ baseOffset: 3n, epoch: 2 })))).toBe('INVALID_BATCH');
    expect(errorCode(await r.appendReplicated(E(5), testBatch({ baseOffset: 3n, epoch: 6 })))).toBe('INVALID_BATCH');
    expect(errorCode(await r.appendReplicated(E(4), testBatch({ baseOffset: 3n, epoch: 3 })))).toBe('FENCED');
    expect(r.endOffsetForEpoch(E(2))).toEqual({ epoch: 1, endOffset: 2n });
    await r.close();
  });

  it('resetTo restarts an empty log at a peer log start', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    must(await r.append(E(1), 0n, testBatches(0n, 1, [1, 1])));
    must(await r.resetTo(E(1), 500n));
    expect(r.logState()).toMatchObject({ logStart: 500n, logEnd: 500n, epochHistory: [] });
    must(await r.appendReplicated(E(1), testBatch({ baseOffset: 500n, epoch: 1 })));
    await r.close();
    const reopened = await openReplica(dir.path);
    expect(reopened.logState()).toMatchObject({ logStart: 500n, logEnd: 501n, epochHistory: [{ epoch: 1, startOffset: 500n }] });
    expect(errorCode(await reopened.read(0n, 10))).toBe('OFFSET_OUT_OF_RANGE');
    await reopened.close();
  });

  it('every-append flush policy still acknowledges with the new log end', async () => {
    const r = await openReplica(dir.path, { config: { flush: { kind: 'every-append' } } });
    must(await r.fence(E(1)));
    expect(must(await r.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 })))).toEqual({ logEnd: 1n });
    expect(r.dirty).toBe(false);
    await r.close();
  });
});

describe('PartitionReplica contract options', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir('replica-opts')));
  afterEach(() => dir.remove());

  it('checks the leader end offset, honours force flush, tracks the committed offset and caps reads at maxOffset', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    const bytes = testBatches(0n, 1, [2, 3]);
    expect(errorCode(await r.append(E(1), 0n, bytes, { endOffset: 4n }))).toBe('INVALID_BATCH');
    must(await r.append(E(1), 0n, bytes, { endOffset: 5n, forceFlush: true, committedOffset: 0n }));
    expect(r.dirty).toBe(false);
    must(await r.append(E(1), 5n, testBatch({ baseOffset: 5n, epoch: 1 }), { committedOffset: 5n }));
    expect(r.logState().committedOffset).toBe(5n);
    expect(must(await r.read(0n, 1 << 20, { maxOffset: 5n })).records).toEqual(bytes);
    expect(must(await r.read(0n, 1 << 20, { maxOffset: 4n })).records).toEqual(testBatches(0n, 1, [2]));
    expect(must(await r.read(0n, 1 << 20, { maxOffset: 1n })).records.length).toBe(0);
    expect(must(await r.read(5n, 1 << 20, { maxOffset: 5n })).nextOffset).toBe(5n);
    await r.close();
  });
});
