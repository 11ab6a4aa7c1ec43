import type { FileHandleIo } from './file-io';
import { MAX_CONCURRENT_WRITES, MAX_PIECE_BUFFERS, WRITE_PIECE_BYTES, planWrites, writeParts } from './segment-write';

/** Records every write call; `failAt` makes the write starting at that position reject after a tick. */
function recordingHandle(failAt?: number) {
  const writes: { position: number; length: number; buffers: readonly Uint8Array[]; settledAt?: number }[] = [];
  let settled = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const file = Buffer.alloc(8 * WRITE_PIECE_BYTES);
  const writevAll = async (buffers: readonly Uint8Array[], position: number): Promise<void> => {
    const entry: (typeof writes)[number] = { position, length: buffers.reduce((n, b) => n + b.length, 0), buffers };
    writes.push(entry);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await new Promise((r) => setTimeout(r, position === failAt ? 1 : 5));
    inFlight--;
    entry.settledAt = settled++;
    if (position === failAt) throw new Error('ENOSPC');
    file.set(Buffer.concat(buffers), position);
  };
  const handle: Pick<FileHandleIo, 'writeAll' | 'writevAll'> = { writevAll, writeAll: (buffer, position) => writevAll([buffer], position) };
  return { handle: handle as FileHandleIo, writes, file, maxInFlight: () => maxInFlight };
}

const pattern = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i + seed) % 251));

describe('writeParts', () => {
  it('writes a small buffer with one call', async () => {
    const { handle, writes } = recordingHandle();
    await writeParts(handle, [Buffer.alloc(1000, 1)], 100);
    expect(writes.map(({ position, length }) => ({ position, length }))).toEqual([{ position: 100, length: 1000 }]);
  });

  it('splits a large buffer into disjoint pieces written concurrently (at most MAX_CONCURRENT_WRITES at once) that rebuild the same bytes', async () => {
    const { handle, writes, file, maxInFlight } = recordingHandle();
    const bytes = pattern(5 * WRITE_PIECE_BYTES + 17, 0);
    await writeParts(handle, [bytes], 10);
    expect(writes.length).toBe(6);
    expect(writes.every((w) => w.length <= WRITE_PIECE_BYTES)).toBe(true);
    expect(maxInFlight()).toBe(MAX_CONCURRENT_WRITES);
    expect(file.subarray(10, 10 + bytes.length).equals(bytes)).toBe(true);
  });

  it('gathers the parts themselves (no copy) into pieces of at most WRITE_PIECE_BYTES, back to back', async () => {
    const { handle, writes, file } = recordingHandle();
    const parts = Array.from({ length: 9 }, (_, i) => pattern(65_527, i));
    await writeParts(handle, parts, 7);
    const sorted = [...writes].sort((a, b) => a.position - b.position);
    expect(sorted.map((w) => w.buffers.length)).toEqual([4, 4, 1]);
    expect(sorted.flatMap((w) => w.buffers).every((b, i) => b === parts[i])).toBe(true);
    const all = Buffer.concat(parts);
    expect(file.subarray(7, 7 + all.length).equals(all)).toBe(true);
  });

  it('copies a piece of many tiny parts into one buffer', () => {
    const parts = Array.from({ length: 3 * MAX_PIECE_BUFFERS }, (_, i) => pattern(100, i));
    const pieces = planWrites(parts, 50);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]?.buffers).toHaveLength(1);
    expect(pieces[0]?.position).toBe(50);
    expect(Buffer.concat(pieces[0]?.buffers ?? []).equals(Buffer.concat(parts))).toBe(true);
  });

  it('rejects only after every started write settled, and starts no new write after a failure (the caller then truncates safely)', async () => {
    const parts = Array.from({ length: 12 }, (_, i) => pattern(WRITE_PIECE_BYTES, i));
    const { handle, writes } = recordingHandle(0);
    await expect(writeParts(handle, parts, 0)).rejects.toThrow('ENOSPC');
    expect(writes.length).toBe(MAX_CONCURRENT_WRITES);
    expect(writes.every((w) => w.settledAt !== undefined)).toBe(true);
  });
});
