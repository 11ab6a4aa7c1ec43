// ReplicaStore on a real disk: many partitions, recovery of all at start, deletion, interval
// flushing, and the storage health manager turning a stalled disk into NOT_READY and then fatal.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FaultInjectingFileIo } from './fault-injecting-file-io';
import { NodeFileIo } from './file-io';
import { ReplicaStore } from './replica-store';
import { StorageHealthManager } from './storage-health';
import { testBatch } from './test-batches';
import { ManualClock, TOPIC, errorCode, must, tempDir } from './test-support';
import { DEFAULT_PARTITION_LOG_CONFIG, leaderEpoch as E, partitionKey, type PartitionLogConfig } from './types';
import { catchUpFrom } from './catch-up';

const config: PartitionLogConfig = { ...DEFAULT_PARTITION_LOG_CONFIG, segmentBytes: 4096, indexIntervalBytes: 512 };
const other = 'ffeeddccbbaa99887766554433221100';

describe('ReplicaStore', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir('store')));
  afterEach(() => dir.remove());

  it('keeps partitions apart and recovers all of them at start', async () => {
    const store = await ReplicaStore.open({ dataDir: dir.path, io: new NodeFileIo(), config });
    const [k0, k1, k2] = [partitionKey(TOPIC, 0), partitionKey(TOPIC, 1), partitionKey(other, 0)];
    const keys = [k0, k1, k2];
    // Concurrent first use of one key opens it once.
    const [a, a2] = await Promise.all([store.getOrCreate(k0), store.getOrCreate(k0)]);
    expect(a).toBe(a2);
    for (const [i, key] of keys.entries()) {
      const r = await store.getOrCreate(key);
      must(await r.fence(E(i + 1)));
      for (let o = 0n; o < BigInt(10 * (i + 1)); o++) must(await r.append(E(i + 1), o, testBatch({ baseOffset: o, epoch: i + 1, payloadBytes: 100 })));
    }
    await mkdir(join(dir.path, 'lost+found'));
    await writeFile(join(dir.path, 'README'), 'not a partition');
    await store.close();

    const reopened = await ReplicaStore.open({ dataDir: dir.path, io: new NodeFileIo(), config });
    expect(reopened.keys()).toEqual([...keys].sort());
    for (const [i, key] of keys.entries()) {
      expect(reopened.get(key)?.logState()).toMatchObject({ promisedEpoch: i + 1, logEnd: BigInt(10 * (i + 1)) });
    }
    expect(await reopened.deletePartition(k1)).toBe(true);
    expect(reopened.get(k1)).toBeUndefined();
    expect(await reopened.deletePartition(k1)).toBe(false);
    await reopened.close();
    expect((await readdir(dir.path)).sort()).toEqual([k0, k2, 'README', 'lost+found'].sort());
  });

  it('interval flush policy fsyncs dirty partitions', async () => {
    const store = await ReplicaStore.open({ dataDir: dir.path, io: new NodeFileIo(), config: { ...config, flush: { kind: 'interval', intervalMs: 20 } } });
    const r = await store.getOrCreate(partitionKey(TOPIC, 0));
    must(await r.fence(E(1)));
    must(await r.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 })));
    expect(r.dirty).toBe(true);
    for (let i = 0; i < 100 && r.dirty; i++) await new Promise((res) => setTimeout(res, 10));
    expect(r.dirty).toBe(false);
    await store.close();
  });

  it('a stalled disk makes data operations NOT_READY, then fatal; recovery restores service', async () => {
    const clock = new ManualClock(0);
    const fatal: string[] = [];
    const health = new StorageHealthManager({ stallThresholdMs: 1_000, fatalAfterMs: 5_000, checkIntervalMs: 1_000, clock, onFatal: (r) => fatal.push(r) });
    const io = new FaultInjectingFileIo(new NodeFileIo());
    const store = await ReplicaStore.open({ dataDir: dir.path, io, config, health });
    const r = await store.getOrCreate(partitionKey(TOPIC, 0));
    must(await r.fence(E(1)));
    must(await r.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 })));

    io.stallAll();
    const stuck = r.append(E(1), 1n, testBatch({ baseOffset: 1n, epoch: 1 }));
    await new Promise((res) => setTimeout(res, 20));
    clock.ms += 1_500;
    health.check();
    expect(health.isReady()).toBe(false);
    clock.ms += 5_000;
    health.check();
    expect(fatal.length).toBe(1);

    io.resume();
    expect(must(await stuck)).toEqual({ logEnd: 2n });
    health.check();
    expect(health.isReady()).toBe(true);
    must(await r.append(E(1), 2n, testBatch({ baseOffset: 2n, epoch: 1 })));
    await store.close();
  });

  it('appends answer NOT_READY while storage is unready', async () => {
    const clock = new ManualClock(0);
    const health = new StorageHealthManager({ stallThresholdMs: 1_000, fatalAfterMs: 60_000, checkIntervalMs: 1_000, clock, onFatal: () => undefined });
    const io = new FaultInjectingFileIo(new NodeFileIo());
    const store = await ReplicaStore.open({ dataDir: dir.path, io, config, health });
    const a = await store.getOrCreate(partitionKey(TOPIC, 0));
    const b = await store.getOrCreate(partitionKey(TOPIC, 1));
    must(await a.fence(E(1)));
    must(await b.fence(E(1)));
    io.stallAll();
    const stuck = a.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 }));
    await new Promise((res) => setTimeout(res, 20));
    clock.ms += 2_000;
    health.check();
    const res = await b.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 }));
    expect(res.ok ? undefined : res.error).toMatchObject({ code: 'NOT_READY', retriable: true });
    expect(errorCode(await b.read(0n, 100))).toBe('NOT_READY');
    io.resume();
    must(await stuck);
    health.check();
    must(await b.append(E(1), 0n, testBatch({ baseOffset: 0n, epoch: 1 })));
    await store.close();
  });

  it('a lagging replica catches up from a peer, restarting at the peer log start when it is too far behind', async () => {
    const store = await ReplicaStore.open({ dataDir: dir.path, io: new NodeFileIo(), config });
    const source = await store.getOrCreate(partitionKey(TOPIC, 0));
    const target = await store.getOrCreate(partitionKey(TOPIC, 1));
    must(await source.fence(E(2)));
    must(await target.fence(E(2)));
    for (let o = 0n; o < 60n; o++) must(await source.append(E(2), o, testBatch({ baseOffset: o, epoch: 2, payloadBytes: 150 })));
    await source.deleteSegmentsBefore(20n);
    const copied = must(await catchUpFrom(source, target, E(2), { maxBytesPerRead: 1000 }));
    expect(copied.logEnd).toBe(60n);
    expect(target.logState()).toMatchObject({ logStart: source.logState().logStart, logEnd: 60n, epochHistory: source.logState().epochHistory });
    const a = must(await source.read(source.logState().logStart, 1 << 20));
    const b = must(await target.read(target.logState().logStart, 1 << 20));
    expect(b.records).toEqual(a.records);
    await store.close();
  });
});
