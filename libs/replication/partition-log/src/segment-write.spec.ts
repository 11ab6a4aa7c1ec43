import type { FileHandleIo } from './file-io';
import { MAX_CONCURRENT_SLICES, WRITE_SLICE_BYTES, writeSliced } from './segment';

/** Records every write; `failAt` makes the write starting at that position reject after a tick. */
function recordingHandle(failAt?: number) {
  const writes: { position: number; length: number; settledAt?: number }[] = [];
  let settled = 0;
  const file = Buffer.alloc(8 * WRITE_SLICE_BYTES);
  const handle: Pick<FileHandleIo, 'writeAll'> = {
    async writeAll(buffer, position) {
      const entry: (typeof writes)[number] = { position, length: buffer.length };
      writes.push(entry);
      await new Promise((r) => setTimeout(r, position === failAt ? 1 : 5));
      entry.settledAt = settled++;
      if (position === failAt) throw new Error('ENOSPC');
      file.set(buffer, position);
    },
  };
  return { handle: handle as FileHandleIo, writes, file };
}

describe('writeSliced', () => {
  it('writes a small buffer with one call', async () => {
    const { handle, writes } = recordingHandle();
    await writeSliced(handle, Buffer.alloc(1000, 1), 100);
    expect(writes).toEqual([{ position: 100, length: 1000, settledAt: 0 }]);
  });

  it('splits a large write into at most MAX_CONCURRENT_SLICES disjoint slices that rebuild the same bytes', async () => {
    const { handle, writes, file } = recordingHandle();
    const bytes = Buffer.from(Array.from({ length: 3 * WRITE_SLICE_BYTES + 17 }, (_, i) => i % 251));
    await writeSliced(handle, bytes, 10);
    expect(writes.length).toBe(MAX_CONCURRENT_SLICES);
    expect(writes.reduce((n, w) => n + w.length, 0)).toBe(bytes.length);
    // all issued before any settled: they really run concurrently
    expect(writes.every((w) => w.settledAt !== undefined)).toBe(true);
    expect(file.subarray(10, 10 + bytes.length).equals(bytes)).toBe(true);
  });

  it('rejects with the failed slice only after every slice settled (the caller then truncates safely)', async () => {
    const bytes = Buffer.alloc(2 * WRITE_SLICE_BYTES, 7);
    const { handle, writes } = recordingHandle(0);
    await expect(writeSliced(handle, bytes, 0)).rejects.toThrow('ENOSPC');
    expect(writes.length).toBe(2);
    expect(writes.every((w) => w.settledAt !== undefined)).toBe(true);
  });
});
