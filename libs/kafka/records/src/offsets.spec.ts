import fc from 'fast-check';
import { assignOffsets, buildBatch, computeBatchCrc, iterateRecords, peekBatchHeader, validateBatch } from './index';

const records = [
  { key: 'k1', value: 'v1', timestamp: 100n, headers: [{ key: 'h', value: 'x' }] },
  { key: null, value: 'v2', timestamp: 150n },
  { key: 'k3', value: null, timestamp: 120n },
];

describe('assignOffsets', () => {
  it.each(['none', 'gzip', 'lz4'] as const)('rewrites offsets in place and keeps the CRC valid (%s)', (compression) => {
    const batch = buildBatch({ records, compression });
    const before = [...iterateRecords(batch)];
    const result = assignOffsets(batch, { baseOffset: 5000n, partitionLeaderEpoch: 7 });
    expect(result).toEqual({ baseOffset: 5000n, lastOffset: 5002n, crcRewritten: false });
    expect(validateBatch(batch, { origin: 'log' }).ok).toBe(true);
    const header = peekBatchHeader(batch);
    if (!header.ok) throw new Error('peek');
    expect(header.value.baseOffset).toBe(5000n);
    expect(header.value.partitionLeaderEpoch).toBe(7);
    const after = [...iterateRecords(batch)];
    expect(after.map((r) => r.offset)).toEqual([5000n, 5001n, 5002n]);
    expect(after.map((r) => ({ ...r, offset: 0n }))).toEqual(before.map((r) => ({ ...r, offset: 0n })));
  });

  it('sets LogAppendTime, rewrites the CRC, and readers see the broker time', () => {
    const batch = buildBatch({ records, compression: 'snappy' });
    const crcBefore = computeBatchCrc(batch);
    const result = assignOffsets(batch, { baseOffset: 42n, logAppendTime: 1_800_000_000_000n });
    expect(result.crcRewritten).toBe(true);
    expect(computeBatchCrc(batch)).not.toBe(crcBefore);
    const checked = validateBatch(batch, { origin: 'log' });
    if (!checked.ok) throw new Error(checked.error.message);
    expect(checked.value.timestampType).toBe('log-append-time');
    expect(checked.value.maxTimestamp).toBe(1_800_000_000_000n);
    expect(checked.value.compression).toBe('snappy');
    const read = [...iterateRecords(batch)];
    expect(read.map((r) => r.timestamp)).toEqual([1_800_000_000_000n, 1_800_000_000_000n, 1_800_000_000_000n]);
    expect(read.map((r) => r.value?.toString() ?? null)).toEqual(['v1', 'v2', null]);
  });

  it('refuses offsets outside int64 as a caller bug', () => {
    const batch = buildBatch({ records });
    expect(() => assignOffsets(batch, { baseOffset: -1n })).toThrow(RangeError);
    expect(() => assignOffsets(batch, { baseOffset: (1n << 63n) - 2n })).toThrow(RangeError);
  });

  it('keeps any batch valid for any offset, epoch and append time', () => {
    const batch = buildBatch({ records });
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 62n) }),
        fc.integer({ min: -1, max: 0x7fffffff }),
        fc.option(fc.bigInt({ min: 0n, max: 1n << 50n }), { nil: undefined }),
        (baseOffset, partitionLeaderEpoch, logAppendTime) => {
          const copy = Buffer.from(batch);
          assignOffsets(copy, { baseOffset, partitionLeaderEpoch, logAppendTime });
          expect(validateBatch(copy, { origin: 'log' }).ok).toBe(true);
        },
      ),
    );
  });
});

describe('assignOffsets with LogAppendTime on a corrupt batch', () => {
  it('does not launder a bad CRC into a good one', () => {
    const batch = buildBatch({ records, compression: 'none' });
    batch[batch.length - 1] ^= 0x01;
    expect(validateBatch(batch, { origin: 'log' }).ok).toBe(false);
    assignOffsets(batch, { baseOffset: 1n, logAppendTime: 123n });
    const after = validateBatch(batch, { origin: 'log' });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.error.kind).toBe('crc_mismatch');
  });
});
