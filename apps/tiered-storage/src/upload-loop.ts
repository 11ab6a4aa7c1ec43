// The upload loop (issue 9 item 5): every interval, one uploader pass per partition against one of
// its replicas, then retention. At most `concurrency` partitions at once, and never two uploads of
// one partition at once: the uploader relies on a single writer per partition (docs/tiered-storage.md,
// "one writer per key" for S3 servers without conditional writes), so a slow pass that outlives its
// round makes the next round skip that partition instead of starting a second pass beside it.
// Every failure is logged and the loop moves on: the hot tier keeps what is not tiered yet.
//
// Per-tenant pacing (issue 9 item 2): a round's queue takes partitions from each tenant in turn
// (round-robin), and a pass stops after `maxSegmentsPerPass` uploads (the uploader's cap) so a
// partition with a large backlog gives up its slot; while any pass stopped with more waiting, the
// next round starts at once instead of after the interval. One tenant's backlog thus costs other
// tenants at most one capped pass per slot, never a whole drain.
import type { RetentionResult, UploadPassResult } from '@stratus/tiered-uploader';
import type { PartitionTarget } from './targets';

export interface UploadLoopPorts {
  /** The partitions to tier now (re-read every round, so assignment changes apply at the next one). */
  targets(): readonly PartitionTarget[];
  uploadPass(target: PartitionTarget, replicaAddress: string): Promise<UploadPassResult>;
  retention(target: PartitionTarget): Promise<RetentionResult>;
}

export interface LoopLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface UploadLoopOptions {
  readonly ports: UploadLoopPorts;
  readonly concurrency: number;
  readonly intervalMs: number;
  readonly logger: LoopLogger;
  /** Every partition's upload outcome (tiering status); `error` undefined when a replica's pass completed. */
  readonly onPassEnded?: (target: PartitionTarget, outcome: { uploaded: number; error: string | undefined }) => void;
}

/** Partitions interleaved across tenants (a, b, c, a, b, a …), each tenant's in key order. */
export function fairOrder(targets: readonly PartitionTarget[]): PartitionTarget[] {
  const byTenant = new Map<string, PartitionTarget[]>();
  for (const t of targets) {
    const list = byTenant.get(t.address.tenantId) ?? [];
    list.push(t);
    byTenant.set(t.address.tenantId, list);
  }
  const queues = [...byTenant.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, list]) => list);
  const out: PartitionTarget[] = [];
  for (let i = 0; out.length < targets.length; i++) for (const q of queues) if (i < q.length) out.push(q[i] as PartitionTarget);
  return out;
}

export interface PartitionOutcome {
  readonly key: string;
  /** Replica whose pass completed without being blocked, if any. */
  readonly replica: string | undefined;
  readonly uploaded: number;
  readonly uploadError: boolean;
  readonly retentionDeleted: number;
  readonly retentionError: boolean;
  /** The pass stopped at its segment cap with more committed segments waiting. */
  readonly more: boolean;
}

export interface RoundReport {
  readonly partitions: readonly PartitionOutcome[];
  /** Partitions left out because their previous upload was still running. */
  readonly skippedBusy: readonly string[];
}

export class UploadLoop {
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly options: UploadLoopOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('concurrency must be an integer >= 1');
  }

  /** Partitions with a pass in progress (for status and tests). */
  get inFlight(): readonly string[] {
    return [...this.busy];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops scheduling and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const round = this.runRound().then(
        (report) => report.partitions.some((p) => p.more),
        (error: unknown) => {
          this.options.logger.warn({ err: error }, 'upload round failed');
          return false;
        },
      );
      this.running = round;
      // A backlog left by capped passes continues at once; otherwise wait the interval.
      void round.then((more) => this.schedule(more ? 0 : this.options.intervalMs));
    }, delayMs);
    this.timer.unref?.();
  }

  /** One round over every target; resolves when all its passes ended. Safe to call concurrently. */
  async runRound(): Promise<RoundReport> {
    const targets = this.options.ports.targets();
    const skippedBusy: string[] = [];
    const queue: PartitionTarget[] = [];
    for (const t of fairOrder(targets)) {
      if (this.busy.has(t.key)) skippedBusy.push(t.key);
      else queue.push(t);
    }
    const outcomes: PartitionOutcome[] = [];
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        // Re-checked here: another round may have claimed it while this one waited for a slot.
        if (this.busy.has(t.key)) {
          skippedBusy.push(t.key);
          continue;
        }
        this.busy.add(t.key);
        try {
          outcomes.push(await this.runPartition(t));
        } finally {
          this.busy.delete(t.key);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, queue.length) }, worker));
    return { partitions: outcomes, skippedBusy };
  }

  private async runPartition(target: PartitionTarget): Promise<PartitionOutcome> {
    const { logger } = this.options;
    let replica: string | undefined;
    let uploaded = 0;
    let uploadError = false;
    let more = false;
    let lastError: string | undefined = target.replicas.length === 0 ? 'no live replica' : undefined;
    if (target.replicas.length === 0) logger.debug({ partition: target.key }, 'no live replica to tier from');
    // The preferred replica first; the next one when it fails or rolled its segments at other
    // offsets (blockedAt), since another replica may hold the range that continues the manifest.
    for (const address of target.replicas) {
      try {
        const result = await this.options.ports.uploadPass(target, address);
        uploaded += result.uploaded.length;
        if (result.uploaded.length > 0) logger.info({ partition: target.key, replica: address, segments: result.uploaded.length, tieredEndOffset: result.tieredEndOffset.toString() }, 'segments tiered');
        if (result.blockedAt === undefined) {
          replica = address;
          uploadError = false;
          lastError = undefined;
          more = result.more;
          break;
        }
        lastError = `replica ${address} blocked at ${result.blockedAt}`;
        logger.warn({ partition: target.key, replica: address, blockedAt: result.blockedAt.toString(), tieredEndOffset: result.tieredEndOffset.toString() }, 'replica segments do not continue the manifest; trying another replica');
      } catch (error) {
        uploadError = true;
        lastError = `${address}: ${(error as Error).message}`;
        logger.warn({ partition: target.key, replica: address, err: error }, 'upload pass failed; trying another replica');
      }
    }
    this.options.onPassEnded?.(target, { uploaded, error: lastError });
    let retentionDeleted = 0;
    let retentionError = false;
    try {
      const result = await this.options.ports.retention(target);
      retentionDeleted = result.deleted.length;
      if (retentionDeleted > 0) logger.info({ partition: target.key, deleted: retentionDeleted, logStartOffset: result.logStartOffset?.toString() }, 'tiered segments deleted by retention');
    } catch (error) {
      retentionError = true;
      logger.warn({ partition: target.key, err: error }, 'retention failed; retried next round');
    }
    return { key: target.key, replica, uploaded, uploadError, retentionDeleted, retentionError, more };
  }
}
