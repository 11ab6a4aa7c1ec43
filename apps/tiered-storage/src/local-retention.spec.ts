import { metadataV1 } from '@stratus/contracts';
import { applyLocalRetention, localDeletionOffset, localRetentionOf, manifestEnd, type HotLogPort, type HotSegment } from './local-retention';

const NOW = 1_000_000;
const seg = (base: number, end: number, size: number, maxTs: number): HotSegment => ({ baseOffset: BigInt(base), endOffset: BigInt(end), sizeBytes: BigInt(size), maxTimestampMs: BigInt(maxTs) });
// Three sealed segments of 100 bytes; the active one holds 50 more.
const SEGMENTS = [seg(0, 10, 100, NOW - 5_000), seg(10, 20, 100, NOW - 3_000), seg(20, 30, 100, NOW - 1_000)];
const LOG_BYTES = 350n;
const entry = (base: number, end: number) => metadataV1.SegmentManifestEntry.fromPartial({ baseOffset: BigInt(base), endOffset: BigInt(end) });

class FakeHotLog implements HotLogPort {
  deletedBelow: bigint[] = [];
  constructor(
    private segments: HotSegment[],
    private readonly fail = false,
  ) {}
  async sealed() {
    if (this.fail) throw new Error('replica unreachable');
    const total = this.segments.reduce((n, s) => n + s.sizeBytes, 50n);
    return { segments: this.segments, logSizeBytes: total, localLogStart: this.segments[0]?.baseOffset ?? 0n };
  }
  async deleteBefore(offset: bigint) {
    this.deletedBelow.push(offset);
    const before = this.segments.length;
    this.segments = this.segments.filter((s) => s.endOffset > offset);
    return { segmentsDeleted: before - this.segments.length, localLogStart: this.segments[0]?.baseOffset ?? offset };
  }
}

describe('local retention', () => {
  it('never drops a segment the manifest does not cover, whatever the limits say', () => {
    const policy = { localRetentionMs: 0, localRetentionBytes: 0 };
    expect(localDeletionOffset({ segments: SEGMENTS, logSizeBytes: LOG_BYTES, uploadedEnd: 0n, policy, now: NOW })).toBeUndefined();
    expect(localDeletionOffset({ segments: SEGMENTS, logSizeBytes: LOG_BYTES, uploadedEnd: 15n, policy, now: NOW })).toBe(10n);
    expect(localDeletionOffset({ segments: SEGMENTS, logSizeBytes: LOG_BYTES, uploadedEnd: 30n, policy, now: NOW })).toBe(30n);
  });

  it('drops by age (largest timestamp older than local.retention.ms) and by size (the rest still holds local.retention.bytes)', () => {
    const byTime = { localRetentionMs: 2_000, localRetentionBytes: -1 };
    expect(localDeletionOffset({ segments: SEGMENTS, logSizeBytes: LOG_BYTES, uploadedEnd: 30n, policy: byTime, now: NOW })).toBe(20n);
    const bySize = { localRetentionMs: -1, localRetentionBytes: 150 };
    // 350 - 100 = 250 >= 150, 250 - 100 = 150 >= 150, 150 - 100 = 50 < 150.
    expect(localDeletionOffset({ segments: SEGMENTS, logSizeBytes: LOG_BYTES, uploadedEnd: 30n, policy: bySize, now: NOW })).toBe(20n);
    const none = { localRetentionMs: -1, localRetentionBytes: -1 };
    expect(localDeletionOffset({ segments: SEGMENTS, logSizeBytes: LOG_BYTES, uploadedEnd: 30n, policy: none, now: NOW })).toBeUndefined();
  });

  it('follows retention.ms / retention.bytes when the local limits are -2 (KIP-405) or unset', () => {
    const whole = { retentionMs: 604_800_000, retentionBytes: -1 };
    expect(localRetentionOf({}, whole)).toEqual({ localRetentionMs: 604_800_000, localRetentionBytes: -1 });
    expect(localRetentionOf({ 'local.retention.ms': '-2', 'local.retention.bytes': '1024' }, whole)).toEqual({ localRetentionMs: 604_800_000, localRetentionBytes: 1024 });
    expect(localRetentionOf({ 'local.retention.ms': '0', 'local.retention.bytes': 'junk' }, whole)).toEqual({ localRetentionMs: 0, localRetentionBytes: -1 });
  });

  it('takes the manifest end only up to its first gap', () => {
    expect(manifestEnd([])).toBeUndefined();
    expect(manifestEnd([entry(10, 20), entry(0, 10), entry(20, 35)])).toBe(35n);
    expect(manifestEnd([entry(0, 10), entry(25, 30)])).toBe(10n);
  });

  it('applies to every replica independently and reports a failing one', async () => {
    const a = new FakeHotLog([...SEGMENTS]);
    const b = new FakeHotLog([...SEGMENTS], true);
    const c = new FakeHotLog([seg(20, 30, 100, NOW - 1_000)]);
    const result = await applyLocalRetention({ replicas: [a, b, c], uploadedEnd: 20n, policy: { localRetentionMs: 0, localRetentionBytes: -1 }, now: NOW });
    expect(result.replicas).toEqual([{ segmentsDeleted: 2, localLogStart: 20n }, { error: 'replica unreachable' }, { segmentsDeleted: 0, localLogStart: 20n }]);
    expect(a.deletedBelow).toEqual([20n]);
    expect(c.deletedBelow).toEqual([]);
  });

  it('does nothing while the manifest is empty', async () => {
    const a = new FakeHotLog([...SEGMENTS]);
    await applyLocalRetention({ replicas: [a], uploadedEnd: undefined, policy: { localRetentionMs: 0, localRetentionBytes: 0 }, now: NOW });
    expect(a.deletedBelow).toEqual([]);
  });
});
