// The upload loop (issue 9 item 5): every interval, one uploader pass per partition against one of
// its replicas, then retention. At most `concurrency` partitions at once, and never two uploads of
// one partition at once: the uploader relies on a single writer per partition (docs/tiered-storage.md,
// "one writer per key" for S3 servers without conditional writes), so a slow pass that outlives its
// round makes the next round skip that partition instead of starting a second pass beside it.
// Every failure is logged and the loop moves on: the hot tier keeps what is not tiered yet.
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
}

export interface PartitionOutcome {
  readonly key: string;
  /** Replica whose pass completed without being blocked, if any. */
  readonly replica: string | undefined;
  readonly uploaded: number;
  readonly uploadError: boolean;
  readonly retentionDeleted: number;
  readonly retentionError: boolean;
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
      const round = this.runRound().catch((error: unknown) => this.options.logger.warn({ err: error }, 'upload round failed'));
      this.running = round;
      void round.finally(() => this.schedule(this.options.intervalMs));
    }, delayMs);
    this.timer.unref?.();
  }

  /** One round over every target; resolves when all its passes ended. Safe to call concurrently. */
  async runRound(): Promise<RoundReport> {
    const targets = this.options.ports.targets();
    const skippedBusy: string[] = [];
    const queue: PartitionTarget[] = [];
    for (const t of targets) {
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
          break;
        }
        logger.warn({ partition: target.key, replica: address, blockedAt: result.blockedAt.toString(), tieredEndOffset: result.tieredEndOffset.toString() }, 'replica segments do not continue the manifest; trying another replica');
      } catch (error) {
        uploadError = true;
        logger.warn({ partition: target.key, replica: address, err: error }, 'upload pass failed; trying another replica');
      }
    }
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
    return { key: target.key, replica, uploaded, uploadError, retentionDeleted, retentionError };
  }
}
