// The logical log start (DeleteRecords): fenced, durable, inside a batch, hides records below it,
// deletes whole segments below it, and survives a restart and a repair of an empty replica.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { catchUpFrom } from './catch-up';
import { NodeFileIo } from './file-io';
import { readIntent, writeIntent } from './intent';
import { decodeLogStart, encodeLogStart, LOG_START_FILE } from './log-start';
import { testBatch } from './test-batches';
import { errorCode, must, openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';

const nodeFileIo = new NodeFileIo();
const logs = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();

describe('logical log start', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let peerDir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir('log-start');
    peerDir = await tempDir('log-start-peer');
  });
  afterEach(async () => {
    await dir.remove();
    await peerDir.remove();
  });

  it('encodes and decodes its checkpoint, refusing malformed content', () => {
    expect(decodeLogStart(encodeLogStart(4711n), 'f')).toBe(4711n);
    expect(() => decodeLogStart(Buffer.from('1\n5\n'), 'f')).toThrow(/malformed/);
  });

  it('moves the start inside a batch under the promised epoch only, and hides what is below', async () => {
    const r = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    must(await r.fence(E(2)));
    // 20 batches of 5 offsets each, ~360 bytes: several segments.
    for (let i = 0n; i < 100n; i += 5n) must(await r.append(E(2), i, testBatch({ baseOffset: i, epoch: 2, count: 5, payloadBytes: 300 })));
    const segmentsBefore = r.logState().segmentCount;
    expect(segmentsBefore).toBeGreaterThan(3);

    expect(errorCode(await r.advanceLogStart(E(1), 10n))).toBe('FENCED');
    expect(errorCode(await r.advanceLogStart(E(3), 10n))).toBe('UNKNOWN_LEADER_EPOCH');
    expect(errorCode(await r.advanceLogStart(E(2), 101n))).toBe('OFFSET_OUT_OF_RANGE');

    const moved = must(await r.advanceLogStart(E(2), 42n));
    expect(moved.logStart).toBe(42n);
    expect(moved.deletedSegments).toBeGreaterThan(0);
    const state = r.logState();
    expect(state.logStart).toBe(42n);
    expect(state.localLogStart).toBeLessThanOrEqual(40n);
    expect(state.segmentCount).toBe(segmentsBefore - moved.deletedSegments);
    expect(state.epochHistory).toEqual([{ epoch: 2, startOffset: 42n }]);
    expect((await logs(dir.path)).length).toBe(state.segmentCount);

    // Below the start: out of range; at the start: the whole batch holding it (Kafka does the same).
    expect(errorCode(await r.read(41n, 1 << 20))).toBe('OFFSET_OUT_OF_RANGE');
    const at = must(await r.read(42n, 1));
    expect(at.records.readBigInt64BE(0)).toBe(40n);
    expect(at.logStart).toBe(42n);
    // A lower or equal start changes nothing and answers the current one.
    expect(must(await r.advanceLogStart(E(2), 30n))).toEqual({ logStart: 42n, deletedSegments: 0 });
    // Truncating below it is out of range.
    expect(errorCode(await r.truncate(E(2), 41n))).toBe('OFFSET_OUT_OF_RANGE');
    await r.close();

    const reopened = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    expect(reopened.logState()).toMatchObject({ logStart: 42n, logEnd: 100n, promisedEpoch: 2 });
    expect(errorCode(await reopened.read(41n, 1 << 20))).toBe('OFFSET_OUT_OF_RANGE');
    await reopened.close();
  });

  it('a replica behind the peer log start resets to it and is repaired from the batch holding it', async () => {
    const source = await openReplica(peerDir.path);
    must(await source.fence(E(1)));
    for (let i = 0n; i < 30n; i += 5n) must(await source.append(E(1), i, testBatch({ baseOffset: i, epoch: 1, count: 5, payloadBytes: 64 })));
    must(await source.advanceLogStart(E(1), 12n));

    const target = await openReplica(dir.path);
    must(await target.fence(E(1)));
    const copied = must(await catchUpFrom({ read: (offset, maxBytes) => source.read(offset, maxBytes) }, target, E(1)));
    expect(copied.logEnd).toBe(30n);
    expect(target.logState()).toMatchObject({ logStart: 12n, localLogStart: 10n, logEnd: 30n });
    expect(must(await target.read(12n, 1 << 20)).records).toEqual(must(await source.read(12n, 1 << 20)).records);
    await target.close();
    const reopened = await openReplica(dir.path);
    expect(reopened.logState()).toMatchObject({ logStart: 12n, logEnd: 30n });
    await reopened.close();
    await source.close();
  });

  it('a truncation that would cut the batch holding the start restarts the log empty at the start', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    for (let i = 0n; i < 20n; i += 5n) must(await r.append(E(1), i, testBatch({ baseOffset: i, epoch: 1, count: 5, payloadBytes: 64 })));
    must(await r.advanceLogStart(E(1), 7n));
    expect(must(await r.truncate(E(1), 7n)).logEnd).toBe(7n);
    expect(r.logState()).toMatchObject({ logStart: 7n, logEnd: 7n });
    await r.close();
  });

  it('persists a start below the first local offset (segments already dropped by local retention)', async () => {
    const r = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    must(await r.fence(E(2)));
    for (let i = 0n; i < 100n; i += 5n) must(await r.append(E(2), i, testBatch({ baseOffset: i, epoch: 2, count: 5, payloadBytes: 300 })));
    // Local retention (DELETE_SCOPE_LOCAL_ONLY): the hot copy goes, the logical start stays.
    expect((await r.deleteSegmentsBefore(50n)).deletedSegments).toBeGreaterThan(0);
    const local = r.logState().localLogStart;
    expect(local).toBeGreaterThan(20n);
    expect(r.durableLogStart).toBe(0n);
    const segments = r.logState().segmentCount;

    // DeleteRecords at 20: below every local record, so nothing local changes, but it is durable.
    const moved = must(await r.advanceLogStart(E(2), 20n));
    expect(moved).toEqual({ logStart: local, deletedSegments: 0 });
    expect(r.durableLogStart).toBe(20n);
    expect(r.logState()).toMatchObject({ logStart: local, localLogStart: local, segmentCount: segments });
    expect(decodeLogStart(await readFile(join(dir.path, LOG_START_FILE)), 'f')).toBe(20n);
    // Lower or equal: unchanged; higher but still below the local start: moves again.
    must(await r.advanceLogStart(E(2), 15n));
    expect(r.durableLogStart).toBe(20n);
    must(await r.advanceLogStart(E(2), 25n));
    expect(r.durableLogStart).toBe(25n);
    await r.close();

    const reopened = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    expect(reopened.durableLogStart).toBe(25n);
    expect(reopened.logState()).toMatchObject({ logStart: local, localLogStart: local, logEnd: 100n });
    // Moving above the local start still deletes and hides as before.
    must(await reopened.advanceLogStart(E(2), local + 1n));
    expect(reopened.durableLogStart).toBe(local + 1n);
    expect(reopened.logState().logStart).toBe(local + 1n);
    await reopened.close();
  });

  it('a replica behind a peer whose older records are only tiered restarts at the peer first local offset and keeps its logical start', async () => {
    const source = await openReplica(peerDir.path, { config: { segmentBytes: 2048 } });
    must(await source.fence(E(1)));
    for (let i = 0n; i < 100n; i += 5n) must(await source.append(E(1), i, testBatch({ baseOffset: i, epoch: 1, count: 5, payloadBytes: 300 })));
    must(await source.advanceLogStart(E(1), 20n));
    // Local retention after tiering: the source now serves from its first local offset only.
    expect((await source.deleteSegmentsBefore(60n)).deletedSegments).toBeGreaterThan(0);
    const local = source.logState().localLogStart;
    expect(local).toBeGreaterThan(20n);
    // The Read refusal carries both starts.
    const refused = await source.read(0n, 1 << 20);
    expect(refused).toMatchObject({ ok: false, error: { code: 'OFFSET_OUT_OF_RANGE', logStart: local, durableLogStart: 20n } });

    const target = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    must(await target.fence(E(1)));
    const copied = must(await catchUpFrom({ read: (offset, maxBytes) => source.read(offset, maxBytes) }, target, E(1)));
    expect(copied.logEnd).toBe(100n);
    // Taking the servable start as the logical one would report a deletion of [20, local) nobody asked for.
    expect(target.durableLogStart).toBe(20n);
    expect(target.logState()).toMatchObject({ logStart: local, localLogStart: local, durableLogStart: 20n, logEnd: 100n });
    await target.close();
    const reopened = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    expect(reopened.durableLogStart).toBe(20n);
    await reopened.close();
    await source.close();
  });

  it('a reset interrupted by a crash is replayed with the logical start it carried', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    for (let i = 0n; i < 20n; i += 5n) must(await r.append(E(1), i, testBatch({ baseOffset: i, epoch: 1, count: 5, payloadBytes: 64 })));
    await r.close();
    // The intent was durable, the reset itself never ran.
    await writeIntent(nodeFileIo, dir.path, { kind: 'reset', offset: 40n, logStart: 25n });
    expect(await readIntent(nodeFileIo, dir.path)).toEqual({ kind: 'reset', offset: 40n, logStart: 25n });
    const reopened = await openReplica(dir.path);
    expect(reopened.durableLogStart).toBe(25n);
    expect(reopened.logState()).toMatchObject({ logStart: 40n, localLogStart: 40n, logEnd: 40n });
    expect(await readIntent(nodeFileIo, dir.path)).toBeUndefined();
    await reopened.close();
  });
});
