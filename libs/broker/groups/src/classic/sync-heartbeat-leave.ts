// SyncGroup, Heartbeat, LeaveGroup and timer expiry for classic groups.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ClassicGroup, ClassicMember, Ctx, ReplyToken, SyncGroupResponse } from '../state';
import type { Millis } from '../types';
import { UNKNOWN_MEMBER_ID, persistClassic } from './classic-group';
import { validateMember } from './join';
import { completeJoin, onJoinDeadline, prepareRebalance, removeMemberAndRebalance, removeMemberOnly, scheduleSession } from './rebalance';

const EMPTY = new Uint8Array(0);

export interface SyncGroupRequest {
  readonly memberId: string;
  readonly generationId: number;
  readonly groupInstanceId: string | null;
  /** v5+: checked against the group when present. */
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  /** Only the leader sends assignments. */
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Uint8Array }[];
}

const syncError = (errorCode: ErrorCode): SyncGroupResponse => ({ errorCode, protocolType: null, protocolName: null, assignment: EMPTY });

export function classicSync(ctx: Ctx, g: ClassicGroup | undefined, req: SyncGroupRequest, token: ReplyToken): void {
  const answer = (r: SyncGroupResponse): void => void ctx.syncReplies.push({ token, response: r });
  if (!g || g.state === 'Dead') return answer(syncError(g ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.UNKNOWN_MEMBER_ID));
  const err = validateMember(g, req.memberId, req.groupInstanceId);
  if (err !== ErrorCode.NONE) return answer(syncError(err));
  if (req.generationId !== g.generation) return answer(syncError(ErrorCode.ILLEGAL_GENERATION));
  if ((req.protocolType !== null && req.protocolType !== g.protocolType) || (req.protocolName !== null && req.protocolName !== g.protocolName)) {
    return answer(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
  }
  const m = g.members.get(req.memberId) as ClassicMember;
  switch (g.state) {
    case 'PreparingRebalance':
      return answer(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
    case 'CompletingRebalance': {
      if (m.awaitingSync !== null) ctx.syncReplies.push({ token: m.awaitingSync, response: syncError(ErrorCode.REBALANCE_IN_PROGRESS) });
      m.awaitingSync = token;
      scheduleSession(ctx, m);
      if (g.leader !== m.memberId) return;
      // The leader's assignment ends the generation's sync phase: members it left out get an
      // empty assignment, the generation is persisted, and everyone parked is answered.
      const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
      for (const member of g.members.values()) member.assignment = given.get(member.memberId) ?? EMPTY;
      g.state = 'Stable';
      g.syncDeadline = undefined;
      persistClassic(ctx, g);
      for (const member of g.members.values()) {
        if (member.awaitingSync === null) continue;
        ctx.syncReplies.push({
          token: member.awaitingSync,
          response: { errorCode: ErrorCode.NONE, protocolType: g.protocolType, protocolName: g.protocolName, assignment: member.assignment },
        });
        member.awaitingSync = null;
      }
      return;
    }
    case 'Stable':
      scheduleSession(ctx, m);
      return answer({ errorCode: ErrorCode.NONE, protocolType: g.protocolType, protocolName: g.protocolName, assignment: m.assignment });
    default:
      return answer(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
  }
}

export interface HeartbeatRequest {
  readonly memberId: string;
  readonly generationId: number;
  readonly groupInstanceId: string | null;
}

export function classicHeartbeat(ctx: Ctx, g: ClassicGroup | undefined, req: HeartbeatRequest): ErrorCode {
  if (!g) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (g.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const err = validateMember(g, req.memberId, req.groupInstanceId);
  if (err !== ErrorCode.NONE) return err;
  if (req.generationId !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
  const m = g.members.get(req.memberId) as ClassicMember;
  scheduleSession(ctx, m);
  // Members learn of a rebalance through their heartbeat; after the join phase they may heartbeat
  // while waiting for SyncGroup, which is fine.
  return g.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
}

export interface LeaveMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly reason?: string | null;
}

export interface LeaveGroupResponse {
  readonly errorCode: ErrorCode;
  readonly members: readonly { memberId: string; groupInstanceId: string | null; errorCode: ErrorCode }[];
}

/** LeaveGroup v3+ removes a batch; a static member may be named by instance id alone (KIP-345). */
export function classicLeave(ctx: Ctx, g: ClassicGroup | undefined, members: readonly LeaveMember[]): LeaveGroupResponse {
  if (!g) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: [] };
  if (g.state === 'Dead') return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
  const results = members.map((lm) => {
    const res = (errorCode: ErrorCode) => ({ memberId: lm.memberId, groupInstanceId: lm.groupInstanceId, errorCode });
    if (lm.groupInstanceId !== null) {
      const owner = g.staticMembers.get(lm.groupInstanceId);
      if (owner === undefined) return res(ErrorCode.UNKNOWN_MEMBER_ID);
      if (lm.memberId !== UNKNOWN_MEMBER_ID && lm.memberId !== owner) return res(ErrorCode.FENCED_INSTANCE_ID);
      removeMemberAndRebalance(ctx, g, g.members.get(owner) as ClassicMember);
      return res(ErrorCode.NONE);
    }
    if (g.pendingMembers.delete(lm.memberId)) {
      maybeCompletePending(ctx, g);
      return res(ErrorCode.NONE);
    }
    const m = g.members.get(lm.memberId);
    if (!m) return res(ErrorCode.UNKNOWN_MEMBER_ID);
    removeMemberAndRebalance(ctx, g, m);
    return res(ErrorCode.NONE);
  });
  return { errorCode: ErrorCode.NONE, members: results };
}

function maybeCompletePending(ctx: Ctx, g: ClassicGroup): void {
  if (g.state === 'PreparingRebalance' && g.initialDelay === undefined && [...g.members.values()].every((m) => m.awaitingJoin !== null)) {
    completeJoin(ctx, g);
  }
}

/** Earliest time this group needs `tick`, or undefined. */
export function classicNextDeadline(g: ClassicGroup): Millis | undefined {
  let next: Millis | undefined;
  const consider = (t: Millis | undefined): void => {
    if (t !== undefined && (next === undefined || t < next)) next = t;
  };
  consider(g.joinDeadline);
  consider(g.syncDeadline);
  for (const t of g.pendingMembers.values()) consider(t);
  for (const m of g.members.values()) if (!parked(m)) consider(m.sessionDeadline);
  return next;
}

/** A member parked on us (awaiting a join or sync answer) cannot heartbeat, so it does not expire. */
function parked(m: ClassicMember): boolean {
  return (m.awaitingJoin !== null && !m.isNew) || m.awaitingSync !== null;
}

export function classicTick(ctx: Ctx, g: ClassicGroup): void {
  const now = ctx.now;
  for (const [id, t] of [...g.pendingMembers]) {
    if (t <= now) {
      g.pendingMembers.delete(id);
      maybeCompletePending(ctx, g);
    }
  }
  for (const m of [...g.members.values()]) {
    if (g.members.get(m.memberId) === m && !parked(m) && m.sessionDeadline <= now) removeMemberAndRebalance(ctx, g, m);
  }
  if (g.state === 'PreparingRebalance' && g.joinDeadline !== undefined && g.joinDeadline <= now) onJoinDeadline(ctx, g);
  if (g.state === 'CompletingRebalance' && g.syncDeadline !== undefined && g.syncDeadline <= now) {
    // Members that never sent SyncGroup within the rebalance timeout are dropped and the group
    // rebalances without them, so one stuck member cannot hold the whole group.
    const laggards = [...g.members.values()].filter((m) => m.awaitingSync === null);
    for (const m of laggards) removeMemberOnly(ctx, g, m);
    prepareRebalance(ctx, g);
    if (g.members.size === 0 || [...g.members.values()].every((m) => m.awaitingJoin !== null)) completeJoin(ctx, g);
  }
}
