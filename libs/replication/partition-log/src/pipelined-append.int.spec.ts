// Pipelined appends: a run of appends is handed to the disk while earlier runs are still being
// written, yet nothing is acknowledged before its bytes and every byte before them are written
// (replica rule 4), a failed write takes every later run with it and is cut back, and a Fence
// waits for the writes in flight.
import { NodeFileIo, takeBytes, type FileHandleIo, type OpenMode } from './file-io';
import { ForwardingFileIo } from './forwarding-file-io';
import { testBatch } from './test-batches';
import { must, openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';

interface HeldWrite {
  readonly position: number;
  /** Lets the write reach the file; resolves once it did. */
  release(): Promise<void>;
  /** Writes `partialBytes` of it, then fails it with errno `code` (a full disk). */
  fail(code: string, partialBytes: number): Promise<void>;
}

/** Holds every segment data write (while `holding`) until the test releases or fails it. */
class HoldingFileIo extends ForwardingFileIo {
  holding = false;
  readonly held: HeldWrite[] = [];

  constructor() {
    super(new NodeFileIo());
  }

  override async open(path: string, mode: OpenMode): Promise<FileHandleIo> {
    const h = await this.inner.open(path, mode);
    return path.endsWith('.log') ? new HoldingHandle(h, this) : h;
  }

  hold(position: number, write: (bytes?: number) => Promise<void>): Promise<void> {
    if (!this.holding) return write();
    return new Promise((resolve, reject) => {
      this.held.push({
        position,
        release: () => write().then(resolve, reject),
        fail: async (code, partialBytes) => {
          await write(partialBytes);
          reject(Object.assign(new Error(`${code}: held write failed by the test`), { code }));
        },
      });
    });
  }
}

class HoldingHandle implements FileHandleIo {
  constructor(
    private readonly inner: FileHandleIo,
    private readonly io: HoldingFileIo,
  ) {}
  writeAll(buffer: Uint8Array, position: number): Promise<void> {
    return this.io.hold(position, (n) => this.inner.writeAll(n === undefined ? buffer : buffer.subarray(0, n), position));
  }
  writevAll(buffers: readonly Uint8Array[], position: number): Promise<void> {
    return this.io.hold(position, (n) => this.inner.writevAll(n === undefined ? buffers : takeBytes(buffers, n), position));
  }
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.inner.read(buffer, offset, length, position);
  }
  sync(): Promise<void> {
    return this.inner.sync();
  }
  truncate(length: number): Promise<void> {
    return this.inner.truncate(length);
  }
  size(): Promise<number> {
    return this.inner.size();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets every pending callback run (the acks of writes that already finished). */
async function settleCallbacks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

// 200 KB each: every append is a run of its own (MAX_RUN_BYTES is 256 KiB), written by one call.
const big = (offset: number, seed = 0) => testBatch({ baseOffset: BigInt(offset), epoch: 1, payloadBytes: 200_000, seed: offset + seed });

describe('pipelined appends', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir('pipelined')));
  afterEach(() => dir.remove());

  async function leader(io: HoldingFileIo) {
    const r = await openReplica(dir.path, { io });
    must(await r.fence(E(1)));
    must(await r.markEpochStart(E(1), 0n));
    return r;
  }

  it('writes later runs while earlier ones are in flight, and acknowledges in order only after all earlier bytes are written', async () => {
    const io = new HoldingFileIo();
    const r = await leader(io);
    io.holding = true;
    const acked: bigint[] = [];
    const appends = [0, 1, 2].map((i) =>
      r.append(E(1), BigInt(i), big(i)).then((res) => {
        acked.push(must(res).logEnd);
        return res;
      }),
    );
    // All three writes are with the disk at once: no run waits for the one before it.
    await until(() => io.held.length === 3, 'three writes in flight');
    expect(io.held.map((w) => w.position)).toEqual([0, big(0).length, big(0).length + big(1).length]);
    await (io.held[2] as HeldWrite).release();
    await (io.held[1] as HeldWrite).release();
    await settleCallbacks();
    // Runs 1 and 2 are on disk, run 0 is not: nothing may be acknowledged or visible yet.
    expect(acked).toEqual([]);
    expect(r.logState().logEnd).toBe(0n);
    await (io.held[0] as HeldWrite).release();
    await Promise.all(appends);
    expect(acked).toEqual([1n, 2n, 3n]);
    io.holding = false;
    const read = must(await r.read(0n, 10 * 1024 * 1024));
    expect(read.records.equals(Buffer.concat([big(0), big(1), big(2)]))).toBe(true);
    await r.close();
  });

  it('a failed write fails its run and every run after it, and the log continues from the written prefix', async () => {
    const io = new HoldingFileIo();
    const r = await leader(io);
    must(await r.append(E(1), 0n, big(0)));
    io.holding = true;
    const results = [1, 2, 3].map((i) => r.append(E(1), BigInt(i), big(i)));
    await until(() => io.held.length === 3, 'three writes in flight');
    const [w1, w2, w3] = io.held as [HeldWrite, HeldWrite, HeldWrite];
    // The later write lands on disk before the failure is known: its bytes must not survive.
    await w3.release();
    await w2.fail('ENOSPC', 1000);
    await w1.release();
    const codes = (await Promise.all(results)).map((res) => (res.ok ? `ok ${res.value.logEnd}` : res.error.code));
    expect(codes).toEqual(['ok 2', 'DISK_FULL', 'DISK_FULL']);
    expect(r.logState().logEnd).toBe(2n);
    io.holding = false;
    // The leader resends from the replica's log end.
    expect(must(await r.append(E(1), 2n, big(2, 7))).logEnd).toBe(3n);
    await r.close();
    const reopened = await openReplica(dir.path);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expect(reopened.logState().logEnd).toBe(3n);
    const read = must(await reopened.read(0n, 10 * 1024 * 1024));
    expect(read.records.equals(Buffer.concat([big(0), big(1), big(2, 7)]))).toBe(true);
    await reopened.close();
  });

  it('a Fence waits for the writes in flight and answers with a log end that includes them', async () => {
    const io = new HoldingFileIo();
    const r = await leader(io);
    io.holding = true;
    const appends = [0, 1].map((i) => r.append(E(1), BigInt(i), big(i)));
    await until(() => io.held.length === 2, 'two writes in flight');
    let fenceAnswered = false;
    const fence = r.fence(E(2)).then((res) => {
      fenceAnswered = true;
      return res;
    });
    await settleCallbacks();
    expect(fenceAnswered).toBe(false);
    for (const w of io.held) await w.release();
    expect(must(await fence).logEnd).toBe(2n);
    expect((await Promise.all(appends)).map((a) => must(a).logEnd)).toEqual([1n, 2n]);
    // Appends of the deposed epoch are refused from now on.
    io.holding = false;
    const stale = await r.append(E(1), 2n, big(2));
    expect(stale.ok ? 'ok' : stale.error.code).toBe('FENCED');
    await r.close();
  });
});
