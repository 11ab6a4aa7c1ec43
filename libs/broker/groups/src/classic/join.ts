// JoinGroup for classic groups: KIP-394 two-phase join, KIP-345 static membership, protocol checks.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ClassicGroup, ClassicMember, Ctx, Protocol, ReplyToken } from '../state';
import {
  UNKNOWN_MEMBER_ID,
  joinError,
  joinResponse,
  persistClassic,
  protocolsEqual,
  supportsProtocols,
} from './classic-group';
import { maybeCompleteJoin, prepareRebalance, removeMemberOnly, scheduleSession } from './rebalance';

export interface JoinGroupRequest {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  readonly protocols: readonly Protocol[];
  readonly sessionTimeoutMs: number;
  /** -1 (v0) means "same as the session timeout". */
  readonly rebalanceTimeoutMs: number;
  readonly clientId: string;
  readonly clientHost: string;
  /** The JoinGroup version the client spoke: v4+ dynamic members get MEMBER_ID_REQUIRED (KIP-394). */
  readonly apiVersion: number;
  /** KIP-800 reason, for logs only. */
  readonly reason?: string | null;
}

/** Kafka's own timeout for a member that joined but never finished its first rebalance. */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;

function reply(ctx: Ctx, token: ReplyToken, errorCode: ErrorCode, memberId = UNKNOWN_MEMBER_ID): void {
  ctx.joinReplies.push({ token, response: joinError(errorCode, memberId) });
}

/**
 * Validated JoinGroup against an existing (or freshly created, Empty) classic group. The answer is
 * pushed to ctx.joinReplies now or when the join phase completes.
 */
export function classicJoin(ctx: Ctx, g: ClassicGroup, req: JoinGroupRequest, token: ReplyToken): void {
  const protocols = [...req.protocols];
  if (req.memberId === UNKNOWN_MEMBER_ID) return joinUnknown(ctx, g, req, protocols, token);
  return joinKnown(ctx, g, req, protocols, token);
}

function acceptsNewMember(ctx: Ctx, g: ClassicGroup, memberId: string): boolean {
  if (g.state === 'Empty' || g.state === 'Dead') return true;
  if (g.members.has(memberId)) return true;
  return g.members.size + g.pendingMembers.size < ctx.config.classicMaxSize;
}

function joinUnknown(ctx: Ctx, g: ClassicGroup, req: JoinGroupRequest, protocols: Protocol[], token: ReplyToken): void {
  const existingStatic = req.groupInstanceId !== null ? g.staticMembers.get(req.groupInstanceId) : undefined;
  if (!supportsProtocols(g, req.protocolType, protocols, existingStatic)) return reply(ctx, token, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const memberId = `${req.clientId}-${ctx.newId()}`;
  if (existingStatic !== undefined) return replaceStaticMember(ctx, g, req, protocols, existingStatic, memberId, token);
  if (!acceptsNewMember(ctx, g, memberId)) return reply(ctx, token, ErrorCode.GROUP_MAX_SIZE_REACHED);
  if (req.groupInstanceId === null && req.apiVersion >= 4) {
    // KIP-394: hand out the id first so a client that times out and retries cannot leave
    // orphaned members behind; the id expires if the second join does not come in time.
    g.pendingMembers.set(memberId, ctx.now + req.sessionTimeoutMs);
    return reply(ctx, token, ErrorCode.MEMBER_ID_REQUIRED, memberId);
  }
  addMemberAndRebalance(ctx, g, req, protocols, memberId, token);
}

function joinKnown(ctx: Ctx, g: ClassicGroup, req: JoinGroupRequest, protocols: Protocol[], token: ReplyToken): void {
  if (g.pendingMembers.has(req.memberId)) {
    if (!supportsProtocols(g, req.protocolType, protocols)) return reply(ctx, token, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
    if (!acceptsNewMember(ctx, g, req.memberId)) return reply(ctx, token, ErrorCode.GROUP_MAX_SIZE_REACHED, req.memberId);
    g.pendingMembers.delete(req.memberId);
    return addMemberAndRebalance(ctx, g, req, protocols, req.memberId, token);
  }
  const err = validateMember(g, req.memberId, req.groupInstanceId);
  if (err !== ErrorCode.NONE) return reply(ctx, token, err, req.memberId);
  const m = g.members.get(req.memberId) as ClassicMember;
  if (!supportsProtocols(g, req.protocolType, protocols, m.memberId)) return reply(ctx, token, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
  if (m.awaitingJoin) reply(ctx, m.awaitingJoin.token, ErrorCode.REBALANCE_IN_PROGRESS, m.memberId);
  switch (g.state) {
    case 'PreparingRebalance':
      updateMember(m, req, protocols);
      m.awaitingJoin = { token, version: req.apiVersion };
      return maybeCompleteJoin(ctx, g);
    case 'CompletingRebalance':
    case 'Stable': {
      // A follower whose metadata is unchanged just lost its join answer: give it the current
      // generation again. A leader (who must see new metadata) or a changed member forces a rebalance.
      const unchanged = protocolsEqual(m.protocols, protocols);
      if (unchanged && (g.state === 'CompletingRebalance' || g.leader !== m.memberId)) {
        scheduleSession(ctx, m);
        ctx.joinReplies.push({ token, response: joinResponse(g, m.memberId, { skipAssignment: false }) });
        return;
      }
      updateMember(m, req, protocols);
      m.awaitingJoin = { token, version: req.apiVersion };
      prepareRebalance(ctx, g);
      return maybeCompleteJoin(ctx, g);
    }
    default:
      return reply(ctx, token, ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
  }
}

/** UNKNOWN_MEMBER_ID for strangers; FENCED_INSTANCE_ID when the instance id now belongs to someone else (KIP-345). */
export function validateMember(g: ClassicGroup, memberId: string, instanceId: string | null): ErrorCode {
  if (instanceId !== null) {
    const owner = g.staticMembers.get(instanceId);
    if (owner === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    return owner === memberId ? ErrorCode.NONE : ErrorCode.FENCED_INSTANCE_ID;
  }
  return g.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
}

function updateMember(m: ClassicMember, req: JoinGroupRequest, protocols: Protocol[]): void {
  m.protocols = protocols;
  m.sessionTimeoutMs = req.sessionTimeoutMs;
  m.rebalanceTimeoutMs = req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
  m.clientId = req.clientId;
  m.clientHost = req.clientHost;
}

function addMemberAndRebalance(
  ctx: Ctx,
  g: ClassicGroup,
  req: JoinGroupRequest,
  protocols: Protocol[],
  memberId: string,
  token: ReplyToken,
): void {
  const m: ClassicMember = {
    memberId,
    instanceId: req.groupInstanceId,
    clientId: req.clientId,
    clientHost: req.clientHost,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
    sessionTimeoutMs: req.sessionTimeoutMs,
    protocols,
    assignment: new Uint8Array(0),
    awaitingJoin: { token, version: req.apiVersion },
    awaitingSync: null,
    isNew: true,
    sessionDeadline: ctx.now + NEW_MEMBER_JOIN_TIMEOUT_MS,
  };
  if (g.members.size === 0) g.protocolType = req.protocolType;
  g.members.set(memberId, m);
  if (m.instanceId !== null) g.staticMembers.set(m.instanceId, memberId);
  if (g.initialDelay) g.initialDelay.newMemberAdded = true;
  if (g.state !== 'PreparingRebalance') prepareRebalance(ctx, g);
  maybeCompleteJoin(ctx, g);
}

/**
 * KIP-345: a static member restarting (unknown member id, known instance id) takes over the old
 * member id's place. The old id is fenced. With unchanged metadata in a settled group no rebalance
 * happens: the member gets the current generation and, after SyncGroup, its previous assignment.
 */
function replaceStaticMember(
  ctx: Ctx,
  g: ClassicGroup,
  req: JoinGroupRequest,
  protocols: Protocol[],
  oldMemberId: string,
  newMemberId: string,
  token: ReplyToken,
): void {
  const old = g.members.get(oldMemberId) as ClassicMember;
  const oldProtocols = old.protocols;
  if (old.awaitingJoin) reply(ctx, old.awaitingJoin.token, ErrorCode.FENCED_INSTANCE_ID, oldMemberId);
  if (old.awaitingSync !== null) {
    ctx.syncReplies.push({
      token: old.awaitingSync,
      response: { errorCode: ErrorCode.FENCED_INSTANCE_ID, protocolType: null, protocolName: null, assignment: new Uint8Array(0) },
    });
  }
  const replacement: ClassicMember = { ...old, memberId: newMemberId, awaitingJoin: null, awaitingSync: null };
  updateMember(replacement, req, protocols);
  // Keep the member's position (leader choice and vote order) by rebuilding the map in order.
  const entries = [...g.members.entries()].map(([id, m]) => (id === oldMemberId ? ([newMemberId, replacement] as const) : ([id, m] as const)));
  g.members = new Map(entries);
  g.staticMembers.set(replacement.instanceId as string, newMemberId);
  if (g.leader === oldMemberId) g.leader = newMemberId;
  switch (g.state) {
    case 'PreparingRebalance':
      replacement.awaitingJoin = { token, version: req.apiVersion };
      return maybeCompleteJoin(ctx, g);
    case 'CompletingRebalance':
    case 'Stable':
      if (!protocolsEqual(oldProtocols, protocols)) {
        replacement.awaitingJoin = { token, version: req.apiVersion };
        prepareRebalance(ctx, g);
        return maybeCompleteJoin(ctx, g);
      }
      scheduleSession(ctx, replacement);
      if (g.state === 'Stable') persistClassic(ctx, g);
      // The returning leader is told to skip assignment (JoinGroup v9+): the group is already assigned.
      ctx.joinReplies.push({
        token,
        response: joinResponse(g, newMemberId, { skipAssignment: g.leader === newMemberId }),
      });
      return;
    default:
      removeMemberOnly(ctx, g, replacement);
      return reply(ctx, token, ErrorCode.UNKNOWN_MEMBER_ID, newMemberId);
  }
}
