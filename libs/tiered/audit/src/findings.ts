// The audit's findings, kept in memory for GetAuditStatus. A finding is identified by partition,
// kind and range, so a problem seen in every pass is one finding with its first detection time.
// Continuity findings that a later pass no longer sees are closed (the gap was filled, e.g. by a
// lagging upload); object findings close when repaired; a deletion before retention never closes.
// Bounded: beyond `maxFindings` the oldest closed findings go first, then the oldest open ones.
import type { SegmentAddress } from '@stratus/tiered-uploader';
import type { Finding, FindingDraft, FindingKind } from './types';

const idOf = (partitionKey: string, d: Pick<FindingDraft, 'kind' | 'startOffset' | 'endOffset'>): string => `${partitionKey}|${d.kind}|${d.startOffset}|${d.endOffset}`;

export class FindingRegistry {
  private readonly findings = new Map<string, Finding>();

  constructor(private readonly maxFindings = 10_000) {}

  /** Records `draft`; returns the finding and whether it is new (first detection or re-opened). */
  report(partition: SegmentAddress, partitionKey: string, draft: FindingDraft, options: { nowMs: number; unrecoverable?: boolean }): { finding: Finding; isNew: boolean } {
    const id = idOf(partitionKey, draft);
    const existing = this.findings.get(id);
    if (existing && existing.repairedAtMs === undefined) {
      const updated = { ...existing, detail: draft.detail, unrecoverable: options.unrecoverable ?? existing.unrecoverable };
      this.findings.set(id, updated);
      return { finding: updated, isNew: false };
    }
    const finding: Finding = { ...draft, partition, partitionKey, detectedAtMs: options.nowMs, repairedAtMs: undefined, unrecoverable: options.unrecoverable ?? false };
    this.findings.delete(id);
    this.findings.set(id, finding);
    this.trim();
    return { finding, isNew: true };
  }

  markRepaired(partitionKey: string, draft: Pick<FindingDraft, 'kind' | 'startOffset' | 'endOffset'>, nowMs: number): Finding | undefined {
    const id = idOf(partitionKey, draft);
    const f = this.findings.get(id);
    if (!f || f.repairedAtMs !== undefined) return undefined;
    const closed = { ...f, repairedAtMs: nowMs, unrecoverable: false };
    this.findings.set(id, closed);
    return closed;
  }

  /** Closes open findings of `check` for the partition that this pass did not report again. */
  closeAbsent(partitionKey: string, check: FindingDraft['check'], seen: readonly FindingDraft[], nowMs: number): Finding[] {
    const still = new Set(seen.map((d) => idOf(partitionKey, d)));
    const closed: Finding[] = [];
    for (const [id, f] of this.findings) {
      if (f.partitionKey !== partitionKey || f.repairedAtMs !== undefined || f.check !== check || still.has(id)) continue;
      const c = { ...f, repairedAtMs: nowMs, unrecoverable: false };
      this.findings.set(id, c);
      closed.push(c);
    }
    return closed;
  }

  /** Forgets a partition whose data was deleted on purpose (topic deletion). */
  forgetPartition(partitionKey: string): void {
    for (const [id, f] of this.findings) if (f.partitionKey === partitionKey) this.findings.delete(id);
  }

  list(options: { tenantId?: string; includeRepaired?: boolean } = {}): Finding[] {
    return [...this.findings.values()].filter((f) => (options.includeRepaired === true || f.repairedAtMs === undefined) && (!options.tenantId || f.partition.tenantId === options.tenantId));
  }

  openCounts(): Map<FindingKind, number> {
    const counts = new Map<FindingKind, number>();
    for (const f of this.findings.values()) if (f.repairedAtMs === undefined) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    return counts;
  }

  private trim(): void {
    if (this.findings.size <= this.maxFindings) return;
    for (const pass of [true, false]) {
      for (const [id, f] of this.findings) {
        if (this.findings.size <= this.maxFindings) return;
        if ((f.repairedAtMs !== undefined) === pass) this.findings.delete(id);
      }
    }
  }
}
