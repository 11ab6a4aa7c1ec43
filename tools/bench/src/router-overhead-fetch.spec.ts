import { buildBatch } from '@stratus/kafka-records';
import { driveReads, nextOffsetAfter, type ReadResult } from './router-overhead-fetch';

function batchAt(baseOffset: bigint, count: number): Buffer {
  return buildBatch({ baseOffset, records: Array.from({ length: count }, (_, i) => ({ value: Buffer.from(`v${i}`) })), baseTimestamp: 1n });
}

describe('nextOffsetAfter', () => {
  it('is the offset after the last whole batch', () => {
    const records = Buffer.concat([batchAt(10n, 3), batchAt(13n, 5)]);
    expect(nextOffsetAfter(records, 10n)).toBe(18n);
  });

  it('ignores a trailing partial batch (fetch responses may end in one)', () => {
    const whole = batchAt(0n, 2);
    const partial = batchAt(2n, 4).subarray(0, 30);
    expect(nextOffsetAfter(Buffer.concat([whole, partial]), 0n)).toBe(2n);
  });

  it('stays at the fetch offset when nothing came back', () => {
    expect(nextOffsetAfter(Buffer.alloc(0), 7n)).toBe(7n);
    expect(nextOffsetAfter(null, 7n)).toBe(7n);
  });
});

describe('driveReads', () => {
  it('reads each lane\'s partition to the high watermark and wraps to 0, counting failed reads', async () => {
    const seen: Array<[number, bigint]> = [];
    let calls = 0;
    const result = await driveReads(
      async (partition, offset): Promise<ReadResult | undefined> => {
        seen.push([partition, offset]);
        calls += 1;
        if (calls === 5) return undefined;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { bytes: 1000, next: offset + 10n, highWatermark: 20n };
      },
      { partitions: 2, lanes: 2, seconds: 0.2 },
    );
    expect(result.errors).toBe(1);
    expect(result.mbps).toBeGreaterThan(0);
    expect(new Set(seen.map(([p]) => p))).toEqual(new Set([0, 1]));
    // Offsets go 0, 10, then wrap (20 is the high watermark), never past it.
    expect(seen.every(([, o]) => o === 0n || o === 10n)).toBe(true);
    expect(seen.filter(([, o]) => o === 10n).length).toBeGreaterThan(0);
  });
});
