// The live group coordinator of one offsets-topic partition this broker leads: the deterministic
// GroupCoordinator from @stratus/broker-groups plus what it leaves to its host — the log, timers
// and parked JoinGroup/SyncGroup answers.
//
// Ordering: every call mutates state synchronously, then joins one promise chain that appends the
// call's records (one batch per call) and only then delivers its answers. Answers therefore leave
// in state order and never expose a change the log does not hold. A JoinGroup/SyncGroup that has
// to wait for a rebalance is parked under a token and costs nothing while it waits, so it never
// blocks other requests.
import { ErrorCode } from '@stratus/kafka-errors';
import { type GroupCoordinator, type Effects, type JoinGroupResponse, type ReplyToken, type SyncGroupResponse } from '@stratus/broker-groups';
import type { OffsetsLog, OffsetsLogError } from './offsets-log';
import { batchOf } from './records-io';
import { notServed, served, writeErrorToClient, type Served } from './served';
import type { CoordinatorTimers } from './timers';

type Parked = (answer: Served<JoinGroupResponse | SyncGroupResponse>) => void;

export interface PartitionCoordinatorOptions {
  readonly partition: number;
  readonly log: OffsetsLog;
  readonly coordinator: GroupCoordinator;
  readonly clock: () => number;
  readonly timers: CoordinatorTimers;
  /** Told once when an append fails: the in-memory state may be ahead of the log and must go. */
  readonly onWriteFailure: (error: OffsetsLogError) => void;
}

export class PartitionCoordinator {
  readonly partition: number;
  private readonly log: OffsetsLog;
  private readonly core: GroupCoordinator;
  private readonly clock: () => number;
  private readonly timers: CoordinatorTimers;
  private readonly onWriteFailure: (error: OffsetsLogError) => void;
  private chain: Promise<void> = Promise.resolve();
  private readonly parked = new Map<ReplyToken, Parked>();
  private nextToken = 1;
  private cancelTimer: (() => void) | undefined;
  /** Set once the coordinator stops (resigned or a failed write); every answer is then this error. */
  private closedWith: ErrorCode | undefined;

  constructor(opts: PartitionCoordinatorOptions) {
    this.partition = opts.partition;
    this.log = opts.log;
    this.core = opts.coordinator;
    this.clock = opts.clock;
    this.timers = opts.timers;
    this.onWriteFailure = opts.onWriteFailure;
    this.reschedule();
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** A call whose answer is its response (Heartbeat, LeaveGroup, OffsetCommit ...). */
  run<R>(call: (core: GroupCoordinator) => Effects & { readonly response: R }): Promise<Served<R>> {
    if (this.closedWith !== undefined) return Promise.resolve(notServed(this.closedWith));
    const effects = call(this.core);
    return this.commit(effects, () => effects.response);
  }

  /** A read: answered after every earlier change is in the log, so it never shows an unwritten one. */
  read<R>(query: (core: GroupCoordinator) => R): Promise<Served<R>> {
    if (this.closedWith !== undefined) return Promise.resolve(notServed(this.closedWith));
    const value = query(this.core);
    return this.commit(undefined, () => value);
  }

  /** JoinGroup: answered when the join phase completes (possibly by another member's call or a timer). */
  joinGroup(call: (core: GroupCoordinator, token: ReplyToken) => Effects): Promise<Served<JoinGroupResponse>> {
    return this.parkedCall(call) as Promise<Served<JoinGroupResponse>>;
  }

  /** SyncGroup: answered when the leader's assignment arrives (or the group moves on). */
  syncGroup(call: (core: GroupCoordinator, token: ReplyToken) => Effects): Promise<Served<SyncGroupResponse>> {
    return this.parkedCall(call) as Promise<Served<SyncGroupResponse>>;
  }

  /** Stops serving: parked requests and everything queued answer `errorCode` (NOT_COORDINATOR on resignation). */
  close(errorCode: ErrorCode = ErrorCode.NOT_COORDINATOR): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = errorCode;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const waiting = [...this.parked.values()];
    this.parked.clear();
    for (const answer of waiting) answer(notServed(errorCode));
  }

  private parkedCall(call: (core: GroupCoordinator, token: ReplyToken) => Effects): Promise<Served<JoinGroupResponse | SyncGroupResponse>> {
    if (this.closedWith !== undefined) return Promise.resolve(notServed(this.closedWith));
    const token = this.nextToken++;
    const answered = new Promise<Served<JoinGroupResponse | SyncGroupResponse>>((resolve) => this.parked.set(token, resolve));
    const effects = call(this.core, token);
    void this.commit(effects, () => undefined);
    return answered;
  }

  /** Appends the effects' records (if any) after everything queued, then delivers parked answers and `value`. */
  private commit<R>(effects: Effects | undefined, value: () => R): Promise<Served<R>> {
    const records = effects?.records ?? [];
    const now = this.clock();
    const done = this.chain.then(async (): Promise<Served<R>> => {
      if (this.closedWith !== undefined) return notServed(this.closedWith);
      if (records.length > 0) {
        const appended = await this.log.append(batchOf(records, now));
        if (!appended.ok) {
          this.close(writeErrorToClient(appended.error.code));
          this.onWriteFailure(appended.error);
          return notServed(this.closedWith ?? ErrorCode.NOT_COORDINATOR);
        }
        if (this.closedWith !== undefined) return notServed(this.closedWith);
      }
      if (effects) this.deliver(effects);
      return served(value());
    });
    this.chain = done.then(() => undefined);
    this.reschedule();
    return done;
  }

  private deliver(effects: Effects): void {
    for (const r of effects.joinReplies) this.answer(r.token, r.response);
    for (const r of effects.syncReplies) this.answer(r.token, r.response);
  }

  private answer(token: ReplyToken, response: JoinGroupResponse | SyncGroupResponse): void {
    const waiting = this.parked.get(token);
    if (!waiting) return;
    this.parked.delete(token);
    waiting(served(response));
  }

  /** Arms one timer at the core's next deadline (session, rebalance, KIP-394 and retention timers). */
  private reschedule(): void {
    if (this.closedWith !== undefined) return;
    this.cancelTimer?.();
    const delay = Math.max(0, this.core.nextDeadline() - this.clock());
    this.cancelTimer = this.timers.set(() => this.fire(), delay);
  }

  private fire(): void {
    this.cancelTimer = undefined;
    if (this.closedWith !== undefined) return;
    void this.commit(this.core.tick(), () => undefined);
  }
}
