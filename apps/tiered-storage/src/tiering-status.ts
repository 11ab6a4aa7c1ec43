// Tiering lag per partition (issue 9: "reports growing tiering lag"): sealed, committed segments
// on the replica that are not in the manifest yet, as bytes and segments, plus how long the oldest
// of them has waited. Fed by every upload pass (also by one the object store failed half way, so
// the lag keeps rising while S3 is down) and exported as Prometheus gauges and by GetTieringStatus.
import type { Metrics } from '@stratus/platform-metrics';
import type { TieringLag } from '@stratus/tiered-uploader';
import type { PartitionTarget } from './targets';

export interface PartitionTiering {
  readonly target: PartitionTarget;
  readonly lag: TieringLag | undefined;
  /** Since when each pending segment (by base offset) has been seen waiting. */
  readonly pendingSince: ReadonlyMap<bigint, number>;
  readonly lastUploadError: string;
  readonly lastUploadTimeMs: number;
}

export interface TieringStatusOptions {
  readonly metrics?: Metrics;
  readonly now?: () => number;
}

type Labels = 'tenant' | 'topic_id' | 'partition';

export class TieringStatus {
  private readonly partitions = new Map<string, PartitionTiering>();
  private readonly now: () => number;
  private readonly gauges:
    | { bytes: ReturnType<Metrics['gauge']>; segments: ReturnType<Metrics['gauge']>; oldest: ReturnType<Metrics['gauge']>; failures: ReturnType<Metrics['counter']> }
    | undefined;

  constructor(options: TieringStatusOptions = {}) {
    this.now = options.now ?? Date.now;
    const m = options.metrics;
    this.gauges = m && {
      bytes: m.gauge<Labels>({ name: 'stratus_tiered_lag_bytes', help: 'Sealed, committed bytes on the replicas not yet uploaded, per partition', labelNames: ['tenant', 'topic_id', 'partition'] }),
      segments: m.gauge<Labels>({ name: 'stratus_tiered_lag_segments', help: 'Sealed, committed segments not yet uploaded, per partition', labelNames: ['tenant', 'topic_id', 'partition'] }),
      oldest: m.gauge<Labels>({ name: 'stratus_tiered_oldest_pending_seconds', help: 'How long the oldest sealed segment not yet uploaded has been waiting, per partition', labelNames: ['tenant', 'topic_id', 'partition'] }),
      failures: m.counter<Labels>({ name: 'stratus_tiered_upload_failures_total', help: 'Upload passes that failed (object store or replica unreachable), per partition', labelNames: ['tenant', 'topic_id', 'partition'] }),
    };
  }

  private labels(t: PartitionTarget): Record<Labels, string> {
    const [topic = '', partition = ''] = t.key.split('/');
    return { tenant: t.address.tenantId, topic_id: topic, partition };
  }

  /** A pass learned the replica's sealed segments, or finished uploading one. */
  updateLag(target: PartitionTarget, lag: TieringLag): void {
    const now = this.now();
    const prev = this.partitions.get(target.key);
    const pendingSince = new Map<bigint, number>();
    for (const base of lag.pendingBaseOffsets) pendingSince.set(base, prev?.pendingSince.get(base) ?? now);
    this.partitions.set(target.key, { target, lag, pendingSince, lastUploadError: prev?.lastUploadError ?? '', lastUploadTimeMs: prev?.lastUploadTimeMs ?? 0 });
    this.publish(target.key);
  }

  /** A pass ended: `error` undefined when it completed (even without uploads). */
  passEnded(target: PartitionTarget, outcome: { uploaded: number; error: string | undefined }): void {
    const prev = this.partitions.get(target.key) ?? { target, lag: undefined, pendingSince: new Map(), lastUploadError: '', lastUploadTimeMs: 0 };
    this.partitions.set(target.key, {
      ...prev,
      target,
      lastUploadError: outcome.error ?? '',
      lastUploadTimeMs: outcome.uploaded > 0 ? this.now() : prev.lastUploadTimeMs,
    });
    if (outcome.error !== undefined) this.gauges?.failures.inc(this.labels(target));
    this.publish(target.key);
  }

  /** The partition is no longer tiered here (deleted, or owned by another node now). */
  forget(key: string): void {
    const p = this.partitions.get(key);
    if (!p) return;
    this.partitions.delete(key);
    for (const g of [this.gauges?.bytes, this.gauges?.segments, this.gauges?.oldest]) g?.remove(this.labels(p.target));
  }

  /** Keeps only `keys` (called with the current targets each round). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of [...this.partitions.keys()]) if (!keys.has(key)) this.forget(key);
  }

  oldestPendingMs(p: PartitionTiering): number {
    let oldest: number | undefined;
    for (const since of p.pendingSince.values()) oldest = oldest === undefined || since < oldest ? since : oldest;
    return oldest === undefined ? 0 : Math.max(0, this.now() - oldest);
  }

  list(): PartitionTiering[] {
    return [...this.partitions.values()].sort((a, b) => (a.target.key < b.target.key ? -1 : a.target.key > b.target.key ? 1 : 0));
  }

  get(key: string): PartitionTiering | undefined {
    return this.partitions.get(key);
  }

  private publish(key: string): void {
    const p = this.partitions.get(key);
    if (!p || !this.gauges) return;
    const labels = this.labels(p.target);
    this.gauges.bytes.set(labels, Number(p.lag?.lagBytes ?? 0n));
    this.gauges.segments.set(labels, p.lag?.lagSegments ?? 0);
    this.gauges.oldest.set(labels, this.oldestPendingMs(p) / 1000);
  }
}
