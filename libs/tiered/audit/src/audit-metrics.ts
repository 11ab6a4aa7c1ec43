// The audit's Prometheus metrics, registered on the service's registry (@stratus/platform-metrics).
// Open findings are a gauge per kind (alert on > 0); detections, repairs and verified bytes are
// counters; the end of the last full pass is a timestamp gauge (alert when it grows old).
import type { Metrics } from '@stratus/platform-metrics';
import type { FindingKind } from './types';

export const FINDING_KINDS: readonly FindingKind[] = ['missing', 'checksum_mismatch', 'deleted_before_retention', 'manifest_mismatch'];

export interface AuditMetrics {
  setOpen(counts: ReadonlyMap<FindingKind, number>, unrecoverable: number): void;
  detected(kind: FindingKind): void;
  repair(result: 'repaired' | 'failed'): void;
  verified(bytes: number, objects: number): void;
  passEnded(endMs: number, partitions: number): void;
}

export function createAuditMetrics(metrics: Metrics): AuditMetrics {
  const open = metrics.gauge<'kind'>({ name: 'stratus_tiered_audit_open_findings', help: 'Unrepaired durability audit findings, by kind', labelNames: ['kind'] });
  const lost = metrics.gauge({ name: 'stratus_tiered_audit_data_loss_findings', help: 'Open findings no replica could repair (data loss)' });
  const detected = metrics.counter<'kind'>({ name: 'stratus_tiered_audit_findings_total', help: 'Durability audit findings detected, by kind', labelNames: ['kind'] });
  const repairs = metrics.counter<'result'>({ name: 'stratus_tiered_audit_repairs_total', help: 'Repairs of missing or corrupt objects from a replica, by result', labelNames: ['result'] });
  const bytes = metrics.counter({ name: 'stratus_tiered_audit_verified_bytes_total', help: 'Object bytes re-read and checked against the manifest CRC32C' });
  const objects = metrics.counter({ name: 'stratus_tiered_audit_verified_objects_total', help: 'Objects re-read and checked against the manifest' });
  const lastPass = metrics.gauge({ name: 'stratus_tiered_audit_last_pass_end_timestamp_seconds', help: 'End of the last complete audit pass (Unix seconds)' });
  const partitions = metrics.gauge({ name: 'stratus_tiered_audit_partitions_verified', help: 'Partitions audited in the last complete pass' });
  for (const kind of FINDING_KINDS) {
    open.set({ kind }, 0);
    detected.inc({ kind }, 0);
  }
  return {
    setOpen: (counts, unrecoverable) => {
      for (const kind of FINDING_KINDS) open.set({ kind }, counts.get(kind) ?? 0);
      lost.set(unrecoverable);
    },
    detected: (kind) => detected.inc({ kind }),
    repair: (result) => repairs.inc({ result }),
    verified: (n, count) => {
      bytes.inc(n);
      objects.inc(count);
    },
    passEnded: (endMs, count) => {
      lastPass.set(endMs / 1000);
      partitions.set(count);
    },
  };
}
