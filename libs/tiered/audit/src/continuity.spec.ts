import { metadataV1 } from '@stratus/contracts';
import { checkContinuity } from './continuity';
import { vanishedBeforeRetention } from './retention-check';
import type { ManifestEntry } from './types';

const entry = (base: bigint, end: bigint, options: { maxTs?: bigint; size?: bigint } = {}): ManifestEntry =>
  metadataV1.SegmentManifestEntry.fromPartial({ segmentId: `s${base}-${end}`, baseOffset: base, endOffset: end, sizeBytes: options.size ?? 100n, maxTimestampMs: options.maxTs ?? 0n, state: metadataV1.SegmentState.COMMITTED });

describe('checkContinuity', () => {
  const hot = { localLogStartOffset: 150n, committedOffset: 400n };

  it('finds nothing when the manifest tiles a range that reaches the hot tier', () => {
    expect(checkContinuity({ segments: [entry(0n, 100n), entry(100n, 200n)], hot, deletedBelow: undefined })).toEqual([]);
  });

  it('reports a gap between segments, an overlap, a gap to the hot start and tiering above the high watermark', () => {
    const found = checkContinuity({ segments: [entry(0n, 50n), entry(60n, 100n), entry(90n, 120n)], hot, deletedBelow: undefined });
    expect(found.map((f) => [f.kind, f.startOffset, f.endOffset])).toEqual([
      ['missing', 50n, 60n],
      ['manifest_mismatch', 90n, 100n],
      ['missing', 120n, 150n],
    ]);
    const above = checkContinuity({ segments: [entry(0n, 500n)], hot, deletedBelow: undefined });
    expect(above.map((f) => [f.kind, f.startOffset, f.endOffset])).toEqual([['manifest_mismatch', 400n, 500n]]);
  });

  it('with an empty manifest, judges the hot start only against what is known to be deleted on purpose', () => {
    expect(checkContinuity({ segments: [], hot, deletedBelow: undefined })).toEqual([]);
    expect(checkContinuity({ segments: [], hot, deletedBelow: 150n })).toEqual([]);
    expect(checkContinuity({ segments: [], hot, deletedBelow: 120n }).map((f) => [f.kind, f.startOffset, f.endOffset])).toEqual([['missing', 120n, 150n]]);
  });

  it('skips the hot-side checks when no replica answered', () => {
    expect(checkContinuity({ segments: [entry(0n, 100n)], hot: undefined, deletedBelow: undefined })).toEqual([]);
  });
});

describe('vanishedBeforeRetention', () => {
  const now = 10_000_000;
  it('accepts segments retention.ms expired and reports a young one that vanished', () => {
    const old = entry(0n, 100n, { maxTs: BigInt(now - 5_000) });
    const young = entry(100n, 200n, { maxTs: BigInt(now - 10) });
    const last = entry(200n, 300n, { maxTs: BigInt(now) });
    const found = vanishedBeforeRetention({ previous: [old, young, last], current: [last], retention: { retentionMs: 1_000, retentionBytes: -1 }, nowMs: now, trimmedBelow: -1n });
    expect(found.map((f) => [f.kind, f.segmentId])).toEqual([['deleted_before_retention', young.segmentId]]);
  });

  it('accepts deletions retention.bytes required, counting segments added since the earlier snapshot', () => {
    const a = entry(0n, 100n, { maxTs: BigInt(now) });
    const b = entry(100n, 200n, { maxTs: BigInt(now) });
    const c = entry(200n, 300n, { maxTs: BigInt(now) });
    // Before: a+b = 200 bytes under a 200-byte limit; c arrived and retention dropped a.
    expect(vanishedBeforeRetention({ previous: [a, b], current: [b, c], retention: { retentionMs: -1, retentionBytes: 200 }, nowMs: now, trimmedBelow: -1n })).toEqual([]);
    expect(vanishedBeforeRetention({ previous: [a, b], current: [b, c], retention: { retentionMs: -1, retentionBytes: 300 }, nowMs: now, trimmedBelow: -1n })).toHaveLength(1);
  });

  it('accepts segments below a DeleteRecords trim', () => {
    const a = entry(0n, 100n, { maxTs: BigInt(now) });
    expect(vanishedBeforeRetention({ previous: [a], current: [], retention: { retentionMs: -1, retentionBytes: -1 }, nowMs: now, trimmedBelow: 100n })).toEqual([]);
  });
});
