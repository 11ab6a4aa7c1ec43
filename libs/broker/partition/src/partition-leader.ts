// The serving side of one partition on its leader broker (design/replication-protocol.md,
// "Writes while serving" and "Reads"): validates and sequences produce traffic, assigns offsets
// in place, replicates to every in-sync replica in offset order with group commit, advances the
// high watermark on a write quorum, answers per acks, and serves reads capped at the HW.
import { ErrorCode } from '@stratus/kafka-errors';
import { assignOffsets, peekBatchHeader, splitBatches } from '@stratus/kafka-records';
import { AppendWindow, type WindowTicket } from './append-window';
import type { Frame } from './batch-frames';
import { confirmEpoch } from './confirm-epoch';
import { Followers, type Follower } from './followers';
import { deleteRecordsTarget, moveLogStart } from './log-start';
import {
  realScheduler,
  type Acks,
  type FetchRequest,
  type FetchSuccess,
  type LeaderSnapshot,
  type LeaderStartError,
  type PartitionError,
  type PartitionLeaderOptions,
  type ProduceRequest,
  type ProduceSuccess,
  type StopReason,
} from './leader-types';
import { validateProduceRecords } from './produce-validation';
import { ProducerStateTable, type ProducerSummary } from './producer-state';
import { recoverLeadership, type RecoveredLeadership } from './recovery';
import { ReplicaSync } from './replica-sync';
import type { AppendRequest, ReplicaResult } from './replica-port';
import { TailCache } from './tail-cache';
import { failure, maxBigint, success, type Epoch, type EpochStart, type Outcome } from './types';

const DEFAULT_TAIL_CACHE_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_APPEND_BYTES = 1024 * 1024;
const DEFAULT_MAX_IN_FLIGHT_APPENDS = 2;
const DEFAULT_PRODUCER_SCAN = 1_000_000n;

interface Waiter {
  readonly end: bigint;
  readonly acks: 1 | -1;
  readonly value: ProduceSuccess;
  readonly resolve: (outcome: Outcome<ProduceSuccess, PartitionError>) => void;
}

export class PartitionLeader {
  readonly epoch: Epoch;
  private serving = true;
  private hw: bigint;
  /** Next offset to assign: the leader's log end. */
  private nextOffset: bigint;
  /** End of everything handed to the replicas so far. */
  private flushedEnd: bigint;
  /** The durable start over both tiers, moved up by DeleteRecords; reads below it answer OFFSET_OUT_OF_RANGE. */
  private durableStart: bigint;
  /** First offset the hot tier served at recovery (LeaderSnapshot.localLogStart before clamping). */
  private readonly firstHotOffset: bigint;
  private readonly history: readonly EpochStart[];
  private readonly followers: Followers;
  private readonly producers = new ProducerStateTable();
  private readonly cache: TailCache;
  private outgoing: Frame[] = [];
  private flushScheduled = false;
  private waiters: Waiter[] = [];
  private readonly window: AppendWindow;
  private readonly sync: ReplicaSync;

  private constructor(
    private readonly options: PartitionLeaderOptions,
    recovered: RecoveredLeadership,
  ) {
    this.epoch = options.epoch;
    this.hw = recovered.logEnd;
    this.nextOffset = recovered.logEnd;
    this.flushedEnd = recovered.logEnd;
    this.durableStart = recovered.logStart;
    this.firstHotOffset = recovered.localLogStart;
    this.history = recovered.epochHistory;
    this.cache = new TailCache(options.tailCacheBytes ?? DEFAULT_TAIL_CACHE_BYTES);
    this.window = new AppendWindow(options.maxInFlightAppends ?? DEFAULT_MAX_IN_FLIGHT_APPENDS);
    this.followers = new Followers(options.replicas);
    for (const r of recovered.replicas) {
      const f = this.followers.byId(r.id);
      if (f && r.inSync) {
        f.status = 'in-sync';
        f.ackedEnd = r.logEnd;
      }
    }
    this.sync = new ReplicaSync({
      epoch: this.epoch,
      followers: this.followers,
      scheduler: options.scheduler ?? realScheduler,
      retryBackoffMs: options.retryBackoffMs ?? 100,
      leader: {
        serving: () => this.serving,
        truth: () => ({ epochHistory: this.history, logEnd: this.nextOffset }),
        flushedEnd: () => this.flushedEnd,
        cached: (from, to) => this.cache.range(from, to),
        join: (f, frames) => this.join(f, frames),
        fenced: (promisedEpoch) => this.stop({ kind: 'fenced', promisedEpoch }),
      },
    });
  }

  /**
   * Recovery steps 1–5: fence, settle and mark the log on a quorum, rebuild producer state from
   * the tail, then serve. Replicas left out are brought back in sync in the background.
   * Call once per epoch: after a failure, ask the controller for a new epoch (see recoverLeadership).
   */
  static async start(options: PartitionLeaderOptions): Promise<Outcome<PartitionLeader, LeaderStartError>> {
    if (!Number.isInteger(options.maxMessageBytes) || options.maxMessageBytes < 1) {
      return failure({ code: 'INVALID_CONFIG', message: `max.message.bytes must be a positive integer, got ${options.maxMessageBytes}` });
    }
    const recovered = await recoverLeadership({ epoch: options.epoch, replicas: options.replicas, writeQuorum: options.minInsyncReplicas });
    if (!recovered.ok) return recovered;
    const leader = new PartitionLeader(options, recovered.value);
    const rebuilt = await leader.rebuildProducerState();
    if (!rebuilt.ok) return rebuilt;
    for (const f of leader.followers.all) if (f.status === 'lagging') leader.sync.catchUp(f);
    leader.spreadLogStart();
    return success(leader);
  }

  /**
   * Recovery took the highest durable log start over its quorum; replicas that missed an earlier
   * DeleteRecords get it now (best effort, in the background), so the deletion keeps holding a
   * write quorum through later failovers. It is the logical start, never a first local offset
   * (recovery.ts), so records that live only in tiered storage are not deleted by this.
   */
  private spreadLogStart(): void {
    if (this.durableStart <= 0n) return;
    void moveLogStart({ replicas: this.options.replicas, epoch: this.epoch, offset: this.durableStart, writeQuorum: 1 }).then((moved) => {
      if (moved.kind === 'fenced') this.stop({ kind: 'fenced', promisedEpoch: moved.promisedEpoch });
    });
  }

  // ---- delete records (KIP-107) -----------------------------------------------------------------

  /**
   * Moves the log start to `offset` (-1 = the high watermark) on a write quorum, then answers the
   * new low watermark. Offsets above the HW are OFFSET_OUT_OF_RANGE; at or below the current
   * start nothing changes (Kafka answers the current low watermark).
   */
  async deleteRecords(offset: bigint): Promise<Outcome<{ readonly lowWatermark: bigint }, PartitionError>> {
    if (!this.serving) return notLeader(this.epoch);
    const target = deleteRecordsTarget(offset, this.hw);
    if (!target.ok) return target;
    if (target.value <= this.durableStart) return success({ lowWatermark: this.durableStart });
    const moved = await moveLogStart({ replicas: this.options.replicas, epoch: this.epoch, offset: target.value, writeQuorum: this.options.minInsyncReplicas });
    if (moved.kind === 'fenced') {
      this.stop({ kind: 'fenced', promisedEpoch: moved.promisedEpoch });
      return notLeader(this.epoch);
    }
    if (!this.serving) return notLeader(this.epoch);
    if (moved.kind === 'refused') return failure(moved.error);
    this.durableStart = maxBigint(this.durableStart, moved.logStart);
    return success({ lowWatermark: this.durableStart });
  }

  snapshot(): LeaderSnapshot {
    return {
      epoch: this.epoch,
      serving: this.serving,
      highWatermark: this.hw,
      logEnd: this.nextOffset,
      logStart: this.durableStart,
      localLogStart: this.localLogStart,
      inSync: this.followers.inSync().map((f) => f.port.id),
    };
  }

  /**
   * LeaderSnapshot.logStart without building a snapshot: a produce answer with tiered storage
   * needs the two starts of every partition it touches, and nothing else of the snapshot.
   */
  get logStart(): bigint {
    return this.durableStart;
  }

  /** LeaderSnapshot.localLogStart, likewise: never below the durable start (DeleteRecords may pass it). */
  get localLogStart(): bigint {
    return maxBigint(this.firstHotOffset, this.durableStart);
  }

  /** The partition's active producers (DescribeProducers, KIP-664); NOT_LEADER once stopped. */
  describeProducers(): Outcome<ProducerSummary[], PartitionError> {
    return this.serving ? success(this.producers.describe()) : notLeader(this.epoch);
  }

  get isServing(): boolean {
    return this.serving;
  }

  /** Lease lost, shutdown or reassignment: stop at once; callers get NOT_LEADER_OR_FOLLOWER. */
  resign(): void {
    this.stop({ kind: 'resigned' });
  }

  // ---- produce --------------------------------------------------------------------------------

  produce(request: ProduceRequest): Promise<Outcome<ProduceSuccess, PartitionError>> {
    if (!this.serving) return Promise.resolve(notLeader(this.epoch));
    // The type says 0 | 1 | -1, but the value comes off the wire.
    if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
      return Promise.resolve(failure({ code: ErrorCode.INVALID_REQUIRED_ACKS, message: `acks must be 0, 1 or -1, got ${String(request.acks)}` }));
    }
    const now = this.options.clock?.() ?? BigInt(Date.now());
    const timestamps = this.options.timestamps ?? { type: 'CreateTime' };
    const headers = validateProduceRecords(request.records, { maxMessageBytes: this.options.maxMessageBytes, timestamps, nowMs: now });
    if (!Array.isArray(headers)) return Promise.resolve(failure(headers));
    const needed = request.acks === -1 ? this.options.minInsyncReplicas : 1;
    if (this.followers.inSyncCount < needed) {
      return Promise.resolve(failure({ code: ErrorCode.NOT_ENOUGH_REPLICAS, message: `${this.followers.inSyncCount} replicas in sync, ${needed} required` }));
    }

    const logAppendTime = timestamps.type === 'LogAppendTime' ? now : undefined;
    // Idempotence (KIP-98): decide for every batch before anything is appended.
    const staged = this.producers.stage();
    let at = this.nextOffset;
    for (const header of headers) {
      const decision = this.producers.check(header, staged);
      if (decision.kind === 'reject') return this.refuseSequence({ code: decision.code, message: decision.message });
      if (decision.kind === 'duplicate') return this.answerDuplicate(decision.baseOffset, decision.lastOffset, request.acks);
      const lastOffset = at + BigInt(header.lastOffsetDelta);
      staged.record(header, { baseOffset: at, lastOffset, ...(logAppendTime !== undefined ? { logAppendTimeMs: logAppendTime } : {}) });
      at = lastOffset + 1n;
    }

    const baseOffset = this.nextOffset;
    for (const header of headers) {
      const assigned = assignOffsets(header.buf, { baseOffset: this.nextOffset, partitionLeaderEpoch: this.epoch, logAppendTime });
      const frame: Frame = { baseOffset: assigned.baseOffset, endOffset: assigned.lastOffset + 1n, partitionLeaderEpoch: this.epoch, bytes: header.buf };
      this.nextOffset = frame.endOffset;
      this.cache.push(frame);
      this.outgoing.push(frame);
    }
    this.producers.commit(staged);
    this.scheduleFlush();

    const value: ProduceSuccess = { baseOffset, logAppendTimeMs: logAppendTime ?? -1n, logStartOffset: this.durableStart };
    if (request.acks === 0) return Promise.resolve(success(value));
    return this.await(this.nextOffset, request.acks, value);
  }

  /**
   * OUT_OF_ORDER_SEQUENCE_NUMBER and INVALID_PRODUCER_EPOCH are not retriable for a client, so
   * they are only given by a leader that knows its producer state is current. A deposed leader
   * that has not heard of its successor yet would judge against a stale state (the simulation
   * found exactly that). So first confirm the epoch with a majority: Fence with our own epoch is
   * a no-op on a replica that still promises it, and a successor can only serve after fencing a
   * majority, which must then include one replica that answers FENCED here.
   */
  private async refuseSequence(error: PartitionError): Promise<Outcome<ProduceSuccess, PartitionError>> {
    const check = await confirmEpoch(this.options.replicas, this.epoch);
    if (check.kind === 'fenced') this.stop({ kind: 'fenced', promisedEpoch: check.promisedEpoch });
    return check.kind === 'confirmed' && this.serving ? failure(error) : notLeader(this.epoch);
  }

  /** A retried batch: answer with its original offsets once it is as durable as `acks` asks. */
  private answerDuplicate(baseOffset: bigint, lastOffset: bigint, acks: Acks): Promise<Outcome<ProduceSuccess, PartitionError>> {
    const value: ProduceSuccess = { baseOffset, logAppendTimeMs: -1n, logStartOffset: this.durableStart };
    if (acks === 0) return Promise.resolve(success(value));
    return this.await(lastOffset + 1n, acks, value);
  }

  private await(end: bigint, acks: 1 | -1, value: ProduceSuccess): Promise<Outcome<ProduceSuccess, PartitionError>> {
    if (this.satisfied(end, acks)) return Promise.resolve(success(value));
    return new Promise((resolve) => this.waiters.push({ end, acks, value, resolve }));
  }

  private satisfied(end: bigint, acks: 1 | -1): boolean {
    return acks === -1 ? this.hw >= end : this.followers.maxEnd() >= end;
  }

  // ---- replication ----------------------------------------------------------------------------

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    (this.options.scheduler ?? realScheduler).defer(() => this.flush());
  }

  /**
   * Group commit: everything appended since the last flush goes out as few, ordered Appends —
   * as many as the window has room for; the rest waits for an answer (append-window.ts).
   */
  private flush(): void {
    this.flushScheduled = false;
    const limit = this.options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    while (this.serving && this.outgoing.length > 0 && !this.window.full) {
      let bytes = 0;
      let n = 0;
      while (n < this.outgoing.length && (n === 0 || bytes + (this.outgoing[n] as Frame).bytes.length <= limit)) {
        bytes += (this.outgoing[n] as Frame).bytes.length;
        n++;
      }
      const frames = this.outgoing.slice(0, n);
      this.outgoing = this.outgoing.slice(n);
      const request = this.appendRequest(frames);
      this.flushedEnd = request.endOffset;
      const targets = this.followers.inSync();
      const ticket = this.window.opened(request.endOffset, targets.length);
      for (const f of targets) this.send(f, request, ticket);
    }
  }

  private appendRequest(frames: readonly Frame[]): AppendRequest {
    const first = frames[0] as Frame;
    const last = frames[frames.length - 1] as Frame;
    const records = frames.length === 1 ? first.bytes : Buffer.concat(frames.map((f) => f.bytes));
    return { epoch: this.epoch, baseOffset: first.baseOffset, endOffset: last.endOffset, records, committedOffset: this.hw };
  }

  private send(f: Follower, request: AppendRequest, ticket?: WindowTicket): void {
    const session = f.session;
    f.port.append(request).then(
      (result) => this.onAppended(f, session, result, ticket),
      (err: unknown) => this.onAppended(f, session, failure({ code: 'UNAVAILABLE', message: String(err) }), ticket),
    );
  }

  private onAppended(f: Follower, session: number, result: ReplicaResult<{ readonly logEnd: bigint }>, ticket: WindowTicket | undefined): void {
    if (!this.serving) return;
    if (ticket) this.window.settled(ticket);
    // Whatever this answer was, the window may have room again for produces held back meanwhile.
    if (this.outgoing.length > 0 && !this.window.full) this.scheduleFlush();
    if (result.ok) {
      this.followers.acknowledge(f, result.value.logEnd);
      this.advance();
      return;
    }
    if (result.error.code === 'FENCED') {
      this.stop({ kind: 'fenced', promisedEpoch: result.error.promisedEpoch });
      return;
    }
    // Lost, refused or out of order: the replica leaves the in-sync set and is repaired from a peer.
    if (f.status === 'in-sync' && f.session === session) {
      f.status = 'lagging';
      this.failUnreachableWaiters();
      this.sync.catchUp(f);
    }
  }

  /** A lagging replica is back in step at `frames[0]` (or the flushed end): it gets every append from now on. */
  private join(f: Follower, frames: readonly Frame[]): void {
    f.status = 'in-sync';
    f.session++;
    if (frames.length > 0) this.send(f, this.appendRequest(frames));
    this.advance();
  }

  private advance(): void {
    const quorumEnd = this.followers.quorumEnd(this.options.minInsyncReplicas);
    if (quorumEnd > this.hw) this.hw = quorumEnd;
    this.window.committed(this.hw);
    if (this.waiters.length === 0) return;
    const maxEnd = this.followers.maxEnd();
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if ((w.acks === -1 ? this.hw : maxEnd) >= w.end) w.resolve(success(w.value));
      else still.push(w);
    }
    this.waiters = still;
  }

  /**
   * With fewer replicas in sync than a waiting produce needs, nothing guarantees it will ever
   * complete: answer NOT_ENOUGH_REPLICAS_AFTER_APPEND (retriable; an idempotent retry is then
   * recognised as a duplicate if the batch did commit after all).
   */
  private failUnreachableWaiters(): void {
    const inSync = this.followers.inSyncCount;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      const needed = w.acks === -1 ? this.options.minInsyncReplicas : 1;
      if (inSync < needed) w.resolve(failure({ code: ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND, message: `${inSync} replicas in sync, ${needed} required` }));
      else still.push(w);
    }
    this.waiters = still;
  }

  private stop(reason: StopReason): void {
    if (!this.serving) return;
    this.serving = false;
    const waiters = this.waiters;
    this.waiters = [];
    this.outgoing = [];
    this.window.clear();
    this.cache.clear();
    for (const w of waiters) w.resolve(notLeader(this.epoch));
    this.options.onStop?.(reason);
  }

  // ---- fetch ----------------------------------------------------------------------------------

  async fetch(request: FetchRequest): Promise<Outcome<FetchSuccess, PartitionError>> {
    if (!this.serving) return notLeader(this.epoch);
    const e = request.currentLeaderEpoch;
    if (e !== undefined && e >= 0 && e < this.epoch) return failure({ code: ErrorCode.FENCED_LEADER_EPOCH, message: `epoch ${e} is older than ${this.epoch}` });
    if (e !== undefined && e > this.epoch) return failure({ code: ErrorCode.UNKNOWN_LEADER_EPOCH, message: `epoch ${e} is newer than ${this.epoch}` });
    const { offset } = request;
    if (offset < this.durableStart || offset > this.nextOffset) {
      return failure({ code: ErrorCode.OFFSET_OUT_OF_RANGE, message: `offset ${offset} is outside [${this.durableStart}, ${this.nextOffset}]` });
    }
    const hw = this.hw;
    const empty = { records: Buffer.alloc(0), highWatermark: hw, logStartOffset: this.durableStart, nextOffset: offset };
    if (offset >= hw) return success(empty);
    const cached = this.cache.read(offset, request.maxBytes, hw, this.durableStart, this.nextOffset);
    if (cached && !('code' in cached) && cached.nextOffset > offset) {
      return success({ records: cached.records, highWatermark: hw, logStartOffset: this.durableStart, nextOffset: cached.nextOffset });
    }
    // Below the cache: read from a replica that holds our log past `offset`, never beyond the HW;
    // the client's AZ first (KIP-392), so the bytes cross no AZ boundary when they need not.
    const holders = this.followers.holding(offset);
    const prefer = request.preferReplica;
    const ordered = prefer ? [...holders.filter((f) => prefer(f.port.id)), ...holders.filter((f) => !prefer(f.port.id))] : holders;
    for (const f of ordered) {
      const read = await f.port.read({ offset, maxBytes: request.maxBytes, maxOffset: f.ackedEnd < hw ? f.ackedEnd : hw });
      if (!this.serving) return notLeader(this.epoch);
      if (read.ok && read.value.nextOffset > offset) {
        request.onReplicaRead?.(f.port.id);
        return success({ records: read.value.records, highWatermark: hw, logStartOffset: this.durableStart, nextOffset: read.value.nextOffset });
      }
    }
    return failure({ code: ErrorCode.KAFKA_STORAGE_ERROR, message: `no replica could serve offset ${offset}` });
  }

  // ---- recovery step 5 ------------------------------------------------------------------------

  /** Replays producer ids and sequences from the tail of the log (the last batches of each producer). */
  private async rebuildProducerState(): Promise<Outcome<true, LeaderStartError>> {
    const scan = this.options.producerStateScanOffsets ?? DEFAULT_PRODUCER_SCAN;
    // The hot tier only: below its first offset the records live in tiered storage (if anywhere).
    const from = maxBigint(this.localLogStart, this.hw - scan);
    if (from >= this.hw) return success(true);
    for (const f of this.followers.inSync()) {
      const table = new ProducerStateTable();
      let at = from;
      let failed = false;
      while (at < this.hw) {
        const read = await f.port.read({ offset: at, maxBytes: DEFAULT_MAX_APPEND_BYTES, maxOffset: this.hw });
        if (!read.ok || read.value.nextOffset <= at) {
          failed = true;
          break;
        }
        const split = splitBatches(read.value.records);
        if (!split.ok) return failure({ code: 'UNAVAILABLE', message: split.error.message });
        for (const batch of split.value.batches) {
          const header = peekBatchHeader(batch);
          if (header.ok) table.replay(header.value, header.value.baseOffset, header.value.lastOffset);
        }
        at = read.value.nextOffset;
      }
      if (!failed) {
        this.producers.adopt(table);
        return success(true);
      }
    }
    return failure({ code: 'UNAVAILABLE', message: 'no in-sync replica could be read to rebuild producer state' });
  }
}

function notLeader(epoch: Epoch): { readonly ok: false; readonly error: PartitionError } {
  return failure({ code: ErrorCode.NOT_LEADER_OR_FOLLOWER, message: `this broker no longer leads the partition (epoch ${epoch})` });
}
