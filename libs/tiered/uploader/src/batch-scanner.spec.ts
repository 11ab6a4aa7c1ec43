import fc from 'fast-check';
import { BatchScanner } from './batch-scanner';
import { makeSegments } from './memory-ports.testkit';

describe('BatchScanner', () => {
  const [segment] = makeSegments(1, { batches: 7, records: 2 });
  const bytes = segment?.bytes as Buffer;
  // Batch starts and base offsets, read the slow way from the whole buffer.
  const starts: { position: number; offset: bigint }[] = [];
  for (let p = 0; p < bytes.length; p += 12 + bytes.readInt32BE(p + 8)) starts.push({ position: p, offset: bytes.readBigInt64BE(p) });

  it('names the first batch starting in each chunk for any chunking, headers straddling chunks included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 50 }), (sizes) => {
        const scanner = new BatchScanner();
        let pos = 0;
        let i = 0;
        while (pos < bytes.length) {
          const size = sizes[i++ % sizes.length] as number;
          scanner.push(bytes.subarray(pos, pos + size), 0);
          pos += size;
        }
        expect(scanner.endsAtBoundary()).toBe(true);
        for (const c of scanner.chunks) {
          const first = starts.find((s) => s.position >= c.position && s.position < c.position + c.size);
          expect(c.firstBatchOffset).toBe(first ? first.offset : -1n);
          expect(c.firstBatchPosition).toBe(first ? first.position - c.position : 0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reports a segment cut inside a batch', () => {
    const scanner = new BatchScanner();
    scanner.push(bytes.subarray(0, bytes.length - 5), 0);
    expect(scanner.endsAtBoundary()).toBe(false);
  });
});
