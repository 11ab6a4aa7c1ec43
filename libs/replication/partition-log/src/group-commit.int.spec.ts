// Group commit: pipelined appends that queue up behind a busy partition are written together,
// answered in order, and fail together (and cleanly) on a full disk.
import { FaultInjectingFileIo } from './fault-injecting-file-io';
import { NodeFileIo } from './file-io';
import { MonitoredFileIo } from './monitored-file-io';
import { StorageHealthManager } from './storage-health';
import { testBatch } from './test-batches';
import { must, openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';

describe('group commit', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir('group')));
  afterEach(() => dir.remove());

  it('writes pipelined appends with fewer writes than appends, acknowledging each with its own log end', async () => {
    const health = new StorageHealthManager({ stallThresholdMs: 10_000, fatalAfterMs: 60_000, checkIntervalMs: 1_000, onFatal: () => undefined });
    const r = await openReplica(dir.path, { io: new MonitoredFileIo(new NodeFileIo(), health) });
    must(await r.fence(E(1)));
    const before = health.snapshot().operations['write']?.count ?? 0;
    const acks = await Promise.all(Array.from({ length: 40 }, (_, i) => r.append(E(1), BigInt(i), testBatch({ baseOffset: BigInt(i), epoch: 1 }))));
    expect(acks.map((a) => must(a).logEnd)).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i + 1)));
    const writes = (health.snapshot().operations['write']?.count ?? 0) - before;
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(40);
    // A bad append in the middle of a group fails alone; the ones after it are out of order.
    const mixed = await Promise.all([
      r.append(E(1), 40n, testBatch({ baseOffset: 40n, epoch: 1 })),
      r.append(E(1), 41n, testBatch({ baseOffset: 41n, epoch: 0 })),
      r.append(E(1), 42n, testBatch({ baseOffset: 42n, epoch: 1 })),
      r.append(E(1), 41n, testBatch({ baseOffset: 41n, epoch: 1 })),
    ]);
    expect(mixed.map((m) => (m.ok ? 'ok' : m.error.code))).toEqual(['ok', 'INVALID_BATCH', 'OUT_OF_ORDER', 'ok']);
    expect(r.logState().logEnd).toBe(42n);
    await r.close();
  });

  it('a full disk fails the whole group with DISK_FULL and leaves the log as it was', async () => {
    const io = new FaultInjectingFileIo(new NodeFileIo());
    const r = await openReplica(dir.path, { io });
    must(await r.fence(E(1)));
    must(await r.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 })));
    io.failWrites({ code: 'ENOSPC', partialBytes: 100 });
    const failed = await Promise.all(Array.from({ length: 8 }, (_, i) => r.append(E(1), BigInt(i + 1), testBatch({ baseOffset: BigInt(i + 1), epoch: 1 }))));
    expect(failed.map((f) => (f.ok ? 'ok' : f.error.code))).toEqual(Array(8).fill('DISK_FULL'));
    expect(r.logState()).toMatchObject({ logEnd: 1n, sizeBytes: testBatch({ baseOffset: 0n, epoch: 1 }).length });
    io.clearWriteFault();
    must(await r.append(E(1), 1n, testBatch({ baseOffset: 1n, epoch: 1 })));
    await r.close();
    const reopened = await openReplica(dir.path);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expect(reopened.logState().logEnd).toBe(2n);
    await reopened.close();
  });
});
