// One partition on one replication node: the replica rules of design/replication-protocol.md.
//   1. fence(e): e < promised -> FENCED; else persist promised = e durably, then return
//      {logEnd, epochHistory}.
//   2. append(e, baseOffset, bytes): only e == promised and baseOffset == logEnd; the first
//      append of an epoch records (e, baseOffset) in the epoch history; ack with the new logEnd.
//   3. truncate / repair / markEpochStart only with e == promised.
//   4. nothing is acknowledged before it is written (and fsynced when the flush policy says so).
import { join } from 'node:path';
import { scanBatches, type ScannedBatch } from './batch-scan';
import { writeDurably } from './durable-file';
import { EpochHistory, decodePromisedEpoch, encodePromisedEpoch } from './epoch-history';
import { checkEpoch, diskFull, fail, fenced, isNoSpace, ok, outOfRange, type FenceState, type ReplicaError, type Result } from './errors';
import type { FileIo } from './file-io';
import { clearIntent, readIntent, writeIntent } from './intent';
import { readLogStart, writeLogStart } from './log-start';
import { SegmentedLog, type ReadBatches, type RecoveryReport } from './segmented-log';
import { SerialQueue } from './serial-queue';
import { AppendRun, MAX_RUN_BYTES, settleFailure, type PendingAppend } from './append-run';
import { silentLog, systemClock, validateConfig, type Clock, type EpochEntry, type LeaderEpoch, type LogSink, type PartitionKey, type PartitionLogConfig } from './types';

export const PROMISED_EPOCH_FILE = 'promised-epoch';
export const EPOCH_HISTORY_FILE = 'leader-epoch-checkpoint';

export interface CorruptionReport {
  readonly partition: PartitionKey;
  readonly offset: bigint;
  readonly file: string;
  readonly reason: string;
}

export interface PartitionReplicaOptions {
  readonly key: PartitionKey;
  readonly dir: string;
  readonly io: FileIo;
  readonly config: PartitionLogConfig;
  readonly clock?: Clock;
  readonly log?: LogSink;
  /** Health gate: when it answers false, data operations fail with NOT_READY. */
  readonly isReady?: () => boolean;
  /** Called for every corruption a read finds (the store counts it in a metric). */
  readonly onCorruption?: (report: CorruptionReport) => void;
}

export interface LogState {
  readonly key: PartitionKey;
  /** Undefined until the first Fence: such a replica accepts no append. */
  readonly promisedEpoch: LeaderEpoch | undefined;
  /** The first servable offset: max(durableLogStart, localLogStart); nothing below it is served here. */
  readonly logStart: bigint;
  /**
   * The persisted logical start over both tiers (DeleteRecords, KIP-107): may lie below
   * localLogStart once local retention dropped tiered segments. log.proto's `log_start_offset`.
   */
  readonly durableLogStart: bigint;
  /** First offset of the first local segment: at or below logStart. */
  readonly localLogStart: bigint;
  readonly logEnd: bigint;
  readonly epochHistory: readonly EpochEntry[];
  readonly segmentCount: number;
  readonly sizeBytes: number;
  readonly committedOffset: bigint;
}

export interface AppendOptions {
  /** The exclusive end the leader computed; a mismatch with the batch headers is INVALID_BATCH. */
  readonly endOffset?: bigint;
  /** fsync before acknowledging, whatever the flush policy. */
  readonly forceFlush?: boolean;
  /** The leader's high watermark, piggybacked (reported in logState, used to mark segments committed). */
  readonly committedOffset?: bigint;
}

export interface ReadOptions {
  /** Exclusive upper bound: only batches that end at or below it are returned (the leader's HW). */
  readonly maxOffset?: bigint;
}

export interface ReadResult extends ReadBatches {
  readonly logStart: bigint;
  readonly logEnd: bigint;
}

export class PartitionReplica {
  private readonly queue = new SerialQueue();
  private openGroup: PendingAppend[] | undefined;
  private closed = false;
  /** Highest committed offset a leader reported; in memory only (the next leader re-sends it). */
  private committed = 0n;

  private constructor(
    private readonly opts: PartitionReplicaOptions & { clock: Clock; log: LogSink },
    private readonly segments: SegmentedLog,
    private promised: LeaderEpoch | undefined,
    private history: EpochHistory,
    readonly recovery: RecoveryReport,
    /** Persisted logical log start (log-start.ts); the effective start also respects the first segment. */
    private logicalStart: bigint,
  ) {}

  /**
   * The persisted logical start (log-start-offset checkpoint): the log start over both tiers, which
   * may be below the first local offset once local retention dropped tiered segments. This is what
   * log.proto's `log_start_offset` describes; `logState().logStart` is the first servable local offset.
   */
  get durableLogStart(): bigint {
    return this.logicalStart;
  }

  /** The logical log start: records below it are deleted, even inside the first segment. */
  private get logStart(): bigint {
    const local = this.segments.logStart;
    return this.logicalStart > local ? this.logicalStart : local;
  }

  get key(): PartitionKey {
    return this.opts.key;
  }

  /** Opens (creating if needed) and recovers a partition directory. */
  static async open(options: PartitionReplicaOptions): Promise<PartitionReplica> {
    const opts = { ...options, clock: options.clock ?? systemClock, log: options.log ?? silentLog };
    validateConfig(opts.config);
    const { io, dir } = opts;
    const { log: segments, report } = await SegmentedLog.open({ io, dir, config: opts.config, clock: opts.clock, log: opts.log });
    const promisedData = await io.readFileIfExists(join(dir, PROMISED_EPOCH_FILE));
    const promised = promisedData ? decodePromisedEpoch(promisedData, join(dir, PROMISED_EPOCH_FILE)) : undefined;
    const historyData = await io.readFileIfExists(join(dir, EPOCH_HISTORY_FILE));
    const history = historyData ? EpochHistory.decode(historyData, join(dir, EPOCH_HISTORY_FILE)) : new EpochHistory();
    const replica = new PartitionReplica(opts, segments, promised, history, report, await readLogStart(io, dir));
    await replica.finishRecovery();
    if (report.truncatedBytes > 0) {
      opts.log.warn({ partition: opts.key, truncatedBytes: report.truncatedBytes, problem: report.tailProblem, logEnd: segments.logEnd.toString() }, 'truncated a torn or corrupt log tail on open');
    }
    return replica;
  }

  /** Replays an interrupted truncation/reset and drops epoch entries the recovered log no longer holds. */
  private async finishRecovery(): Promise<void> {
    const { io, dir } = this.opts;
    const intent = await readIntent(io, dir);
    if (intent?.kind === 'reset') {
      await this.applyReset(intent.offset, intent.logStart ?? intent.offset);
    } else if (intent?.kind === 'truncate') {
      await this.applyTruncation(intent.offset);
    }
    if (intent) await clearIntent(io, dir);
    // The log end is never below the log start: everything below the start is deleted anyway (a
    // crash between persisting a start and moving the segments could leave that).
    if (this.logicalStart > this.segments.logEnd) await this.segments.resetTo(this.logicalStart);
    // A history entry may start exactly at logEnd (an epoch-start mark with no record yet), never beyond.
    const logEnd = this.segments.logEnd;
    let settled = new EpochHistory(this.history.entries.filter((e) => e.startOffset <= logEnd));
    settled = settled.withTruncatedStart(this.logStart);
    if (!sameHistory(settled, this.history)) await this.saveHistory(settled);
  }

  // ---- rule 1 -------------------------------------------------------------------------------

  fence(epoch: LeaderEpoch): Promise<Result<FenceState>> {
    return this.serial(async () => {
      if (this.closed) return fail(closedError(this.opts.key));
      if (this.opts.isReady && !this.opts.isReady()) return fail(notReady());
      if (this.promised !== undefined && epoch < this.promised) return fail(fenced(this.promised, epoch));
      return this.mutating(async () => {
        if (this.promised !== epoch) {
          // Durable before answering: after a crash the node must still refuse the older epoch.
          await writeDurably(this.opts.io, join(this.opts.dir, PROMISED_EPOCH_FILE), encodePromisedEpoch(epoch));
          this.promised = epoch;
        }
        return this.fenceState(epoch);
      });
    });
  }

  // ---- rule 2 -------------------------------------------------------------------------------

  /** The leader's append. Every batch must carry partitionLeaderEpoch == epoch (the leader stamps it). */
  append(epoch: LeaderEpoch, baseOffset: bigint, bytes: Buffer, options: AppendOptions = {}): Promise<Result<{ logEnd: bigint }>> {
    return new Promise((resolve, reject) => {
      // Group commit: appends that arrive while the partition is busy join one group, checked one
      // by one in arrival order and written with a single write. Any other operation closes the
      // open group first, so nothing sent after a Fence can be accepted under the old epoch.
      let group = this.openGroup;
      if (!group) {
        const created: PendingAppend[] = [];
        group = created;
        this.openGroup = created;
        void this.queue.run(() => this.commitGroup(created));
      }
      group.push({ epoch, baseOffset, bytes, options, resolve, reject, validated: validateAppend(bytes, baseOffset, options.endOffset) });
    });
  }

  /**
   * Checks a group's appends in arrival order and hands each accepted run to the disk without
   * waiting for the write (Segment.startAppend): the next group is checked and started while this
   * one is still being written, so the disk never idles between groups. Each run is acknowledged
   * when its bytes and all earlier bytes are written (rule 4), in order. Operations other than
   * appends drain the writes in flight first (see serial), so a Fence, a read or a truncation
   * never sees a half-written log.
   */
  private async commitGroup(group: PendingAppend[]): Promise<void> {
    if (this.openGroup === group) this.openGroup = undefined;
    // A failed write cut the log back: check this group against the real end.
    await this.segments.drainIfFailed();
    const run = new AppendRun(this.segments.appendEnd);
    let stop: ReplicaError | Error | undefined;
    const writeRun = async (): Promise<void> => {
      if (run.items.length === 0) return;
      const items = run.take();
      const toStop = (err: unknown): ReplicaError | Error =>
        isNoSpace(err) ? diskFull(`appending ${items.length} bytes to ${this.opts.key}: ${(err as Error).message}`) : (err as Error);
      let started: { done: Promise<void> };
      try {
        started = await this.segments.startAppend(items.parts, items.batches);
      } catch (err) {
        stop = toStop(err);
        for (const item of items.items) settleFailure(item, stop);
        return;
      }
      const durable = items.forceFlush || this.opts.config.flush.kind === 'every-append';
      const acked = started.done
        .then(() => (durable ? this.segments.flush() : undefined))
        .then(
          () => {
            for (const item of items.items) item.resolve(ok({ logEnd: item.end }));
          },
          (err: unknown) => {
            const failure = toStop(err);
            for (const item of items.items) settleFailure(item, failure);
            return failure;
          },
        );
      // An fsync before the ack covers everything written so far: nothing else is started meanwhile.
      if (durable) {
        const failure = await acked;
        if (failure) stop = failure;
      }
    };
    for (const item of group) {
      if (stop) {
        settleFailure(item, stop);
        continue;
      }
      const problem = this.checkLeaderAppend(item, run.end);
      if (problem) {
        item.resolve(fail(problem));
        continue;
      }
      if (item.options.committedOffset !== undefined) this.noteCommitted(item.options.committedOffset);
      const history = this.history.withAssigned(item.epoch, item.baseOffset);
      const tooBig = run.bytes + item.bytes.length > Math.min(this.opts.config.segmentBytes, MAX_RUN_BYTES);
      if (history !== this.history || tooBig) await writeRun();
      if (stop) {
        settleFailure(item, stop);
        continue;
      }
      if (history !== this.history) {
        try {
          // The epoch entry goes first, once every earlier write has landed: a crash after it but
          // before the data leaves an entry at logEnd, which is exactly an epoch-start mark and still true.
          const failure = await this.segments.drain();
          if (failure !== undefined) throw failure;
          await this.saveHistory(history);
        } catch (err) {
          stop = isNoSpace(err) ? diskFull(`recording epoch ${item.epoch} for ${this.opts.key}: ${(err as Error).message}`) : (err as Error);
          settleFailure(item, stop);
          continue;
        }
      }
      run.add(item);
    }
    await writeRun();
  }

  /** Rule 2 for one leader append against the log end it will have when its group is written. */
  private checkLeaderAppend(item: PendingAppend, logEnd: bigint): ReplicaError | undefined {
    const gate = this.gate(item.epoch);
    if (gate) return gate;
    if (item.baseOffset !== logEnd) return { code: 'OUT_OF_ORDER', logEnd, message: `offset ${item.baseOffset} is not the log end ${logEnd} of ${this.opts.key}` };
    const batches = item.validated;
    if (!Array.isArray(batches)) return batches;
    const wrongEpoch = batches.find((b) => b.header.partitionLeaderEpoch !== item.epoch);
    if (wrongEpoch) {
      return { code: 'INVALID_BATCH', message: `batch at offset ${wrongEpoch.header.baseOffset} carries partitionLeaderEpoch ${wrongEpoch.header.partitionLeaderEpoch}, expected ${item.epoch}` };
    }
    item.batches = batches;
    item.end = (batches[batches.length - 1] as ScannedBatch).header.lastOffset + 1n;
    return undefined;
  }

  /**
   * Repair: batches copied from a peer replica under the current epoch (rule 3). They keep the
   * epochs they were written with, so the epoch history follows their partitionLeaderEpoch, as a
   * Kafka follower rebuilds its leader epoch cache from fetched batches.
   */
  appendReplicated(epoch: LeaderEpoch, bytes: Buffer): Promise<Result<{ logEnd: bigint }>> {
    return this.serial(async () => {
      const gate = this.gate(epoch);
      if (gate) return fail(gate);
      await this.alignEmptyLogTo(bytes);
      const batches = validateAppend(bytes, this.segments.logEnd);
      if (!Array.isArray(batches)) return fail(batches);
      let history = this.history;
      for (const b of batches) {
        const e = b.header.partitionLeaderEpoch;
        const latest = history.latest?.epoch ?? -1;
        if (e < 0 || e < latest || e > epoch) {
          return fail({ code: 'INVALID_BATCH', message: `copied batch at offset ${b.header.baseOffset} has partitionLeaderEpoch ${e}, outside [${latest}, ${epoch}]` });
        }
        history = history.withAssigned(e as LeaderEpoch, b.header.baseOffset);
      }
      return this.write(bytes, batches, history, false);
    });
  }

  private async write(bytes: Buffer, batches: ScannedBatch[], history: EpochHistory, forceFlush: boolean): Promise<Result<{ logEnd: bigint }>> {
    try {
      // The epoch entry goes first: a crash after it but before the data leaves an entry at logEnd,
      // which is exactly an epoch-start mark and still true.
      if (history !== this.history) await this.saveHistory(history);
      await this.segments.append([bytes], batches);
      if (forceFlush || this.opts.config.flush.kind === 'every-append') await this.segments.flush();
    } catch (err) {
      if (isNoSpace(err)) return fail(diskFull(`appending ${bytes.length} bytes to ${this.opts.key}: ${(err as Error).message}`));
      throw err;
    }
    return ok({ logEnd: this.segments.logEnd });
  }

  // ---- rule 3 -------------------------------------------------------------------------------

  /** Truncate a divergent uncommitted tail to `offset` (rounded down to its batch start, as Kafka). */
  truncate(epoch: LeaderEpoch, offset: bigint): Promise<Result<{ logEnd: bigint }>> {
    return this.serial(async () => {
      const gate = this.gate(epoch);
      if (gate) return fail(gate);
      if (offset < this.logStart || offset > this.segments.logEnd) return fail(outOfRange(offset, this.logStart, this.segments.logEnd));
      if (offset === this.segments.logEnd) return ok({ logEnd: offset });
      const point = await this.segments.truncationPoint(offset);
      if (point === undefined) return fail(this.corrupt(offset, this.opts.dir, 'cannot locate the batch to truncate at'));
      // The batch holding the log start would be cut: nothing of the log is left, so it restarts
      // empty at its log start (a later repair realigns to the copied batch, see alignEmptyLogTo).
      if (point < this.logStart) return this.mutating(() => this.resetDurably(this.logStart, this.logicalStart < this.logStart ? this.logicalStart : undefined).then(() => ({ logEnd: this.segments.logEnd })));
      return this.mutating(async () => {
        await writeIntent(this.opts.io, this.opts.dir, { kind: 'truncate', offset: point });
        await this.applyTruncation(point);
        await clearIntent(this.opts.io, this.opts.dir);
        return { logEnd: this.segments.logEnd };
      });
    });
  }

  private async applyTruncation(offset: bigint): Promise<void> {
    await this.segments.truncateTo(offset);
    const history = this.history.withTruncatedEnd(this.segments.logEnd);
    if (!sameHistory(history, this.history)) await this.saveHistory(history);
  }

  /** Records durably that `epoch` starts at `offset` == logEnd (the new leader's no-op entry, recovery step 4). */
  markEpochStart(epoch: LeaderEpoch, offset: bigint): Promise<Result<{ logEnd: bigint; epochHistory: readonly EpochEntry[] }>> {
    return this.serial(async () => {
      const gate = this.gate(epoch);
      if (gate) return fail(gate);
      if (offset !== this.segments.logEnd) return fail(this.outOfOrder(offset));
      return this.mutating(async () => {
        const history = this.history.withAssigned(epoch, offset);
        if (history !== this.history) await this.saveHistory(history);
        return { logEnd: this.segments.logEnd, epochHistory: this.history.entries };
      });
    });
  }

  /**
   * Drops the whole local log and restarts it empty at `offset`: for a replica whose log ends
   * below a peer's log start, which can then only be repaired from that start (Kafka's
   * truncateFullyAndStartAt). Under the current epoch (rule 3). `options.logStart` is the
   * partition's logical start when it lies below `offset` (the peer's older records are only in
   * tiered storage): it is kept as this replica's durable start, so a reset never raises the start
   * the replicas report and a later recovery never deletes tiered records nobody deleted.
   */
  resetTo(epoch: LeaderEpoch, offset: bigint, options: { readonly logStart?: bigint } = {}): Promise<Result<{ logStart: bigint; logEnd: bigint }>> {
    return this.serial(async () => {
      const gate = this.gate(epoch);
      if (gate) return fail(gate);
      if (offset < 0n) return fail(outOfRange(offset, this.logStart, this.segments.logEnd));
      const logStart = options.logStart !== undefined && options.logStart >= 0n && options.logStart < offset ? options.logStart : undefined;
      return this.mutating(async () => {
        await this.resetDurably(offset, logStart);
        return { logStart: this.logStart, logEnd: this.segments.logEnd };
      });
    });
  }

  private async resetDurably(offset: bigint, logStart: bigint | undefined): Promise<void> {
    await writeIntent(this.opts.io, this.opts.dir, logStart === undefined ? { kind: 'reset', offset } : { kind: 'reset', offset, logStart });
    await this.applyReset(offset, logStart ?? offset);
    await clearIntent(this.opts.io, this.opts.dir);
  }

  /** Empty log at `offset`, logical start `logStart` (<= offset); replayed from the intent after a crash. */
  private async applyReset(offset: bigint, logStart: bigint): Promise<void> {
    await writeLogStart(this.opts.io, this.opts.dir, logStart);
    this.logicalStart = logStart;
    await this.segments.resetTo(offset);
    await this.saveHistory(new EpochHistory());
  }

  /**
   * A repair into an empty log that restarted at a logical start inside a batch: the peer serves
   * the whole batch holding that offset (its base is below it), so the empty log moves down to the
   * batch base. The logical start stays where it was; the bytes below it are never served.
   */
  private async alignEmptyLogTo(bytes: Buffer): Promise<void> {
    const { logStart: local, logEnd } = this.segments;
    if (local !== logEnd || bytes.length === 0) return;
    const first = scanBatches(bytes).batches[0];
    if (!first || first.header.baseOffset >= logEnd || first.header.lastOffset < logEnd) return;
    if (this.logicalStart < logEnd) {
      await writeLogStart(this.opts.io, this.opts.dir, logEnd);
      this.logicalStart = logEnd;
    }
    await this.segments.resetTo(first.header.baseOffset);
  }

  /**
   * DeleteRecords / retention moving the log start (DELETE_SCOPE_LOG_START) under the current
   * leader epoch: from now on nothing below `offset` is served, and whole segments below it are
   * deleted. Persisted before answering. A start at or below the persisted logical start changes
   * nothing (Kafka answers the current low watermark); above the log end is OFFSET_OUT_OF_RANGE.
   * A start below the first local offset (local retention already dropped those segments; their
   * records live only in tiered storage) is persisted too: it is the partition's log start over
   * both tiers, and a replica that forgot it after a restart would let a later leader recover a
   * lower one and serve the deleted records from the object store again.
   */
  advanceLogStart(epoch: LeaderEpoch, offset: bigint): Promise<Result<{ logStart: bigint; deletedSegments: number }>> {
    return this.serial(async () => {
      const gate = this.gate(epoch);
      if (gate) return fail(gate);
      if (offset < 0n || offset > this.segments.logEnd) return fail(outOfRange(offset, this.logStart, this.segments.logEnd));
      if (offset <= this.logicalStart) return ok({ logStart: this.logStart, deletedSegments: 0 });
      return this.mutating(async () => {
        await writeLogStart(this.opts.io, this.opts.dir, offset);
        this.logicalStart = offset;
        const deletedSegments = await this.segments.deleteSegmentsBefore(offset);
        const history = this.history.withTruncatedStart(this.logStart);
        if (!sameHistory(history, this.history)) await this.saveHistory(history);
        return { logStart: this.logStart, deletedSegments };
      });
    });
  }

  // ---- reads and state ----------------------------------------------------------------------

  /** Whole batches from the one containing `offset`; corrupt bytes are reported, never returned. */
  read(offset: bigint, maxBytes: number, options: ReadOptions = {}): Promise<Result<ReadResult>> {
    return this.serial(async () => {
      if (this.closed) return fail(closedError(this.opts.key));
      if (this.opts.isReady && !this.opts.isReady()) return fail(notReady());
      const logStart = this.logStart;
      const logEnd = this.segments.logEnd;
      if (offset < logStart || offset > logEnd) return fail(outOfRange(offset, logStart, logEnd, this.logicalStart));
      if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
      const out = await this.segments.read(offset, maxBytes, options.maxOffset);
      if (!out.ok) return fail(this.corrupt(out.corruptAt, out.file, out.reason));
      return ok({ ...out.value, logStart, logEnd });
    });
  }

  offsetForTimestamp(timestamp: bigint): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    return this.serial(() => this.segments.offsetForTimestamp(timestamp));
  }

  logState(): LogState {
    return {
      key: this.opts.key,
      promisedEpoch: this.promised,
      logStart: this.logStart,
      durableLogStart: this.logicalStart,
      localLogStart: this.segments.logStart,
      logEnd: this.segments.logEnd,
      epochHistory: this.history.entries,
      segmentCount: this.segments.segmentCount,
      sizeBytes: this.segments.sizeBytes,
      committedOffset: this.committed < this.segments.logEnd ? this.committed : this.segments.logEnd,
    };
  }

  segmentsInfo(): ReturnType<SegmentedLog['describeSegments']> {
    return this.segments.describeSegments();
  }

  /** Sealed segments (every segment but the active one), oldest first: what tiered storage uploads. */
  sealedSegments(): ReturnType<SegmentedLog['describeSegments']> {
    return this.segments.describeSegments().slice(0, -1);
  }

  /** Raw bytes of a sealed segment file (for upload); undefined when no such sealed segment exists (any more). */
  readSealedSegment(baseOffset: bigint, position: number, length: number): Promise<Buffer | undefined> {
    return this.serial(() => this.segments.readSealed(baseOffset, position, length));
  }

  /** Records the leader's high watermark (never moves back within one life of the process). */
  noteCommitted(offset: bigint): void {
    if (offset > this.committed) this.committed = offset;
  }

  /** Kafka's OffsetForLeaderEpoch answered from this replica's history. */
  endOffsetForEpoch(epoch: LeaderEpoch): { epoch: LeaderEpoch; endOffset: bigint } | undefined {
    return this.history.endOffsetFor(epoch, this.segments.logEnd);
  }

  // ---- local retention (issue 5 item 6) ------------------------------------------------------

  /**
   * Deletes whole segments below `offset` from the front. Callers pass an offset that is safe:
   * already in tiered storage, or allowed by retentionOffset(). The active segment stays.
   */
  deleteSegmentsBefore(offset: bigint): Promise<{ deletedSegments: number; logStart: bigint }> {
    return this.serial(async () => {
      const deletedSegments = await this.segments.deleteSegmentsBefore(offset);
      if (deletedSegments > 0) {
        const history = this.history.withTruncatedStart(this.logStart);
        if (!sameHistory(history, this.history)) await this.saveHistory(history);
      }
      return { deletedSegments, logStart: this.logStart };
    });
  }

  retentionOffset(options: { now?: number; retentionMs?: number; retentionBytes?: number }): bigint {
    return this.segments.retentionOffset({ ...options, now: options.now ?? this.opts.clock.now() });
  }

  /** Rolls the active segment now (used by time-based rolling checks and tests). */
  roll(): Promise<void> {
    return this.serial(async () => {
      if (this.segments.active.size > 0) await this.segments.roll();
    });
  }

  get dirty(): boolean {
    return this.segments.dirty;
  }

  flush(): Promise<void> {
    return this.serial(() => this.segments.flush());
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.segments.flush().catch(() => undefined);
      await this.segments.close();
    });
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Any operation but an append: runs alone, after the appends before it are written (or failed and cut back). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    this.openGroup = undefined;
    return this.queue.run(async () => {
      await this.segments.drain();
      return task();
    });
  }

  private gate(epoch: LeaderEpoch): ReplicaError | undefined {
    if (this.closed) return closedError(this.opts.key);
    if (this.opts.isReady && !this.opts.isReady()) return notReady();
    if (this.promised === undefined) {
      return { code: 'UNKNOWN_LEADER_EPOCH', promisedEpoch: epoch, message: `partition ${this.opts.key} was never fenced: fence it with epoch ${epoch} first` };
    }
    return checkEpoch(this.promised, epoch);
  }

  private outOfOrder(offset: bigint): ReplicaError {
    const logEnd = this.segments.logEnd;
    return { code: 'OUT_OF_ORDER', logEnd, message: `offset ${offset} is not the log end ${logEnd} of ${this.opts.key}` };
  }

  private corrupt(offset: bigint, file: string, reason: string): ReplicaError {
    const report = { partition: this.opts.key, offset, file, reason };
    this.opts.log.error({ partition: this.opts.key, offset: offset.toString(), file, reason }, 'corrupt batch found: not served');
    this.opts.onCorruption?.(report);
    return { code: 'CORRUPT', offset, file, message: `corrupt data at offset ${offset} in ${file}: ${reason}` };
  }

  private async mutating<T>(task: () => Promise<T>): Promise<Result<T>> {
    try {
      return ok(await task());
    } catch (err) {
      if (isNoSpace(err)) return fail(diskFull(`${this.opts.key}: ${(err as Error).message}`));
      throw err;
    }
  }

  private async saveHistory(history: EpochHistory): Promise<void> {
    await writeDurably(this.opts.io, join(this.opts.dir, EPOCH_HISTORY_FILE), history.encode());
    this.history = history;
  }

  private fenceState(epoch: LeaderEpoch): FenceState {
    return { promisedEpoch: epoch, logStart: this.logStart, logEnd: this.segments.logEnd, epochHistory: this.history.entries };
  }
}

function validateAppend(bytes: Buffer, baseOffset: bigint, endOffset?: bigint): ScannedBatch[] | ReplicaError {
  if (bytes.length === 0) return { code: 'INVALID_BATCH', message: 'append carries no record batch' };
  const scan = scanBatches(bytes, { expectedBaseOffset: baseOffset });
  if (scan.stop.kind === 'torn') return { code: 'INVALID_BATCH', message: `truncated record batch at byte ${scan.stop.position}` };
  if (scan.stop.kind === 'invalid') return { code: 'INVALID_BATCH', message: `invalid record batch at byte ${scan.stop.position}: ${scan.stop.reason}` };
  const end = (scan.batches[scan.batches.length - 1] as ScannedBatch).header.lastOffset + 1n;
  if (endOffset !== undefined && end !== endOffset) return { code: 'INVALID_BATCH', message: `batches end at ${end}, the request says ${endOffset}` };
  return scan.batches;
}

function sameHistory(a: EpochHistory, b: EpochHistory): boolean {
  return a.entries.length === b.entries.length && a.entries.every((e, i) => e.epoch === b.entries[i]?.epoch && e.startOffset === b.entries[i]?.startOffset);
}

function notReady(): ReplicaError {
  return { code: 'NOT_READY', retriable: true, message: 'storage is stalled: this replica is not ready' };
}

function closedError(key: PartitionKey): ReplicaError {
  return { code: 'CLOSED', message: `partition ${key} is closed` };
}
