import fc from 'fast-check';
import { metadataV1 } from '@stratus/contracts';
import { buildBatch } from '@stratus/kafka-records';
import { offsetForTimestamp, type SegmentByteReader } from './timestamp-lookup';

interface Log {
  readonly segments: metadataV1.SegmentManifestEntry[];
  readonly bodies: Map<string, Buffer>;
  /** Every record in offset order: the brute-force answer. */
  readonly records: { offset: bigint; timestamp: bigint; epoch: number }[];
}

/** Segments of batches whose record timestamps jump around (Kafka allows CreateTime out of order). */
function buildLog(layout: readonly (readonly (readonly number[])[])[], options: { recordMax: boolean }): Log {
  const segments: metadataV1.SegmentManifestEntry[] = [];
  const bodies = new Map<string, Buffer>();
  const records: Log['records'] = [];
  let offset = 0n;
  layout.forEach((batches, s) => {
    const base = offset;
    const frames: Buffer[] = [];
    let max = -1n;
    for (const [b, stamps] of batches.entries()) {
      const epoch = s * 10 + b;
      const frame = buildBatch({ records: stamps.map((t) => ({ key: null, value: `r${t}`, timestamp: BigInt(t) })), baseOffset: offset, partitionLeaderEpoch: epoch });
      stamps.forEach((t, i) => records.push({ offset: offset + BigInt(i), timestamp: BigInt(t), epoch }));
      for (const t of stamps) if (BigInt(t) > max) max = BigInt(t);
      frames.push(frame);
      offset += BigInt(stamps.length);
    }
    const body = Buffer.concat(frames);
    const segmentId = `seg-${s}`;
    bodies.set(segmentId, body);
    segments.push(metadataV1.SegmentManifestEntry.fromPartial({ segmentId, baseOffset: base, endOffset: offset, sizeBytes: BigInt(body.length), maxTimestampMs: options.recordMax ? max : -1n, state: metadataV1.SegmentState.COMMITTED }));
  });
  return { segments, bodies, records };
}

const bytesOf = (log: Log, reads: { count: number }): SegmentByteReader => ({
  read: async (seg, position, length) => {
    reads.count++;
    const body = log.bodies.get(seg.segmentId) as Buffer;
    return body.subarray(position, Math.min(body.length, position + length));
  },
});

function expected(log: Log, target: bigint) {
  const hit = log.records.find((r) => r.timestamp >= target);
  return hit ? { found: true, offset: hit.offset, timestampMs: hit.timestamp, leaderEpoch: hit.epoch } : { found: false };
}

describe('offsetForTimestamp', () => {
  const layout = [
    [[100, 105], [103, 110, 101]],
    [[90, 95], [200]],
    [[150, 151, 152], [149], [300, 120]],
  ];

  it('answers the first record (in offset order) with timestamp >= the target, across segments', async () => {
    const log = buildLog(layout, { recordMax: true });
    for (const target of [0n, 100n, 104n, 106n, 110n, 111n, 150n, 152n, 200n, 201n, 300n, 301n]) {
      await expect(offsetForTimestamp(log.segments, target, bytesOf(log, { count: 0 }))).resolves.toEqual(expected(log, target));
    }
  });

  it('skips segments whose recorded maximum is below the target without reading them', async () => {
    const log = buildLog(layout, { recordMax: true });
    const reads = { count: 0 };
    // Only the third segment reaches 300: its batch headers are read, nothing of the first two.
    await expect(offsetForTimestamp(log.segments, 300n, bytesOf(log, reads))).resolves.toEqual(expected(log, 300n));
    expect(reads.count).toBe(4);
  });

  it('scans segments without a recorded maximum', async () => {
    const log = buildLog(layout, { recordMax: false });
    await expect(offsetForTimestamp(log.segments, 199n, bytesOf(log, { count: 0 }))).resolves.toEqual(expected(log, 199n));
  });

  it('matches a brute-force search for any timestamps (fast-check)', async () => {
    const stamp = fc.integer({ min: 0, max: 1_000 });
    const arbLayout = fc.array(fc.array(fc.array(stamp, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(arbLayout, fc.integer({ min: 0, max: 1_001 }), async (l, target) => {
        const log = buildLog(l, { recordMax: true });
        const got = await offsetForTimestamp(log.segments, BigInt(target), bytesOf(log, { count: 0 }));
        expect(got).toEqual(expected(log, BigInt(target)));
      }),
      { numRuns: 200 },
    );
  });

});
