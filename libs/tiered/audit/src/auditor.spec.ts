import { createMetrics } from '@stratus/platform-metrics';
import { MemorySegmentSource, segmentObjectKey, type FakeSegment } from '@stratus/tiered-uploader';
import { ADDRESS, uploadedFixture, type Fixture } from './audit.testkit';
import { createAuditMetrics } from './audit-metrics';
import { DurabilityAuditor } from './auditor';
import type { LimiterClock } from './rate-limiter';

const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

class FakeClock implements LimiterClock {
  t = 1_800_000_000_000;
  slept = 0;
  now = () => this.t;
  sleep = async (ms: number) => {
    this.slept += ms;
    this.t += ms;
  };
}

function auditorFor(fx: Fixture, options: { sources?: MemorySegmentSource[]; bytesPerSecond?: number } = {}) {
  const metrics = createMetrics({ service: 'audit-test', processMetrics: false });
  const clock = new FakeClock();
  const auditor = new DurabilityAuditor({
    targets: () => [fx.target({ sources: options.sources })],
    manifest: fx.manifest,
    store: fx.store,
    logger,
    metrics: createAuditMetrics(metrics),
    intervalMs: 60_000,
    verifyBytesPerSecond: options.bytesPerSecond ?? 1_000_000,
    readBytes: 700,
    clock,
  });
  const metric = async (name: string, labels = ''): Promise<number> => {
    const line = (await metrics.render()).split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
    return Number(line?.split(' ').at(-1));
  };
  return { auditor, metric, clock };
}

const keyOf = (s: FakeSegment | undefined) => segmentObjectKey(ADDRESS, (s as FakeSegment).info);

describe('DurabilityAuditor', () => {
  beforeEach(() => jest.clearAllMocks());

  it('verifies every object of a healthy partition and finds nothing', async () => {
    const fx = await uploadedFixture(3);
    const { auditor, metric } = auditorFor(fx);
    const report = await auditor.runPass();
    const total = fx.segments.reduce((n, s) => n + s.bytes.length, 0);
    expect(report).toEqual({ partitions: 1, bytesVerified: total, failed: [] });
    expect(auditor.status()).toMatchObject({ partitionsVerified: 1, bytesVerified: total, findings: [] });
    expect(await metric('stratus_tiered_audit_verified_bytes_total')).toBe(total);
    expect(await metric('stratus_tiered_audit_open_findings', '{kind="checksum_mismatch"}')).toBe(0);
  });

  it('re-reads at the configured rate', async () => {
    const fx = await uploadedFixture(3);
    const { auditor, clock } = auditorFor(fx, { bytesPerSecond: 1000 });
    await auditor.runPass();
    const total = fx.segments.reduce((n, s) => n + s.bytes.length, 0);
    // The first second's worth passes at once; the rest at 1,000 B/s.
    expect(clock.slept).toBeGreaterThanOrEqual((total - 1000) - 1);
    expect(clock.slept).toBeLessThanOrEqual(total);
  });

  it('reports a corrupt and a deleted object, re-uploads both from the replica, and lists them as repaired', async () => {
    const fx = await uploadedFixture(3);
    const [s0, s1] = fx.segments;
    // Behind the system's back: one object's bytes flipped in place, another deleted.
    const damaged = Buffer.from((s0 as FakeSegment).bytes);
    damaged[100] = (damaged[100] as number) ^ 0xff;
    await fx.store.delete(keyOf(s0));
    await fx.store.putIfAbsent(keyOf(s0), damaged);
    await fx.store.delete(keyOf(s1));
    const { auditor, metric } = auditorFor(fx);
    await auditor.runPass();
    expect(await fx.store.get(keyOf(s0))).toEqual((s0 as FakeSegment).bytes);
    expect(await fx.store.get(keyOf(s1))).toEqual((s1 as FakeSegment).bytes);
    expect(auditor.status().findings).toEqual([]);
    const all = auditor.status({ includeRepaired: true }).findings;
    expect(all.map((f) => [f.kind, f.startOffset, f.segmentId, f.repairedAtMs !== undefined])).toEqual([
      ['checksum_mismatch', (s0 as FakeSegment).info.baseOffset, expect.any(String), true],
      ['manifest_mismatch', (s1 as FakeSegment).info.baseOffset, expect.any(String), true],
    ]);
    expect(await metric('stratus_tiered_audit_findings_total', '{kind="checksum_mismatch"}')).toBe(1);
    expect(await metric('stratus_tiered_audit_repairs_total', '{result="repaired"}')).toBe(2);
    expect(await metric('stratus_tiered_audit_open_findings', '{kind="checksum_mismatch"}')).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ finding: expect.objectContaining({ kind: 'checksum_mismatch' }) }), 'durability audit finding');
    // The next pass finds everything whole again.
    await auditor.runPass();
    expect(auditor.status({ includeRepaired: true }).findings).toHaveLength(2);
    expect(await metric('stratus_tiered_audit_findings_total', '{kind="checksum_mismatch"}')).toBe(1);
  });

  it('reports data loss when no replica holds the segment, and closes it once a replica can repair it', async () => {
    const fx = await uploadedFixture(2);
    const [s0] = fx.segments;
    await fx.store.delete(keyOf(s0));
    const replica = new MemorySegmentSource(fx.segments.slice(1));
    const { auditor, metric } = auditorFor(fx, { sources: [replica] });
    await auditor.runPass();
    const [finding] = auditor.status().findings;
    expect(finding).toMatchObject({ kind: 'manifest_mismatch', unrecoverable: true, repairedAtMs: undefined, partition: { tenantId: ADDRESS.tenantId } });
    expect(await metric('stratus_tiered_audit_data_loss_findings')).toBe(1);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ segmentId: finding?.segmentId }), expect.stringContaining('data loss'));
    expect(auditor.status({ tenantId: 'other' }).findings).toEqual([]);
    // A replica holding it comes back (e.g. a node rejoining).
    replica.segments = fx.segments;
    await auditor.runPass();
    expect(auditor.status().findings).toEqual([]);
    expect(await fx.store.get(keyOf(s0))).toEqual((s0 as FakeSegment).bytes);
    expect(await metric('stratus_tiered_audit_data_loss_findings')).toBe(0);
  });

  it('refuses a replica whose segment at that offset differs, rather than writing other bytes under the key', async () => {
    const fx = await uploadedFixture(1);
    const [s0] = fx.segments;
    await fx.store.delete(keyOf(s0));
    const other = (s0 as FakeSegment).bytes.length;
    const differing = new MemorySegmentSource([{ ...(s0 as FakeSegment), info: { ...(s0 as FakeSegment).info, sizeBytes: BigInt(other + 1) } }]);
    const { auditor } = auditorFor(fx, { sources: [differing] });
    await auditor.runPass();
    expect(auditor.status().findings[0]).toMatchObject({ unrecoverable: true });
    expect(await fx.store.head(keyOf(s0))).toBeUndefined();
  });

  it('reports a segment deleted before its retention, and a gap between the tiers that closes when filled', async () => {
    const fx = await uploadedFixture(3, { hotStart: 0n });
    const { auditor } = auditorFor(fx);
    await auditor.runPass();
    const [s0, s1, s2] = fx.segments.map((s) => s.info);
    if (!s0 || !s1 || !s2) throw new Error('three segments');
    // Retention is infinite (-1), yet the first segment disappears; the hot tier moved past the manifest.
    fx.manifest.edit(ADDRESS, fx.manifest.entries(ADDRESS)[0]?.segmentId ?? '', undefined);
    fx.hot = { localLogStartOffset: s2.endOffset + 6n, committedOffset: s2.endOffset + 20n };
    await auditor.runPass();
    const kinds = auditor.status().findings.map((f) => [f.kind, f.startOffset, f.endOffset]);
    expect(kinds).toEqual([
      ['missing', s2.endOffset, s2.endOffset + 6n],
      ['deleted_before_retention', s0.baseOffset, s0.endOffset],
    ]);
    // The hot tier turns out to hold it after all (a replica that was behind caught up): the gap closes.
    fx.hot = { localLogStartOffset: s2.endOffset, committedOffset: s2.endOffset + 20n };
    await auditor.runPass();
    expect(auditor.status().findings.map((f) => f.kind)).toEqual(['deleted_before_retention']);
  });

  it('does not report segments retention expired or a trimmed range, and forgets a deleted topic', async () => {
    const fx = await uploadedFixture(2);
    const { auditor } = auditorFor(fx);
    await auditor.runPass();
    const [first] = fx.manifest.entries(ADDRESS);
    await fx.manifest.remove(ADDRESS, [first?.segmentId ?? ''], { purge: true });
    auditor.noteTrim(fx.target().key, first?.endOffset ?? 0n);
    await auditor.runPass();
    expect(auditor.status().findings).toEqual([]);
    fx.manifest.edit(ADDRESS, fx.manifest.entries(ADDRESS)[0]?.segmentId ?? '', undefined);
    await auditor.runPass();
    expect(auditor.status().findings.map((f) => f.kind)).toEqual(['deleted_before_retention']);
    // Topic deletion: the partition's findings and history go.
    auditor.noteDeleted(fx.target().key);
    expect(auditor.status({ includeRepaired: true }).findings).toEqual([]);
  });
});
