// The durability audit's background job (issue 9 item 6): every `intervalMs` after the previous
// pass ends, one pass over every partition this node tiers, one partition at a time (the rate
// limit is per node, and a sequential walk keeps the audit's S3 load flat). Findings go to the
// registry (GetAuditStatus), to metrics and to structured logs: `warn` when detected, `info` when
// repaired, `error` when no replica could repair an object (data loss).
import type { ObjectStore } from '@stratus/tiered-object-store';
import type { SegmentManifest } from '@stratus/tiered-uploader';
import type { AuditMetrics } from './audit-metrics';
import { FindingRegistry } from './findings';
import { auditPartition, INITIAL_STATE, type PartitionAuditResult, type PartitionAuditState } from './partition-audit';
import { ByteRateLimiter, realClock, type LimiterClock } from './rate-limiter';
import type { AuditTarget, Finding, FindingDraft } from './types';

export interface AuditLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface AuditorOptions {
  /** Partitions to audit now (re-read every pass). */
  readonly targets: () => readonly AuditTarget[];
  readonly manifest: SegmentManifest;
  readonly store: ObjectStore;
  readonly logger: AuditLogger;
  readonly metrics?: AuditMetrics;
  readonly intervalMs: number;
  /** Object bytes re-read per second; 0 turns re-reading off (continuity and retention checks still run). */
  readonly verifyBytesPerSecond: number;
  readonly readBytes?: number;
  readonly clock?: LimiterClock;
}

export interface AuditStatus {
  readonly lastPassStartMs: number | undefined;
  readonly lastPassEndMs: number | undefined;
  readonly bytesVerified: number;
  readonly partitionsVerified: number;
  readonly findings: readonly Finding[];
}

export interface PassReport {
  readonly partitions: number;
  readonly bytesVerified: number;
  readonly failed: readonly string[];
}

export class DurabilityAuditor {
  readonly findings = new FindingRegistry();
  private readonly states = new Map<string, PartitionAuditState>();
  private readonly limiter: ByteRateLimiter | undefined;
  private readonly clock: LimiterClock;
  private lastPass: { startMs: number; endMs: number; bytes: number; partitions: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private abort = new AbortController();
  private stopped = true;

  constructor(private readonly options: AuditorOptions) {
    this.clock = options.clock ?? realClock;
    this.limiter = options.verifyBytesPerSecond > 0 ? new ByteRateLimiter(options.verifyBytesPerSecond, this.clock) : undefined;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  status(options: { tenantId?: string; includeRepaired?: boolean } = {}): AuditStatus {
    return {
      lastPassStartMs: this.lastPass?.startMs,
      lastPassEndMs: this.lastPass?.endMs,
      bytesVerified: this.lastPass?.bytes ?? 0,
      partitionsVerified: this.lastPass?.partitions ?? 0,
      findings: this.findings.list(options),
    };
  }

  /** DeleteRecords moved the log start: segments below it leave the manifest on purpose. */
  noteTrim(partitionKey: string, logStartOffset: bigint): void {
    const s = this.states.get(partitionKey) ?? INITIAL_STATE;
    this.states.set(partitionKey, { ...s, trimmedBelow: logStartOffset > s.trimmedBelow ? logStartOffset : s.trimmedBelow });
  }

  /** The partition's data was deleted on purpose (topic deletion): forget it. */
  noteDeleted(partitionKey: string): void {
    this.states.delete(partitionKey);
    this.findings.forgetPartition(partitionKey);
    this.publishOpen();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const pass = this.runPass().catch((error: unknown) => this.options.logger.warn({ err: error }, 'audit pass failed'));
      this.running = pass;
      void pass.finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref?.();
  }

  /** One pass over every target. A partition that fails (store or metadata unreachable) is retried next pass. */
  async runPass(): Promise<PassReport> {
    const startMs = this.clock.now();
    const targets = this.options.targets();
    let bytes = 0;
    let partitions = 0;
    const failed: string[] = [];
    for (const target of targets) {
      if (this.abort.signal.aborted) return { partitions, bytesVerified: bytes, failed };
      try {
        const before = this.states.get(target.key) ?? INITIAL_STATE;
        const result = await auditPartition({
          target,
          manifest: this.options.manifest,
          store: this.options.store,
          limiter: this.limiter,
          state: before,
          nowMs: () => this.clock.now(),
          readBytes: this.options.readBytes,
          signal: this.abort.signal,
        });
        // A topic deleted meanwhile (noteDeleted) must not come back through a late result.
        if (this.abort.signal.aborted) return { partitions, bytesVerified: bytes, failed };
        // A trim noted while this partition was being audited still applies to the next pass.
        const during = this.states.get(target.key);
        this.states.set(target.key, during && during !== before ? { ...result.next, trimmedBelow: during.trimmedBelow } : result.next);
        this.record(target, result);
        bytes += result.bytesVerified;
        partitions++;
      } catch (error) {
        failed.push(target.key);
        this.options.logger.warn({ partition: target.key, err: error }, 'audit of partition failed; retried next pass');
      }
    }
    const live = new Set(targets.map((t) => t.key));
    for (const key of this.states.keys()) if (!live.has(key)) this.states.delete(key);
    const endMs = this.clock.now();
    this.lastPass = { startMs, endMs, bytes, partitions };
    this.options.metrics?.passEnded(endMs, partitions);
    this.options.logger.info({ partitions, bytesVerified: bytes, failed: failed.length, durationMs: endMs - startMs }, 'durability audit pass completed');
    return { partitions, bytesVerified: bytes, failed };
  }

  private record(target: AuditTarget, result: PartitionAuditResult): void {
    const { logger, metrics } = this.options;
    const now = this.clock.now();
    const log = { partition: target.key, tenant: target.address.tenantId };
    const report = (draft: FindingDraft, unrecoverable: boolean): Finding => {
      const { finding, isNew } = this.findings.report(target.address, target.key, draft, { nowMs: now, unrecoverable });
      if (isNew) {
        metrics?.detected(draft.kind);
        logger.warn({ ...log, finding: { kind: draft.kind, startOffset: draft.startOffset.toString(), endOffset: draft.endOffset.toString(), segmentId: draft.segmentId }, detail: draft.detail }, 'durability audit finding');
      }
      return finding;
    };
    for (const d of [...result.continuity, ...result.retention]) report(d, d.kind === 'deleted_before_retention');
    for (const closed of this.findings.closeAbsent(target.key, 'continuity', result.continuity, now)) {
      logger.info({ ...log, finding: { kind: closed.kind, startOffset: closed.startOffset.toString(), endOffset: closed.endOffset.toString() } }, 'durability audit finding no longer present');
    }
    for (const check of result.objects) {
      const { draft, repair } = check;
      if (repair?.repaired) {
        report(draft, false);
        this.findings.markRepaired(target.key, draft, now);
        metrics?.repair('repaired');
        logger.info({ ...log, segmentId: draft.segmentId, kind: draft.kind, replica: repair.fromReplica }, 'tiered object repaired from a replica');
      } else {
        report(draft, true);
        metrics?.repair('failed');
        logger.error({ ...log, segmentId: draft.segmentId, kind: draft.kind, startOffset: draft.startOffset.toString(), endOffset: draft.endOffset.toString(), reason: repair?.reason }, 'tiered object damaged and no replica holds the segment: data loss');
      }
    }
    // An object that now verifies (repaired by an earlier pass that reported failure, or restored by hand).
    for (const entry of result.verifiedOk) {
      for (const kind of ['checksum_mismatch', 'manifest_mismatch'] as const) this.findings.markRepaired(target.key, { kind, startOffset: entry.baseOffset, endOffset: entry.endOffset }, now);
    }
    metrics?.verified(result.bytesVerified, result.verifiedOk.length + result.objects.length);
    this.publishOpen();
  }

  private publishOpen(): void {
    const open = this.findings.list();
    this.options.metrics?.setOpen(this.findings.openCounts(), open.filter((f) => f.unrecoverable).length);
  }
}
