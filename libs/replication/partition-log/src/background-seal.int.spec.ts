// Rolling seals the old segment in the background (data fsync, then index files): appends never
// wait for that fsync, flush() does, and recovery scans a rolled segment whose seal never finished.
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeFileIo, type FileHandleIo, type FileIo, type OpenMode } from './file-io';
import { testBatch } from './test-batches';
import { must, openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';
import type { PartitionReplica } from './partition-replica';

const name = (base: bigint, suffix: string) => `${base.toString().padStart(20, '0')}${suffix}`;

/** The real filesystem, except that fsync of segment data waits until released (a slow disk). */
class SlowSyncIo extends NodeFileIo implements FileIo {
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  syncsWaiting = 0;

  holdSyncs(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  releaseSyncs(): void {
    this.release?.();
    this.gate = undefined;
  }

  override async open(path: string, mode: OpenMode): Promise<FileHandleIo> {
    const inner = await super.open(path, mode);
    const sync = async (): Promise<void> => {
      while (this.gate) {
        this.syncsWaiting++;
        await this.gate;
        this.syncsWaiting--;
      }
      return inner.sync();
    };
    return {
      writeAll: (b, p) => inner.writeAll(b, p),
      writevAll: (b, p) => inner.writevAll(b, p),
      read: (b, o, l, p) => inner.read(b, o, l, p),
      sync,
      truncate: (l) => inner.truncate(l),
      size: () => inner.size(),
      close: () => inner.close(),
    };
  }
}

async function fill(r: PartitionReplica, from: bigint, n: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const b = testBatch({ baseOffset: from + BigInt(i), epoch: 1, payloadBytes: 200, maxTimestamp: 1_000n + from + BigInt(i) });
    must(await r.append(E(1), from + BigInt(i), b));
    out.push(b);
  }
  return out;
}

async function readAll(r: PartitionReplica, end: bigint): Promise<Buffer> {
  const got: Buffer[] = [];
  let at = r.logState().logStart;
  while (at < end) {
    const chunk = must(await r.read(at, 1 << 20));
    got.push(chunk.records);
    at = chunk.nextOffset;
  }
  return Buffer.concat(got);
}

describe('background seal of rolled segments', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir('seal')));
  afterEach(() => dir.remove());

  it('appends go on while the rolled segment is fsynced; its index files appear only after the fsync; flush waits for it', async () => {
    const io = new SlowSyncIo();
    const r = await openReplica(dir.path, { io, config: { segmentBytes: 4096 } });
    must(await r.fence(E(1)));
    io.holdSyncs();
    // 261-byte batches: the 16th append rolls the first segment, the rest go to the second.
    const written = await fill(r, 0n, 25);
    expect(r.logState().segmentCount).toBe(2);
    expect(io.syncsWaiting).toBe(1);
    const files = await readdir(dir.path);
    expect(files).not.toContain(name(0n, '.index'));
    expect(files).not.toContain(name(0n, '.timeindex'));
    expect(r.dirty).toBe(true);

    let flushed = false;
    const flushing = r.flush().then(() => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(flushed).toBe(false);
    io.releaseSyncs();
    await flushing;
    expect(r.dirty).toBe(false);
    const after = await readdir(dir.path);
    expect(after).toEqual(expect.arrayContaining([name(0n, '.index'), name(0n, '.timeindex')]));
    expect(await readAll(r, 25n)).toEqual(Buffer.concat(written));
    await r.close();
  });

  it('a segment made active again by a truncation loses its old index files when it is rolled again, until its new seal finishes', async () => {
    const io = new SlowSyncIo();
    const r = await openReplica(dir.path, { io, config: { segmentBytes: 4096 } });
    must(await r.fence(E(1)));
    await fill(r, 0n, 25);
    await r.flush();
    expect(await readdir(dir.path)).toContain(name(0n, '.index'));
    must(await r.fence(E(2)));
    must(await r.truncate(E(2), 5n));
    expect(r.logState().segmentCount).toBe(1);
    io.holdSyncs();
    for (let i = 5n; i < 25n; i++) must(await r.append(E(2), i, testBatch({ baseOffset: i, epoch: 2, payloadBytes: 200 })));
    expect(r.logState().segmentCount).toBe(2);
    const files = await readdir(dir.path);
    expect(files).not.toContain(name(0n, '.index'));
    expect(files).not.toContain(name(0n, '.timeindex'));
    io.releaseSyncs();
    await r.close();
    expect(await readdir(dir.path)).toContain(name(0n, '.index'));
  });

  it('on open, a rolled segment without index files is scanned; intact, it keeps all its data and gets its indexes', async () => {
    const r = await openReplica(dir.path, { config: { segmentBytes: 4096 } });
    must(await r.fence(E(1)));
    const written = await fill(r, 0n, 40);
    const bases = r.segmentsInfo().map((s) => s.baseOffset);
    expect(bases.length).toBeGreaterThanOrEqual(3);
    await r.close();
    for (const base of bases.slice(0, 2)) {
      await unlink(join(dir.path, name(base, '.index')));
      await unlink(join(dir.path, name(base, '.timeindex')));
    }
    const reopened = await openReplica(dir.path, { config: { segmentBytes: 4096 } });
    expect(reopened.recovery).toMatchObject({ truncatedBytes: 0, rebuiltIndexes: 2 });
    expect(reopened.logState().logEnd).toBe(40n);
    expect(await readAll(reopened, 40n)).toEqual(Buffer.concat(written));
    expect(must(await reopened.read(20n, 1)).records).toEqual(written[20]);
    expect(await readdir(dir.path)).toEqual(expect.arrayContaining([name(bases[1] as bigint, '.index'), name(bases[1] as bigint, '.timeindex')]));
    await reopened.close();
  });

  it('on open, a hole in a rolled segment that was never sealed ends the log there and drops the later segments', async () => {
    const r = await openReplica(dir.path, { config: { segmentBytes: 4096 } });
    must(await r.fence(E(1)));
    const written = await fill(r, 0n, 40);
    const bases = r.segmentsInfo().map((s) => s.baseOffset);
    expect(bases.length).toBeGreaterThanOrEqual(3);
    await r.close();
    const second = bases[1] as bigint;
    await unlink(join(dir.path, name(second, '.index')));
    await unlink(join(dir.path, name(second, '.timeindex')));
    // Zero the third batch of the second segment, as a power loss leaves a block never written.
    const fh = await open(join(dir.path, name(second, '.log')), 'r+');
    await fh.write(Buffer.alloc(261), 0, 261, 2 * 261);
    await fh.close();
    const sizeOf = async (b: bigint) => (await stat(join(dir.path, name(b, '.log')))).size;
    const secondSize = await sizeOf(second);
    let laterBytes = 0;
    for (const b of bases.slice(2)) laterBytes += await sizeOf(b);

    const reopened = await openReplica(dir.path, { config: { segmentBytes: 4096 } });
    const end = second + 2n;
    expect(reopened.logState()).toMatchObject({ logEnd: end, segmentCount: 2 });
    expect(await sizeOf(second)).toBe(2 * 261);
    expect(reopened.recovery.truncatedBytes).toBe(secondSize - 2 * 261 + laterBytes);
    expect(reopened.recovery.tailProblem).toContain(`unsealed segment ${second}`);
    const files = await readdir(dir.path);
    for (const b of bases.slice(2)) expect(files).not.toContain(name(b, '.log'));
    expect(await readAll(reopened, end)).toEqual(Buffer.concat(written.slice(0, Number(end))));
    // The log goes on from the cut, under the same epoch history.
    must(await reopened.append(E(1), end, testBatch({ baseOffset: end, epoch: 1, payloadBytes: 200 })));
    expect(reopened.logState().epochHistory).toEqual([{ epoch: 1, startOffset: 0n }]);
    await reopened.close();
  });
});
