// Segment rolling, retention from the front, time lookups and full-disk behaviour on a real disk.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FaultInjectingFileIo } from './fault-injecting-file-io';
import { NodeFileIo } from './file-io';
import { testBatch } from './test-batches';
import { ManualClock, errorCode, must, openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';

const logs = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();

describe('segments', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir('segments')));
  afterEach(() => dir.remove());

  it('rolls by size and writes sealed indexes; reads across segments return every batch', async () => {
    const r = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    must(await r.fence(E(1)));
    const written: Buffer[] = [];
    for (let i = 0n; i < 50n; i++) {
      const b = testBatch({ baseOffset: i, epoch: 1, payloadBytes: 300 });
      written.push(b);
      must(await r.append(E(1), i, b));
    }
    const files = await logs(dir.path);
    expect(files.length).toBe(r.logState().segmentCount);
    expect(files.length).toBeGreaterThan(5);
    for (const s of r.segmentsInfo().slice(0, -1)) expect(s.size).toBeLessThanOrEqual(2048);
    expect(files[1]).toBe(`${r.segmentsInfo()[1]?.baseOffset.toString().padStart(20, '0')}.log`);
    const got: Buffer[] = [];
    let at = 0n;
    while (at < 50n) {
      const chunk = must(await r.read(at, 1 << 20));
      got.push(chunk.records);
      at = chunk.nextOffset;
    }
    expect(Buffer.concat(got)).toEqual(Buffer.concat(written));
    await r.close();
  });

  it('rolls by time (segment.ms) and finds offsets by timestamp through the time index', async () => {
    const clock = new ManualClock();
    const r = await openReplica(dir.path, { clock, config: { segmentMs: 60_000 } });
    must(await r.fence(E(1)));
    for (let i = 0n; i < 10n; i++) {
      must(await r.append(E(1), i, testBatch({ baseOffset: i, epoch: 1, maxTimestamp: 5_000n + i * 10n, payloadBytes: 100 })));
      clock.ms += 15_000;
    }
    expect(r.logState().segmentCount).toBe(3);
    expect(await r.offsetForTimestamp(5_045n)).toEqual({ offset: 5n, timestamp: 5_050n });
    expect(await r.offsetForTimestamp(0n)).toEqual({ offset: 0n, timestamp: 5_000n });
    expect(await r.offsetForTimestamp(9_999n)).toBeUndefined();
    await r.close();
  });

  it('deletes whole segments from the front only up to the offset the caller declares safe', async () => {
    const clock = new ManualClock(100_000);
    const r = await openReplica(dir.path, { clock, config: { segmentBytes: 2048 } });
    must(await r.fence(E(1)));
    must(await r.markEpochStart(E(1), 0n));
    for (let i = 0n; i < 40n; i++) must(await r.append(E(1), i, testBatch({ baseOffset: i, epoch: 1, payloadBytes: 300, maxTimestamp: 1_000n + i })));
    const before = r.segmentsInfo();
    const second = before[1]?.nextOffset as bigint;
    // Asking for an offset inside the second segment deletes only the first.
    const res = await r.deleteSegmentsBefore(second - 1n);
    expect(res).toEqual({ deletedSegments: 1, logStart: before[1]?.baseOffset });
    expect(errorCode(await r.read(0n, 10))).toBe('OFFSET_OUT_OF_RANGE');
    expect(r.logState().epochHistory).toEqual([{ epoch: 1, startOffset: res.logStart }]);
    // Retention by bytes keeps at least retentionBytes; retention by time uses each segment's max timestamp.
    const bySize = r.retentionOffset({ retentionBytes: r.logState().sizeBytes - (r.segmentsInfo()[0]?.size as number) });
    expect(r.retentionOffset({ retentionBytes: r.logState().sizeBytes - (r.segmentsInfo()[0]?.size as number) + 1 })).toBe(r.logState().logStart);
    expect(bySize).toBe(r.segmentsInfo()[0]?.nextOffset);
    expect(r.retentionOffset({ now: 1_000 + 1_000, retentionMs: 1_000 })).toBe(r.logState().logStart);
    const byTime = r.retentionOffset({ now: 1_000 + 40 + 1_000, retentionMs: 1_000 });
    expect(byTime).toBe(r.segmentsInfo()[r.segmentsInfo().length - 2]?.nextOffset);
    // Never the active segment, even when everything is past retention.
    await r.deleteSegmentsBefore(1_000n);
    expect(r.logState().segmentCount).toBe(1);
    expect(r.logState().logStart).toBe(r.segmentsInfo()[0]?.baseOffset);
    await r.close();
    const reopened = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    expect(reopened.logState()).toMatchObject({ logStart: r.logState().logStart, logEnd: 40n });
    await reopened.close();
  });

  it('a full disk fails appends with retriable DISK_FULL, damages nothing, and recovers when space returns', async () => {
    const io = new FaultInjectingFileIo(new NodeFileIo());
    const r = await openReplica(dir.path, { io, config: { segmentBytes: 2048 } });
    must(await r.fence(E(1)));
    const written: Buffer[] = [];
    for (let i = 0n; i < 10n; i++) {
      written.push(testBatch({ baseOffset: i, epoch: 1, payloadBytes: 300 }));
      must(await r.append(E(1), i, written[Number(i)] as Buffer));
    }
    const sizes = await Promise.all((await logs(dir.path)).map(async (f) => (await stat(join(dir.path, f))).size));
    io.failWrites({ code: 'ENOSPC', partialBytes: 150 });
    for (let i = 0; i < 5; i++) {
      const res = await r.append(E(1), 10n, testBatch({ baseOffset: 10n, epoch: 1, payloadBytes: 300 }));
      expect(res.ok ? undefined : res.error).toMatchObject({ code: 'DISK_FULL', retriable: true });
    }
    // A new epoch cannot be recorded either, and the old promise stays in force.
    expect(errorCode(await r.fence(E(2)))).toBe('DISK_FULL');
    expect(r.logState()).toMatchObject({ logEnd: 10n, promisedEpoch: 1 });
    expect(await Promise.all((await logs(dir.path)).map(async (f) => (await stat(join(dir.path, f))).size))).toEqual(sizes);
    expect(must(await r.read(0n, 1 << 20)).records.length).toBeGreaterThan(0);
    io.clearWriteFault();
    const b10 = testBatch({ baseOffset: 10n, epoch: 1, payloadBytes: 300 });
    must(await r.append(E(1), 10n, b10));
    written.push(b10);
    await r.close();
    const reopened = await openReplica(dir.path, { config: { segmentBytes: 2048 } });
    expect(reopened.recovery.truncatedBytes).toBe(0);
    const got: Buffer[] = [];
    let at = 0n;
    while (at < 11n) {
      const chunk = must(await reopened.read(at, 1 << 20));
      got.push(chunk.records);
      at = chunk.nextOffset;
    }
    expect(Buffer.concat(got)).toEqual(Buffer.concat(written));
    await reopened.close();
  });
});
