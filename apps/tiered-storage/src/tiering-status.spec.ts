import { createMetrics } from '@stratus/platform-metrics';
import type { PartitionTarget } from './targets';
import { TieringStatus } from './tiering-status';

const target: PartitionTarget = { key: 'ab'.repeat(16) + '/3', address: { tenantId: 'lkc-1', topicId: Buffer.alloc(16, 0xab), partition: 3 }, replicas: ['r1'], retention: { retentionMs: -1, retentionBytes: -1 } };
const lag = (segments: bigint[], bytes: bigint) => ({ tieredEndOffset: 0n, sealedCommittedEndOffset: 100n, lagSegments: segments.length, lagBytes: bytes, pendingBaseOffsets: segments });

describe('TieringStatus', () => {
  it('exports lag per partition as gauges, ages the oldest pending segment and drops a partition no longer tiered', async () => {
    const metrics = createMetrics({ service: 't', processMetrics: false });
    let now = 1_000_000;
    const status = new TieringStatus({ metrics, now: () => now });
    const series = `{tenant="lkc-1",topic_id="${'ab'.repeat(16)}",partition="3"}`;
    const value = async (name: string) => Number((await metrics.render()).split('\n').find((l) => l.startsWith(`${name}${series} `))?.split(' ')[1]);

    status.updateLag(target, lag([0n, 10n], 2048n));
    expect(await value('stratus_tiered_lag_bytes')).toBe(2048);
    expect(await value('stratus_tiered_lag_segments')).toBe(2);
    now += 5_000;
    status.updateLag(target, lag([0n, 10n, 20n], 3072n));
    status.passEnded(target, { uploaded: 0, error: 'S3 unavailable' });
    // The oldest pending segment has waited since the first report.
    expect(await value('stratus_tiered_oldest_pending_seconds')).toBe(5);
    expect(status.get(target.key)).toMatchObject({ lastUploadError: 'S3 unavailable', lastUploadTimeMs: 0 });
    expect(await value('stratus_tiered_upload_failures_total')).toBe(1);

    now += 1_000;
    status.updateLag(target, lag([], 0n));
    status.passEnded(target, { uploaded: 3, error: undefined });
    expect(await value('stratus_tiered_lag_bytes')).toBe(0);
    expect(status.get(target.key)).toMatchObject({ lastUploadError: '', lastUploadTimeMs: now });
    expect(status.oldestPendingMs(status.list()[0] ?? (undefined as never))).toBe(0);

    status.retain(new Set());
    expect(status.list()).toEqual([]);
    expect(await metrics.render()).not.toContain(`stratus_tiered_lag_bytes${series}`);
  });
});
