// Generation mechanics of a classic group: entering PreparingRebalance, completing the join phase,
// removing members. Shared by JoinGroup, LeaveGroup, session expiry and the timers.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ClassicGroup, ClassicMember, Ctx } from '../state';
import { joinError, joinResponse, maxRebalanceTimeout, persistClassic, selectProtocol } from './classic-group';

const EMPTY = new Uint8Array(0);

/** Every member that is not parked in a join/sync must keep heartbeating within its session. */
export function scheduleSession(ctx: Ctx, m: ClassicMember): void {
  m.sessionDeadline = ctx.now + m.sessionTimeoutMs;
}

/**
 * Enter PreparingRebalance. Answers parked SyncGroups with REBALANCE_IN_PROGRESS (their
 * generation is over). An empty group waits group.initial.rebalance.delay.ms so a fleet of
 * consumers starting together lands in one generation; each newcomer extends the wait, never past
 * the rebalance timeout.
 */
export function prepareRebalance(ctx: Ctx, g: ClassicGroup): void {
  if (g.state === 'CompletingRebalance') {
    for (const m of g.members.values()) {
      m.assignment = EMPTY;
      if (m.awaitingSync !== null) {
        ctx.syncReplies.push({
          token: m.awaitingSync,
          response: { errorCode: ErrorCode.REBALANCE_IN_PROGRESS, protocolType: null, protocolName: null, assignment: EMPTY },
        });
        m.awaitingSync = null;
      }
    }
  }
  g.syncDeadline = undefined;
  const rebalanceTimeout = maxRebalanceTimeout(g);
  if (g.state === 'Empty' && ctx.config.initialRebalanceDelayMs > 0) {
    const delay = Math.min(ctx.config.initialRebalanceDelayMs, rebalanceTimeout);
    g.initialDelay = { remainingMs: Math.max(rebalanceTimeout - delay, 0), newMemberAdded: false };
    g.joinDeadline = ctx.now + delay;
  } else {
    g.initialDelay = undefined;
    g.joinDeadline = ctx.now + rebalanceTimeout;
  }
  g.state = 'PreparingRebalance';
}

const allJoined = (g: ClassicGroup): boolean =>
  g.pendingMembers.size === 0 && [...g.members.values()].every((m) => m.awaitingJoin !== null);

/** Completes the join phase early once everyone rejoined, except while the initial delay runs. */
export function maybeCompleteJoin(ctx: Ctx, g: ClassicGroup): void {
  if (g.state === 'PreparingRebalance' && g.initialDelay === undefined && allJoined(g)) completeJoin(ctx, g);
}

/** The join-phase timer fired: extend the initial delay if newcomers keep arriving, else complete. */
export function onJoinDeadline(ctx: Ctx, g: ClassicGroup): void {
  const d = g.initialDelay;
  if (d && d.newMemberAdded && d.remainingMs > 0) {
    const delay = Math.min(ctx.config.initialRebalanceDelayMs, d.remainingMs);
    g.initialDelay = { remainingMs: d.remainingMs - delay, newMemberAdded: false };
    g.joinDeadline = ctx.now + delay;
    return;
  }
  completeJoin(ctx, g);
}

/**
 * End of the join phase: members that did not rejoin are dropped, the generation advances, a
 * protocol is selected and every parked JoinGroup is answered (the leader gets the member list).
 */
export function completeJoin(ctx: Ctx, g: ClassicGroup): void {
  for (const m of [...g.members.values()]) if (m.awaitingJoin === null) removeMemberOnly(ctx, g, m);
  g.joinDeadline = undefined;
  g.initialDelay = undefined;
  g.generation += 1;
  if (g.members.size === 0) {
    g.state = 'Empty';
    g.protocolName = null;
    g.leader = null;
    g.emptySince = ctx.now;
    persistClassic(ctx, g);
    return;
  }
  g.emptySince = undefined;
  g.protocolName = selectProtocol(g);
  if (g.leader === null || !g.members.has(g.leader)) g.leader = [...g.members.keys()][0] as string;
  g.state = 'CompletingRebalance';
  let maxRebalance = 0;
  for (const m of g.members.values()) {
    const parked = m.awaitingJoin;
    m.awaitingJoin = null;
    m.isNew = false;
    scheduleSession(ctx, m);
    maxRebalance = Math.max(maxRebalance, m.rebalanceTimeoutMs);
    if (parked) ctx.joinReplies.push({ token: parked.token, response: joinResponse(g, m.memberId, { skipAssignment: false }) });
  }
  g.syncDeadline = ctx.now + maxRebalance;
}

/** Drops a member and answers whatever it had parked; does not move the state machine. */
export function removeMemberOnly(ctx: Ctx, g: ClassicGroup, m: ClassicMember, error = ErrorCode.UNKNOWN_MEMBER_ID): void {
  if (m.awaitingJoin) ctx.joinReplies.push({ token: m.awaitingJoin.token, response: joinError(error, m.memberId) });
  if (m.awaitingSync !== null) {
    ctx.syncReplies.push({ token: m.awaitingSync, response: { errorCode: error, protocolType: null, protocolName: null, assignment: EMPTY } });
  }
  m.awaitingJoin = null;
  m.awaitingSync = null;
  g.members.delete(m.memberId);
  if (m.instanceId !== null && g.staticMembers.get(m.instanceId) === m.memberId) g.staticMembers.delete(m.instanceId);
  if (g.leader === m.memberId) g.leader = null;
}

/** A member left or expired: a stable group rebalances, a preparing one may now complete. */
export function removeMemberAndRebalance(ctx: Ctx, g: ClassicGroup, m: ClassicMember): void {
  removeMemberOnly(ctx, g, m);
  if (g.leader === null && g.members.size > 0) {
    const first = [...g.members.keys()][0];
    g.leader = first ?? null;
  }
  switch (g.state) {
    case 'Stable':
    case 'CompletingRebalance':
      prepareRebalance(ctx, g);
      maybeCompleteJoin(ctx, g);
      break;
    case 'PreparingRebalance':
      maybeCompleteJoin(ctx, g);
      break;
    default:
      break;
  }
}
