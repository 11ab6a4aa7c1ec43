import { MemoryObjectStore } from '@stratus/tiered-object-store';
import { MemorySegmentSource, applyRetention, uploadPartitionPass, type UploadPassResult } from '@stratus/tiered-uploader';
import { MemoryManifest, makeSegments } from './memory-manifest.testkit';
import type { PartitionTarget } from './targets';
import { fairOrder, UploadLoop, type UploadLoopPorts } from './upload-loop';

const silent = { info: () => undefined, warn: () => undefined, debug: () => undefined };
const KEEP = { retentionMs: -1, retentionBytes: -1 };

function target(n: number, replicas: string[] = ['r1'], retention = KEEP): PartitionTarget {
  const topicId = Buffer.alloc(16, 0xab);
  return { key: `ab/${n}`, address: { tenantId: 'lkc-1', topicId, partition: n }, replicas, retention };
}

const done = (uploaded: string[] = [], blockedAt?: bigint): UploadPassResult => ({ uploaded, tieredEndOffset: 0n, blockedAt, more: false, lag: { tieredEndOffset: 0n, sealedCommittedEndOffset: 0n, lagSegments: 0, lagBytes: 0n, pendingBaseOffsets: [] } });

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('UploadLoop with the real uploader on in-memory ports', () => {
  it('tiers every partition from its replica, then applies each topic retention', async () => {
    const store = new MemoryObjectStore();
    const manifest = new MemoryManifest();
    const sources = new Map([
      ['r-a', new MemorySegmentSource(makeSegments(3))],
      ['r-b', new MemorySegmentSource(makeSegments(2, { timestampMs: 1_000n }))],
    ]);
    // Partition 1 keeps everything; partition 2's segments are long past retention.ms.
    const targets = [target(1, ['r-a']), target(2, ['r-b'], { retentionMs: 60_000, retentionBytes: -1 })];
    const retentionRuns: string[] = [];
    const ports: UploadLoopPorts = {
      targets: () => targets,
      uploadPass: (t, address) => uploadPartitionPass({ address: t.address, source: sources.get(address) as MemorySegmentSource, manifest, store }),
      retention: (t) => {
        retentionRuns.push(t.key);
        return applyRetention({ partition: t.address, manifest, store, policy: t.retention });
      },
    };
    const loop = new UploadLoop({ ports, concurrency: 2, intervalMs: 1_000, logger: silent });

    const report = await loop.runRound();
    expect(report.partitions.map((p) => [p.key, p.replica, p.uploaded, p.retentionDeleted]).sort()).toEqual([
      ['ab/1', 'r-a', 3, 0],
      ['ab/2', 'r-b', 2, 2],
    ]);
    expect(retentionRuns.sort()).toEqual(['ab/1', 'ab/2']);
    expect(manifest.entries(target(1).address).map((e) => [e.baseOffset, e.endOffset])).toEqual([[0n, 6n], [6n, 12n], [12n, 18n]]);
    expect(manifest.entries(target(2).address)).toEqual([]);
    const objects = (await store.list('')).objects.map((o) => o.key);
    expect(objects).toHaveLength(3);
    expect(objects.every((k) => k.startsWith('lkc-1/abababababababababababababababab/1/'))).toBe(true);

    // A second round finds nothing new: no re-upload, the replica is not read again.
    const reads = (sources.get('r-a') as MemorySegmentSource).reads;
    const again = await loop.runRound();
    expect(again.partitions.find((p) => p.key === 'ab/1')?.uploaded).toBe(0);
    expect((sources.get('r-a') as MemorySegmentSource).reads).toBe(reads);
  });
});

describe('UploadLoop scheduling', () => {
  it('runs at most `concurrency` partitions at once and all of them eventually', async () => {
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const ports: UploadLoopPorts = {
      targets: () => [1, 2, 3, 4, 5].map((n) => target(n)),
      uploadPass: async (t) => {
        started.push(t.key);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        return done();
      },
      retention: async () => ({ deleted: [], logStartOffset: undefined }),
    };
    const report = await new UploadLoop({ ports, concurrency: 2, intervalMs: 1_000, logger: silent }).runRound();
    expect(peak).toBe(2);
    expect(started.sort()).toEqual(['ab/1', 'ab/2', 'ab/3', 'ab/4', 'ab/5']);
    expect(report.partitions).toHaveLength(5);
  });

  it('never runs two uploads of one partition at once: an overlapping round skips it', async () => {
    const gate = deferred<void>();
    const calls: string[] = [];
    const ports: UploadLoopPorts = {
      targets: () => [target(1), target(2)],
      uploadPass: async (t) => {
        calls.push(t.key);
        if (t.key === 'ab/1') await gate.promise;
        return done();
      },
      retention: async () => ({ deleted: [], logStartOffset: undefined }),
    };
    const loop = new UploadLoop({ ports, concurrency: 4, intervalMs: 1_000, logger: silent });
    const first = loop.runRound();
    await new Promise((r) => setImmediate(r));
    expect(loop.inFlight).toEqual(['ab/1']);
    const second = await loop.runRound();
    expect(second.skippedBusy).toEqual(['ab/1']);
    expect(second.partitions.map((p) => p.key)).toEqual(['ab/2']);
    gate.resolve();
    await first;
    expect(calls.filter((k) => k === 'ab/1')).toHaveLength(1);
    expect(loop.inFlight).toEqual([]);
  });

  it('tries the next replica after an error or a blocked pass, logs, and keeps going with other partitions', async () => {
    const attempts: string[] = [];
    const warnings: string[] = [];
    const ports: UploadLoopPorts = {
      targets: () => [target(1, ['bad', 'blocked', 'good']), target(2, ['bad'])],
      uploadPass: async (t, address) => {
        attempts.push(`${t.key}@${address}`);
        if (address === 'bad') throw new Error('replica unreachable');
        if (address === 'blocked') return done([], 42n);
        return done(['seg']);
      },
      retention: async (t) => {
        if (t.key === 'ab/2') throw new Error('metadata down');
        return { deleted: [], logStartOffset: 0n };
      },
    };
    const logger = { ...silent, warn: (_o: object, msg?: string) => void warnings.push(msg ?? '') };
    const report = await new UploadLoop({ ports, concurrency: 1, intervalMs: 1_000, logger }).runRound();
    expect(attempts).toEqual(['ab/1@bad', 'ab/1@blocked', 'ab/1@good', 'ab/2@bad']);
    expect(report.partitions).toEqual([
      { key: 'ab/1', replica: 'good', uploaded: 1, uploadError: false, retentionDeleted: 0, retentionError: false, more: false },
      { key: 'ab/2', replica: undefined, uploaded: 0, uploadError: true, retentionDeleted: 0, retentionError: true, more: false },
    ]);
    expect(warnings).toEqual(expect.arrayContaining(['upload pass failed; trying another replica', 'retention failed; retried next round']));
  });

  it('repeats rounds every interval once started and stops cleanly', async () => {
    jest.useFakeTimers();
    try {
      let rounds = 0;
      const ports: UploadLoopPorts = {
        targets: () => {
          rounds++;
          return [];
        },
        uploadPass: async () => done(),
        retention: async () => ({ deleted: [], logStartOffset: undefined }),
      };
      const loop = new UploadLoop({ ports, concurrency: 1, intervalMs: 5_000, logger: silent });
      loop.start();
      await jest.advanceTimersByTimeAsync(0);
      expect(rounds).toBe(1);
      await jest.advanceTimersByTimeAsync(4_999);
      expect(rounds).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(rounds).toBe(2);
      await loop.stop();
      await jest.advanceTimersByTimeAsync(20_000);
      expect(rounds).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a concurrency below 1', () => {
    const ports: UploadLoopPorts = { targets: () => [], uploadPass: async () => done(), retention: async () => ({ deleted: [], logStartOffset: undefined }) };
    expect(() => new UploadLoop({ ports, concurrency: 0, intervalMs: 1, logger: silent })).toThrow(RangeError);
  });
  it('orders a round fairly across tenants, so one tenant with many partitions cannot hold every slot first', () => {
    const of = (tenant: string, n: number): PartitionTarget => ({ ...target(n), key: `${tenant}/${n}`, address: { ...target(n).address, tenantId: tenant } });
    const targets = [of('big', 1), of('big', 2), of('big', 3), of('big', 4), of('small', 1), of('tiny', 1)];
    expect(fairOrder(targets).map((t) => t.key)).toEqual(['big/1', 'small/1', 'tiny/1', 'big/2', 'big/3', 'big/4']);
  });

  it('reports every pass outcome, and starts the next round at once while a capped pass left a backlog', async () => {
    jest.useFakeTimers();
    try {
      const outcomes: [string, number, string | undefined][] = [];
      let rounds = 0;
      const ports: UploadLoopPorts = {
        targets: () => {
          rounds++;
          return [target(1), target(2, ['down'])];
        },
        uploadPass: async (_t, address) => {
          if (address === 'down') throw new Error('connect ECONNREFUSED');
          return { ...done(['s']), more: rounds < 3 };
        },
        retention: async () => ({ deleted: [], logStartOffset: undefined }),
      };
      const loop = new UploadLoop({ ports, concurrency: 1, intervalMs: 60_000, logger: silent, onPassEnded: (t, o) => outcomes.push([t.key, o.uploaded, o.error]) });
      loop.start();
      for (let i = 0; i < 20; i++) await jest.advanceTimersByTimeAsync(1);
      // Rounds 1 and 2 left more behind: three rounds without waiting the interval; then it waits.
      expect(rounds).toBe(3);
      await jest.advanceTimersByTimeAsync(59_000);
      expect(rounds).toBe(3);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(rounds).toBe(4);
      await loop.stop();
      expect(outcomes.slice(0, 2)).toEqual([
        ['ab/1', 1, undefined],
        ['ab/2', 0, 'down: connect ECONNREFUSED'],
      ]);
    } finally {
      jest.useRealTimers();
    }
  });
});
