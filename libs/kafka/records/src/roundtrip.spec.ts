import fc from 'fast-check';
import { ErrorCode } from '@stratus/kafka-errors';
import { buildBatch, compressRecords, decompressRecords, Compression, loadCodecs, readRecords, RecordBatchException, type CompressionName } from './index';

beforeAll(() => loadCodecs());

const bytes = fc.option(fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)), { nil: null });
const recordArb = fc.record({
  key: bytes,
  value: bytes,
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 20 }), value: bytes }), { maxLength: 3 }),
  timestamp: fc.bigInt({ min: 0n, max: 1n << 45n }),
});

describe.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as CompressionName[])('build → iterate round trip (%s)', (compression) => {
  it('returns exactly the records that were built', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 20 }),
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        (records, baseOffset) => {
          const batch = buildBatch({ records, compression, baseOffset });
          const read = readRecords(batch);
          if (!read.ok) throw new Error(read.error.message);
          expect(read.value).toHaveLength(records.length);
          read.value.forEach((r, i) => {
            const want = records[i] as (typeof records)[number];
            expect(r.offset).toBe(baseOffset + BigInt(i));
            expect(r.timestamp).toBe(want.timestamp);
            expect(r.key === null ? null : Buffer.from(r.key)).toEqual(want.key);
            expect(r.value === null ? null : Buffer.from(r.value)).toEqual(want.value);
            expect(r.headers.map((h) => [h.key, h.value === null ? null : Buffer.from(h.value)])).toEqual(
              want.headers.map((h) => [h.key, h.value]),
            );
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('codecs', () => {
  it('reads multi-block xerial snappy (Java producer framing) and raw snappy', () => {
    const data = Buffer.alloc(100_000, 'abcdefgh');
    const xerial = compressRecords(Compression.snappy, data);
    expect(xerial.subarray(1, 7).toString()).toBe('SNAPPY');
    expect(decompressRecords(Compression.snappy, xerial).equals(data)).toBe(true);
  });

  it('turns garbage into decompression_failed for every codec', () => {
    const garbage = Buffer.from('definitely not compressed data at all, not even close');
    for (const id of [Compression.gzip, Compression.snappy, Compression.lz4, Compression.zstd]) {
      try {
        decompressRecords(id, garbage);
        throw new Error(`codec ${id} accepted garbage`);
      } catch (error) {
        expect(error).toBeInstanceOf(RecordBatchException);
        expect((error as RecordBatchException).error.code).toBe(ErrorCode.CORRUPT_MESSAGE);
      }
    }
  });

  it('stops a gzip bomb at the decompression limit', () => {
    const bomb = compressRecords(Compression.gzip, Buffer.alloc(10_000_000));
    expect(() => decompressRecords(Compression.gzip, bomb, { maxDecompressedBytes: 1_000_000 })).toThrow(RecordBatchException);
  });

  it('grows the zstd output buffer for frames without a content size (as Java streams them)', () => {
    const data = Buffer.alloc(3_000_000, 'z');
    const frame = compressRecords(Compression.zstd, data);
    const unsized = withoutContentSize(frame);
    expect(unsized.length).toBeLessThan(frame.length);
    expect(decompressRecords(Compression.zstd, unsized).equals(data)).toBe(true);
    expect(() => decompressRecords(Compression.zstd, unsized, { maxDecompressedBytes: 1_000_000 })).toThrow(
      RecordBatchException,
    );
  });
});

/**
 * Rewrites a single-segment zstd frame header (RFC 8878 section 3.1.1.1) into one with a window
 * descriptor and no Frame_Content_Size, which is what a streaming compressor emits.
 */
function withoutContentSize(frame: Buffer): Buffer {
  const descriptor = frame[4] as number;
  const singleSegment = (descriptor >> 5) & 1;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6] as number;
  const dictBytes = [0, 1, 2, 4][descriptor & 3] as number;
  const headerEnd = 5 + (singleSegment ? 0 : 1) + dictBytes + fcsBytes;
  const checksumFlag = descriptor & 0x04;
  // Window descriptor 0x60: exponent 12 → 2^22 = 4 MiB window, enough for the 3 MB test payload.
  return Buffer.concat([frame.subarray(0, 4), Buffer.from([checksumFlag, 0x60]), frame.subarray(headerEnd)]);
}
