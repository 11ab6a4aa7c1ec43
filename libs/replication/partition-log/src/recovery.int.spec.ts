// Crash safety on a real disk: torn and corrupt tails, inconsistent indexes, byte flips,
// interrupted truncations.
import { appendFile, open, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testBatch } from './test-batches';
import { errorCode, must, openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';
import type { PartitionReplica } from './partition-replica';
import { INTENT_FILE } from './intent';

const segmentLog = (dir: string, base: bigint) => join(dir, `${base.toString().padStart(20, '0')}.log`);

async function fill(r: PartitionReplica, epoch: number, from: bigint, n: number, payloadBytes = 200): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const b = testBatch({ baseOffset: from + BigInt(i), epoch, payloadBytes, maxTimestamp: 1_000n + from + BigInt(i) });
    must(await r.append(E(epoch), from + BigInt(i), b));
    out.push(b);
  }
  return out;
}

describe('recovery and corruption', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => (dir = await tempDir('recovery')));
  afterEach(() => dir.remove());

  it.each([
    ['a partial batch', (b: Buffer) => b.subarray(0, 100)],
    ['a few header bytes', (b: Buffer) => b.subarray(0, 7)],
    ['garbage', () => Buffer.from('this is not a record batch, it is garbage appended by a torn write......')],
    ['a whole batch with a bad CRC', (b: Buffer) => {
      const bad = Buffer.from(b);
      bad[80] = (bad[80] as number) ^ 0x01;
      return bad;
    }],
    ['a valid batch at the wrong offset', () => testBatch({ baseOffset: 99n, epoch: 1 })],
  ])('truncates a tail of %s to the last valid batch and rebuilds the index', async (_name, tail) => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    const written = await fill(r, 1, 0n, 30);
    await r.close();
    const file = segmentLog(dir.path, 0n);
    const goodSize = (await stat(file)).size;
    await appendFile(file, tail(testBatch({ baseOffset: 30n, epoch: 1, payloadBytes: 200 })));
    // A stale index from some older life must not be trusted for the active segment either.
    await writeFile(join(dir.path, '00000000000000000000.index'), Buffer.alloc(16, 0xff));

    const reopened = await openReplica(dir.path);
    expect(reopened.recovery.truncatedBytes).toBeGreaterThan(0);
    expect((await stat(file)).size).toBe(goodSize);
    expect(reopened.logState().logEnd).toBe(30n);
    expect(must(await reopened.read(0n, 1 << 20)).records).toEqual(Buffer.concat(written));
    // The rebuilt sparse index serves reads from the middle.
    expect(must(await reopened.read(17n, 1)).records).toEqual(written[17]);
    must(await reopened.append(E(1), 30n, testBatch({ baseOffset: 30n, epoch: 1 })));
    await reopened.close();
  });

  it('drops epoch history entries above the recovered log end but keeps a mark at the end', async () => {
    const r = await openReplica(dir.path);
    must(await r.fence(E(1)));
    await fill(r, 1, 0n, 3);
    must(await r.fence(E(2)));
    await fill(r, 2, 3n, 2);
    await r.close();
    // Lose the epoch-2 batches (as if the page cache never reached the disk).
    await truncate(segmentLog(dir.path, 0n), (await stat(segmentLog(dir.path, 0n))).size - 2 * 261 - 10);
    const reopened = await openReplica(dir.path);
    expect(reopened.logState()).toMatchObject({ logEnd: 2n, epochHistory: [{ epoch: 1, startOffset: 0n }] });
    must(await reopened.markEpochStart(E(2), 2n));
    await reopened.close();
    const again = await openReplica(dir.path);
    expect(again.logState().epochHistory).toEqual([{ epoch: 1, startOffset: 0n }, { epoch: 2, startOffset: 2n }]);
    await again.close();
  });

  it('a flipped byte in a sealed segment: reads report CORRUPT and never return the bytes; repair restores it', async () => {
    const corruptions: bigint[] = [];
    const opts = { config: { segmentBytes: 4096 }, extra: { onCorruption: (c: { offset: bigint }) => corruptions.push(c.offset) } };
    const r = await openReplica(dir.path, opts);
    must(await r.fence(E(1)));
    const written = await fill(r, 1, 0n, 40);
    await r.close();
    // Flip one byte inside batch 5 (in the first, sealed segment).
    const file = segmentLog(dir.path, 0n);
    const fh = await open(file, 'r+');
    const pos = 5 * 261 + 100;
    const one = Buffer.alloc(1);
    await fh.read(one, 0, 1, pos);
    one[0] = (one[0] as number) ^ 0x40;
    await fh.write(one, 0, 1, pos);
    await fh.close();

    const reopened = await openReplica(dir.path, opts);
    const bad = await reopened.read(5n, 1 << 20);
    expect(bad.ok ? undefined : bad.error).toMatchObject({ code: 'CORRUPT', offset: 5n });
    const spanning = await reopened.read(0n, 1 << 20);
    expect(errorCode(spanning)).toBe('CORRUPT');
    expect(corruptions).toEqual([5n, 5n]);
    expect(must(await reopened.read(0n, 5 * 261)).records).toEqual(Buffer.concat(written.slice(0, 5)));
    expect(must(await reopened.read(6n, 261)).records).toEqual(written[6]);

    // Repair from a healthy peer: truncate to the corrupt batch and copy the range back.
    must(await reopened.fence(E(2)));
    must(await reopened.truncate(E(2), 5n));
    must(await reopened.appendReplicated(E(2), Buffer.concat(written.slice(5))));
    expect(must(await reopened.read(0n, 1 << 20)).records.length).toBeGreaterThan(0);
    const whole: Buffer[] = [];
    let at = 0n;
    while (at < 40n) {
      const chunk = must(await reopened.read(at, 1 << 20));
      whole.push(chunk.records);
      at = chunk.nextOffset;
    }
    expect(Buffer.concat(whole)).toEqual(Buffer.concat(written));
    await reopened.close();
  });

  it('rebuilds an inconsistent index of a sealed segment', async () => {
    const r = await openReplica(dir.path, { config: { segmentBytes: 4096 } });
    must(await r.fence(E(1)));
    const written = await fill(r, 1, 0n, 40);
    await r.close();
    await writeFile(join(dir.path, '00000000000000000000.index'), Buffer.from([1, 2, 3]));
    const reopened = await openReplica(dir.path, { config: { segmentBytes: 4096 } });
    expect(reopened.recovery.rebuiltIndexes).toBe(1);
    expect(must(await reopened.read(9n, 1)).records).toEqual(written[9]);
    expect((await readFile(join(dir.path, '00000000000000000000.index'))).length % 8).toBe(0);
    await reopened.close();
  });

  it('finishes an interrupted truncation on open', async () => {
    const r = await openReplica(dir.path, { config: { segmentBytes: 4096 } });
    must(await r.fence(E(1)));
    const written = await fill(r, 1, 0n, 40);
    await r.close();
    await writeFile(join(dir.path, INTENT_FILE), '0\ntruncate 12\n');
    const reopened = await openReplica(dir.path, { config: { segmentBytes: 4096 } });
    expect(reopened.logState().logEnd).toBe(12n);
    expect(must(await reopened.read(0n, 1 << 20)).records).toEqual(Buffer.concat(written.slice(0, 12)));
    expect((await readdir(dir.path)).includes(INTENT_FILE)).toBe(false);
    await reopened.close();
  });
});
