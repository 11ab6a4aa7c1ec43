// ConsumerGroupHeartbeat (KIP-848): join, heartbeat, leave, static membership, target assignment
// and reconciliation, all in one request/response.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ConsumerGroup, ConsumerMember, Ctx } from '../state';
import { assignmentEquals, type TopicCatalog, type TopicId } from '../types';
import {
  claimOwnership,
  persistCurrent,
  persistGroupMetadata,
  persistMember,
  persistMemberRemoval,
  releaseOwnership,
} from './consumer-group';
import { reconcile, reconciledChanged } from './reconcile';
import { computeTargetAssignment } from './target';
import { compileRegex, resolveSubscriptions, subscriptionsEqual } from './subscription';

export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export interface TopicPartitions {
  readonly topicId: TopicId;
  readonly partitions: readonly number[];
}

export interface ConsumerGroupHeartbeatRequest {
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  /** -1 = unchanged */
  readonly rebalanceTimeoutMs: number;
  /** null = unchanged */
  readonly subscribedTopicNames: readonly string[] | null;
  /** null = unchanged; "" clears it (v1+) */
  readonly subscribedTopicRegex: string | null;
  /** null = unchanged */
  readonly serverAssignor: string | null;
  /** What the client owns now; null = unchanged since its last heartbeat. */
  readonly topicPartitions: readonly TopicPartitions[] | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly apiVersion: number;
}

export interface ConsumerGroupHeartbeatResponse {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly memberId: string | null;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  /** null when unchanged; otherwise the full set the member may own now. */
  readonly assignment: { readonly topicPartitions: TopicPartitions[] } | null;
}

export const heartbeatError = (errorCode: ErrorCode, errorMessage: string | null = null, memberId: string | null = null): ConsumerGroupHeartbeatResponse => ({
  errorCode,
  errorMessage,
  memberId,
  memberEpoch: -1,
  heartbeatIntervalMs: 0,
  assignment: null,
});

/** Request checks Kafka applies before touching the group (INVALID_REQUEST, UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION). */
export function validateHeartbeat(ctx: Ctx, req: ConsumerGroupHeartbeatRequest): ConsumerGroupHeartbeatResponse | undefined {
  const bad = (msg: string) => heartbeatError(ErrorCode.INVALID_REQUEST, msg);
  if (req.memberEpoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH) return bad('MemberEpoch is invalid.');
  if (req.memberId.length === 0 && (req.memberEpoch !== 0 || req.apiVersion >= 1)) return bad('MemberId can\'t be empty.');
  if (req.instanceId !== null && req.instanceId.length === 0) return bad('InstanceId can\'t be empty.');
  if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH && req.instanceId === null) return bad('InstanceId can\'t be null for a static leave.');
  if (req.memberEpoch === 0) {
    if (req.rebalanceTimeoutMs < 0) return bad('RebalanceTimeoutMs must be provided in first request.');
    if (req.topicPartitions === null || req.topicPartitions.some((t) => t.partitions.length > 0)) return bad('TopicPartitions must be empty when (re-)joining.');
    if (req.subscribedTopicNames === null && (req.subscribedTopicRegex === null || req.subscribedTopicRegex === '')) {
      return bad('SubscribedTopicNames or SubscribedTopicRegex must be set in first request.');
    }
  }
  if (req.serverAssignor !== null && !ctx.config.consumerAssignors.includes(req.serverAssignor)) {
    return heartbeatError(ErrorCode.UNSUPPORTED_ASSIGNOR, `ServerAssignor ${req.serverAssignor} is not supported.`);
  }
  if (req.subscribedTopicRegex !== null && req.subscribedTopicRegex !== '' && !compileRegex(req.subscribedTopicRegex)) {
    return heartbeatError(ErrorCode.INVALID_REGULAR_EXPRESSION, `SubscribedTopicRegex ${req.subscribedTopicRegex} is not a valid regular expression.`);
  }
  return undefined;
}

function toMap(tps: readonly TopicPartitions[]): Map<TopicId, number[]> {
  const out = new Map<TopicId, number[]>();
  for (const t of tps) out.set(t.topicId, [...new Set([...(out.get(t.topicId) ?? []), ...t.partitions])].sort((a, b) => a - b));
  return out;
}

function isSubset(a: ReadonlyMap<TopicId, readonly number[]>, b: ReadonlyMap<TopicId, readonly number[]>): boolean {
  for (const [t, ps] of a) {
    const set = new Set(b.get(t) ?? []);
    if (ps.some((p) => !set.has(p))) return false;
  }
  return true;
}

/** A member as it first appears: no subscription, epoch 0, nothing owned. */
export function blankConsumerMember(memberId: string): ConsumerMember {
  return {
    memberId,
    instanceId: null,
    rackId: null,
    clientId: '',
    clientHost: '',
    rebalanceTimeoutMs: 0,
    subscribedTopicNames: [],
    subscribedTopicRegex: null,
    serverAssignor: null,
    memberEpoch: 0,
    previousMemberEpoch: 0,
    state: 'stable',
    assigned: new Map(),
    pendingRevocation: new Map(),
    sessionDeadline: 0,
    revocationDeadline: undefined,
  };
}

export function newMember(memberId: string, req: ConsumerGroupHeartbeatRequest): ConsumerMember {
  return {
    ...blankConsumerMember(memberId),
    instanceId: req.instanceId,
    rackId: req.rackId,
    clientId: req.clientId,
    clientHost: req.clientHost,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs,
  };
}

/** Member removal (leave, fencing, session or revocation timeout) bumps the group epoch. */
export function removeConsumerMember(ctx: Ctx, g: ConsumerGroup, m: ConsumerMember): void {
  releaseOwnership(g, m);
  g.members.delete(m.memberId);
  g.target.delete(m.memberId);
  persistMemberRemoval(ctx, g, m.memberId);
  g.groupEpoch += 1;
  persistGroupMetadata(ctx, g);
}

export function staticMember(g: ConsumerGroup, instanceId: string): ConsumerMember | undefined {
  for (const m of g.members.values()) if (m.instanceId === instanceId) return m;
  return undefined;
}

/** The member, creating or taking over (KIP-345 for KIP-848) as the epoch allows; or an error. */
function lookupMember(
  ctx: Ctx,
  g: ConsumerGroup,
  req: ConsumerGroupHeartbeatRequest,
  memberId: string,
): { member: ConsumerMember; created: boolean } | ConsumerGroupHeartbeatResponse {
  const owned = req.topicPartitions === null ? null : toMap(req.topicPartitions);
  if (req.memberEpoch === 0) {
    // Epoch 0 with a known member id is a rejoin after fencing (KIP-848; KAFKA-19233): the member
    // keeps its identity and gets its assignment again; it owns nothing now, so revocations are done.
    const existing = g.members.get(memberId);
    if (req.instanceId !== null) {
      const holder = staticMember(g, req.instanceId);
      if (holder && holder.memberId !== memberId) {
        if (holder.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
          return heartbeatError(ErrorCode.UNRELEASED_INSTANCE_ID, `Static member ${req.instanceId} has not left the group yet.`);
        }
        return { member: takeOverStatic(ctx, g, holder, memberId, req), created: false };
      }
    }
    if (existing) return { member: existing, created: false };
    if (g.members.size >= ctx.config.consumerMaxSize) return heartbeatError(ErrorCode.GROUP_MAX_SIZE_REACHED, 'The consumer group has reached its maximum capacity.');
    const m = newMember(memberId, req);
    g.members.set(memberId, m);
    return { member: m, created: true };
  }
  const m = g.members.get(memberId);
  if (!m) return heartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of the group.`);
  if (req.instanceId !== null && m.instanceId !== null && m.instanceId !== req.instanceId) return heartbeatError(ErrorCode.FENCED_INSTANCE_ID);
  if (req.memberEpoch > m.memberEpoch) return heartbeatError(ErrorCode.FENCED_MEMBER_EPOCH, 'The member epoch is larger than the current one.');
  if (req.memberEpoch < m.memberEpoch) {
    // The member missed our last answer: accept its previous epoch while what it owns is a
    // subset of what we assigned, so a lost response does not cost a full rejoin.
    if (req.memberEpoch !== m.previousMemberEpoch || (owned !== null && !isSubset(owned, m.assigned))) {
      return heartbeatError(ErrorCode.FENCED_MEMBER_EPOCH, 'The member epoch is smaller than the current one.');
    }
  }
  return { member: m, created: false };
}

/** A restarted static member replaces the one that left with epoch -2, inheriting its partitions without a rebalance. */
function takeOverStatic(ctx: Ctx, g: ConsumerGroup, old: ConsumerMember, memberId: string, req: ConsumerGroupHeartbeatRequest): ConsumerMember {
  const target = g.target.get(old.memberId);
  releaseOwnership(g, old);
  g.members.delete(old.memberId);
  g.target.delete(old.memberId);
  persistMemberRemoval(ctx, g, old.memberId);
  const m: ConsumerMember = {
    ...old,
    memberId,
    clientId: req.clientId,
    clientHost: req.clientHost,
    memberEpoch: old.previousMemberEpoch,
    state: 'stable',
    pendingRevocation: new Map(),
    revocationDeadline: undefined,
  };
  g.members.set(memberId, m);
  claimOwnership(g, m);
  if (target) {
    g.target.set(memberId, target);
    ctx.records.push({ type: 'target-member', group: g.key, memberId, value: target });
  }
  persistMember(ctx, g, m);
  persistCurrent(ctx, g, m);
  return m;
}

/** Handles every heartbeat with epoch >= 0 (join and steady state). Leaves are in leave.ts. */
export function consumerHeartbeat(ctx: Ctx, g: ConsumerGroup, req: ConsumerGroupHeartbeatRequest, catalog: TopicCatalog): ConsumerGroupHeartbeatResponse {
  const memberId = req.memberId.length > 0 ? req.memberId : ctx.newId();
  const found = lookupMember(ctx, g, req, memberId);
  if ('errorCode' in found) return found;
  const m = found.member;
  const isNew = found.created;

  // 1. Member metadata and subscription.
  const metadataBefore = metadataKey(m);
  const subscriptionBefore = subscriptionKey(m);
  if (req.subscribedTopicNames !== null) m.subscribedTopicNames = [...new Set(req.subscribedTopicNames)].sort();
  if (req.subscribedTopicRegex !== null) m.subscribedTopicRegex = req.subscribedTopicRegex === '' ? null : req.subscribedTopicRegex;
  if (req.serverAssignor !== null) m.serverAssignor = req.serverAssignor;
  if (req.rackId !== null) m.rackId = req.rackId;
  if (req.instanceId !== null) m.instanceId = req.instanceId;
  if (req.rebalanceTimeoutMs >= 0) m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
  m.clientId = req.clientId;
  m.clientHost = req.clientHost;
  if (isNew || metadataKey(m) !== metadataBefore) persistMember(ctx, g, m);

  // 2. A new member, a changed subscription or changed topic metadata starts a new group epoch;
  //    so does a changed assignor preference, which may change the whole target.
  const resolved = resolveSubscriptions(g, catalog);
  if (isNew || subscriptionKey(m) !== subscriptionBefore || !subscriptionsEqual(g, resolved)) {
    g.subscriptionTopics = resolved.topics;
    g.regexes = resolved.regexes;
    g.groupEpoch += 1;
    persistGroupMetadata(ctx, g);
  }

  // 3. A target assignment for the new epoch.
  if (g.groupEpoch > g.assignmentEpoch) computeTargetAssignment(ctx, g);

  // 4. Reconcile this member towards its target.
  const owned = req.topicPartitions === null ? null : toMap(req.topicPartitions);
  const effectiveOwned = req.memberEpoch === 0 ? new Map<TopicId, number[]>() : owned;
  const next = reconcile(g, m, effectiveOwned);
  const assignedChanged = !assignmentEquals(m.assigned, next.assigned);
  if (reconciledChanged(m, next)) {
    releaseOwnership(g, m);
    m.memberEpoch = next.memberEpoch;
    m.previousMemberEpoch = next.previousMemberEpoch;
    m.state = next.state;
    m.assigned = next.assigned;
    m.pendingRevocation = next.pendingRevocation;
    claimOwnership(g, m);
    persistCurrent(ctx, g, m);
  } else if (isNew) {
    persistCurrent(ctx, g, m);
  }
  if (m.state === 'unrevoked_partitions') m.revocationDeadline ??= ctx.now + m.rebalanceTimeoutMs;
  else m.revocationDeadline = undefined;
  m.sessionDeadline = ctx.now + ctx.config.consumerSessionTimeoutMs;

  // As Kafka: the assignment goes back on a (re)join, whenever the member reported what it owns,
  // and when it changed; otherwise null keeps steady-state heartbeats small.
  const sendAssignment = req.memberEpoch === 0 || owned !== null || assignedChanged;
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId: m.memberId,
    memberEpoch: m.memberEpoch,
    heartbeatIntervalMs: ctx.config.consumerHeartbeatIntervalMs,
    assignment: sendAssignment
      ? { topicPartitions: [...m.assigned.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([topicId, partitions]) => ({ topicId, partitions: [...partitions] })) }
      : null,
  };
}

function metadataKey(m: ConsumerMember): string {
  return JSON.stringify([m.instanceId, m.rackId, m.clientId, m.clientHost, m.rebalanceTimeoutMs, subscriptionKey(m)]);
}

function subscriptionKey(m: ConsumerMember): string {
  return JSON.stringify([m.subscribedTopicNames, m.subscribedTopicRegex, m.serverAssignor]);
}
