// KIP-848 consumer group bookkeeping: state derivation, partition ownership, persistence.
import type { ConsumerGroup, ConsumerMember, Ctx } from '../state';
import { ownerKey } from '../state';
import type { ConsumerMemberValue, CurrentAssignmentValue } from '../records/records';
import type { GroupKey, TopicId } from '../types';

export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable';

export function newConsumerGroup(key: GroupKey): ConsumerGroup {
  return {
    kind: 'consumer',
    key,
    groupEpoch: 0,
    assignmentEpoch: 0,
    subscriptionTopics: new Map(),
    regexes: new Map(),
    members: new Map(),
    target: new Map(),
    owners: new Map(),
  };
}

/** Empty: no members; Assigning: the target lags the group epoch; Reconciling: members lag the target. */
export function consumerGroupState(g: ConsumerGroup): ConsumerGroupState {
  if (g.members.size === 0) return 'Empty';
  if (g.groupEpoch > g.assignmentEpoch) return 'Assigning';
  for (const m of g.members.values()) {
    if (m.memberEpoch !== g.assignmentEpoch || m.state !== 'stable') return 'Reconciling';
  }
  return 'Stable';
}

/** Ownership index: a partition is owned while assigned to, or pending revocation from, a member. */
export function releaseOwnership(g: ConsumerGroup, m: ConsumerMember): void {
  for (const a of [m.assigned, m.pendingRevocation]) {
    for (const [t, ps] of a) for (const p of ps) if (g.owners.get(ownerKey(t, p)) === m.memberId) g.owners.delete(ownerKey(t, p));
  }
}

export function claimOwnership(g: ConsumerGroup, m: ConsumerMember): void {
  for (const a of [m.assigned, m.pendingRevocation]) {
    for (const [t, ps] of a) {
      for (const p of ps) {
        const prev = g.owners.get(ownerKey(t, p));
        // Reconciliation must never hand out an owned partition; reaching this is a bug.
        if (prev !== undefined && prev !== m.memberId) throw new Error(`partition ${t}:${p} owned by ${prev} and ${m.memberId}`);
        g.owners.set(ownerKey(t, p), m.memberId);
      }
    }
  }
}

export function ownerOf(g: ConsumerGroup, t: TopicId, p: number): string | undefined {
  return g.owners.get(ownerKey(t, p));
}

export function memberValue(m: ConsumerMember): ConsumerMemberValue {
  return {
    instanceId: m.instanceId,
    rackId: m.rackId,
    clientId: m.clientId,
    clientHost: m.clientHost,
    rebalanceTimeoutMs: m.rebalanceTimeoutMs,
    subscribedTopicNames: [...m.subscribedTopicNames],
    subscribedTopicRegex: m.subscribedTopicRegex,
    serverAssignor: m.serverAssignor,
  };
}

export function currentValue(m: ConsumerMember): CurrentAssignmentValue {
  return {
    memberEpoch: m.memberEpoch,
    previousMemberEpoch: m.previousMemberEpoch,
    state: m.state,
    assigned: m.assigned,
    pendingRevocation: m.pendingRevocation,
  };
}

export function persistGroupMetadata(ctx: Ctx, g: ConsumerGroup): void {
  ctx.records.push({
    type: 'consumer-group',
    group: g.key,
    value: {
      groupEpoch: g.groupEpoch,
      topics: [...g.subscriptionTopics.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
      regexes: [...g.regexes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([regex, topics]) => ({ regex, topics })),
    },
  });
}

export function persistMember(ctx: Ctx, g: ConsumerGroup, m: ConsumerMember): void {
  ctx.records.push({ type: 'consumer-member', group: g.key, memberId: m.memberId, value: memberValue(m) });
}

export function persistCurrent(ctx: Ctx, g: ConsumerGroup, m: ConsumerMember): void {
  ctx.records.push({ type: 'current-assignment', group: g.key, memberId: m.memberId, value: currentValue(m) });
}

/** Tombstones in Kafka's order: current assignment, target, member; the group record goes last on deletion. */
export function persistMemberRemoval(ctx: Ctx, g: ConsumerGroup, memberId: string): void {
  ctx.records.push({ type: 'current-assignment', group: g.key, memberId, value: null });
  ctx.records.push({ type: 'target-member', group: g.key, memberId, value: null });
  ctx.records.push({ type: 'consumer-member', group: g.key, memberId, value: null });
}

export function persistGroupDeletion(ctx: Ctx, g: ConsumerGroup): void {
  for (const id of g.members.keys()) persistMemberRemoval(ctx, g, id);
  for (const id of g.target.keys()) if (!g.members.has(id)) ctx.records.push({ type: 'target-member', group: g.key, memberId: id, value: null });
  ctx.records.push({ type: 'target-epoch', group: g.key, value: null });
  ctx.records.push({ type: 'consumer-group', group: g.key, value: null });
}
