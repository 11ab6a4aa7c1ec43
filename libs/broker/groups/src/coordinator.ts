// The group coordinator of one offsets-topic partition: a deterministic state machine. Every call
// reads the injected clock once, mutates in-memory state and returns values: the response, the
// records the broker must append to the partition before answering, and any parked JoinGroup /
// SyncGroup answers that became ready. Timers are the broker's job: it calls tick() at
// nextDeadline(). Nothing here does I/O or schedules anything.
import { ErrorCode } from '@stratus/kafka-errors';
import { randomUUID } from 'node:crypto';
import { cleanupGroups, deleteGroups, describeGroups, listGroups, type DescribedGroup, type ListGroupsOptions, type ListedGroup } from './admin';
import { joinError, newClassicGroup } from './classic/classic-group';
import { classicJoin, type JoinGroupRequest } from './classic/join';
import {
  classicHeartbeat,
  classicLeave,
  classicNextDeadline,
  classicSync,
  classicTick,
  type HeartbeatRequest,
  type LeaveGroupResponse,
  type LeaveMember,
  type SyncGroupRequest,
} from './classic/sync-heartbeat-leave';
import { newConsumerGroup, persistGroupDeletion } from './consumer/consumer-group';
import { consumerHeartbeat, heartbeatError, validateHeartbeat, type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse } from './consumer/heartbeat';
import { consumerLeave, consumerNextDeadline, consumerTick, describeConsumerGroup, type DescribedConsumerGroup } from './consumer/leave-tick-describe';
import { offsetCommit, offsetDelete, txnOffsetCommit, validateFetchMember, type OffsetCommitRequest, type OffsetDeleteResponse, type TxnOffsetCommitRequest } from './offset-apis';
import { OffsetStore, completeTransaction, fetchOffsets, type OffsetCommitResponse, type OffsetFetchGroupResult } from './offsets';
import { encodeRecord } from './records/records';
import { applyRecord, finishReplay } from './replay';
import type { Ctx, Group, JoinGroupResponse, ReplyToken, SyncGroupResponse } from './state';
import { defaultGroupConfig, type GroupConfig, type GroupKey, type GroupRecord, type Millis, type TopicCatalog } from './types';

export interface Effects {
  /** Append these to the offsets-topic partition (in order) before sending any response. */
  readonly records: GroupRecord[];
  /** Parked JoinGroup requests that are now answered (possibly including the caller's own). */
  readonly joinReplies: { token: ReplyToken; response: JoinGroupResponse }[];
  readonly syncReplies: { token: ReplyToken; response: SyncGroupResponse }[];
}

export interface Result<R> extends Effects {
  readonly response: R;
}

export interface CoordinatorOptions {
  readonly clock: () => Millis;
  readonly config?: Partial<GroupConfig>;
  /** Member id suffixes; random UUIDs by default, a seeded sequence in tests. */
  readonly newId?: () => string;
}

export class GroupCoordinator {
  private readonly groups = new Map<GroupKey, Group>();
  private readonly offsets = new OffsetStore();
  private readonly config: GroupConfig;
  private readonly clock: () => Millis;
  private readonly newId: () => string;
  private nextCleanup: Millis;

  constructor(opts: CoordinatorOptions) {
    this.config = { ...defaultGroupConfig, ...opts.config };
    this.clock = opts.clock;
    this.newId = opts.newId ?? randomUUID;
    this.nextCleanup = this.clock() + this.config.offsetsRetentionCheckIntervalMs;
  }

  /** A new coordinator (after failover) rebuilt from the partition's records, oldest first. */
  static replay(records: Iterable<GroupRecord>, opts: CoordinatorOptions): GroupCoordinator {
    const c = new GroupCoordinator(opts);
    const now = c.clock();
    for (const r of records) applyRecord(c.state(), r, now);
    finishReplay(c.state(), now, c.config);
    return c;
  }

  private state() {
    return { groups: this.groups, offsets: this.offsets };
  }

  private run<R>(fn: (ctx: Ctx) => R): Result<R> {
    const ctx: Ctx = { now: this.clock(), config: this.config, newId: this.newId, records: [], joinReplies: [], syncReplies: [] };
    const response = fn(ctx);
    return { response, records: ctx.records.map(encodeRecord), joinReplies: ctx.joinReplies, syncReplies: ctx.syncReplies };
  }

  // ---- classic protocol ----

  /** JoinGroup; the answer for `token` is in joinReplies now or in a later call's effects. */
  joinGroup(key: GroupKey, req: JoinGroupRequest, token: ReplyToken): Effects {
    return this.run((ctx) => {
      const fail = (code: ErrorCode): void => void ctx.joinReplies.push({ token, response: joinError(code, req.memberId) });
      if (key.length === 0) return fail(ErrorCode.INVALID_GROUP_ID);
      if (req.sessionTimeoutMs < this.config.minSessionTimeoutMs || req.sessionTimeoutMs > this.config.maxSessionTimeoutMs) {
        return fail(ErrorCode.INVALID_SESSION_TIMEOUT);
      }
      let g = this.groups.get(key);
      if (g?.kind === 'consumer') {
        if (g.members.size > 0) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        // An empty KIP-848 group may be taken over by the classic protocol; its offsets stay.
        persistGroupDeletion(ctx, g);
        g = undefined;
      }
      let created = false;
      if (!g) {
        if (req.memberId !== '') return fail(ErrorCode.UNKNOWN_MEMBER_ID);
        g = newClassicGroup(key);
        this.groups.set(key, g);
        created = true;
      }
      if (g.state === 'Dead') return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      classicJoin(ctx, g, req, token);
      // A join that failed leaves no trace of a group it would have created.
      if (created && g.members.size === 0 && g.pendingMembers.size === 0) this.groups.delete(key);
    });
  }

  syncGroup(key: GroupKey, req: SyncGroupRequest, token: ReplyToken): Effects {
    return this.run((ctx) => {
      const g = this.groups.get(key);
      classicSync(ctx, g?.kind === 'classic' ? g : undefined, req, token);
    });
  }

  heartbeat(key: GroupKey, req: HeartbeatRequest): Result<{ errorCode: ErrorCode }> {
    return this.run((ctx) => {
      const g = this.groups.get(key);
      return { errorCode: classicHeartbeat(ctx, g?.kind === 'classic' ? g : undefined, req) };
    });
  }

  leaveGroup(key: GroupKey, members: readonly LeaveMember[]): Result<LeaveGroupResponse> {
    return this.run((ctx) => {
      const g = this.groups.get(key);
      return classicLeave(ctx, g?.kind === 'classic' ? g : undefined, members);
    });
  }

  // ---- KIP-848 consumer protocol ----

  consumerGroupHeartbeat(key: GroupKey, req: ConsumerGroupHeartbeatRequest, catalog: TopicCatalog): Result<ConsumerGroupHeartbeatResponse> {
    return this.run((ctx) => {
      if (key.length === 0) return heartbeatError(ErrorCode.INVALID_GROUP_ID, 'GroupId can\'t be empty.');
      const invalid = validateHeartbeat(ctx, req);
      if (invalid) return invalid;
      let g = this.groups.get(key);
      if (req.memberEpoch < 0) return consumerLeave(ctx, g?.kind === 'consumer' ? g : undefined, req);
      if (g?.kind === 'classic') {
        if (g.state !== 'Empty' || g.pendingMembers.size > 0) return heartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group is not a consumer group.`);
        ctx.records.push({ type: 'classic-group', group: key, value: null });
        g = undefined;
      }
      if (!g) {
        if (req.memberEpoch !== 0) return heartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, 'The group does not exist.', req.memberId);
        g = newConsumerGroup(key);
        this.groups.set(key, g);
      }
      const response = consumerHeartbeat(ctx, g, req, catalog);
      if (g.members.size === 0 && g.groupEpoch === 0) this.groups.delete(key);
      return response;
    });
  }

  consumerGroupDescribe(keys: readonly GroupKey[]): (DescribedConsumerGroup & { groupKey: GroupKey })[] {
    return this.run((ctx) =>
      keys.map((groupKey) => {
        const g = this.groups.get(groupKey);
        if (!g || g.kind !== 'consumer') {
          return { groupKey, errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: 'Group not found.', groupState: 'Dead', groupEpoch: -1, assignmentEpoch: -1, assignorName: '', members: [] };
        }
        return { groupKey, ...describeConsumerGroup(ctx, g) };
      }),
    ).response;
  }

  // ---- offsets ----

  offsetCommit(key: GroupKey, req: OffsetCommitRequest): Result<OffsetCommitResponse> {
    return this.run((ctx) => offsetCommit(ctx, this.state(), key, req));
  }

  txnOffsetCommit(key: GroupKey, req: TxnOffsetCommitRequest): Result<OffsetCommitResponse> {
    return this.run((ctx) => txnOffsetCommit(ctx, this.state(), key, req));
  }

  /** The transaction coordinator's marker reached this group: publish (commit) or drop (abort). */
  completeTransaction(key: GroupKey, producerId: bigint, opts: { commit: boolean }): Effects {
    return this.run((ctx) => completeTransaction(ctx, this.offsets, key, producerId, opts.commit));
  }

  /** OffsetFetch for one or many groups (v8+ batches groups). `topics` null = everything committed. */
  offsetFetch(
    groups: readonly {
      key: GroupKey;
      topics: readonly { name: string; partitionIndexes: readonly number[] }[] | null;
      member?: { memberId: string; memberEpoch: number };
    }[],
    opts: { requireStable: boolean },
  ): (OffsetFetchGroupResult & { groupKey: GroupKey })[] {
    return groups.map((q) => {
      const err = validateFetchMember(this.groups.get(q.key), q.member);
      if (err !== ErrorCode.NONE) return { groupKey: q.key, errorCode: err, topics: [] };
      return { groupKey: q.key, ...fetchOffsets(this.offsets, q.key, q.topics, opts) };
    });
  }

  offsetDelete(key: GroupKey, topics: readonly { name: string; partitions: readonly number[] }[]): Result<OffsetDeleteResponse> {
    return this.run((ctx) => offsetDelete(ctx, this.state(), key, topics));
  }

  // ---- admin ----

  describeGroups(keys: readonly GroupKey[]): DescribedGroup[] {
    return describeGroups(this.state(), keys);
  }

  listGroups(opts: ListGroupsOptions = {}): ListedGroup[] {
    return listGroups(this.state(), opts);
  }

  deleteGroups(keys: readonly GroupKey[]): Result<{ groupKey: GroupKey; errorCode: ErrorCode }[]> {
    return this.run((ctx) => deleteGroups(ctx, this.state(), keys));
  }

  // ---- time ----

  /** The earliest time tick() has work to do (session, rebalance, KIP-394 and retention timers). */
  nextDeadline(): Millis {
    let next = this.nextCleanup;
    for (const g of this.groups.values()) {
      const t = g.kind === 'classic' ? classicNextDeadline(g) : consumerNextDeadline(g);
      if (t !== undefined && t < next) next = t;
    }
    return next;
  }

  /** Fires every timer due at the clock's now. */
  tick(): Effects {
    return this.run((ctx) => {
      for (const g of [...this.groups.values()]) {
        if (g.kind === 'classic') classicTick(ctx, g);
        else consumerTick(ctx, g);
      }
      if (ctx.now >= this.nextCleanup) {
        cleanupGroups(ctx, this.state());
        this.nextCleanup = ctx.now + this.config.offsetsRetentionCheckIntervalMs;
      }
    });
  }
}
