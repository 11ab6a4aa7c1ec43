// DescribeGroups, ListGroups, DeleteGroups and the periodic offsets/group cleanup.
import { ErrorCode } from '@stratus/kafka-errors';
import { classicSubscribedTopics, memberMetadata } from './classic/classic-group';
import { consumerGroupState, persistGroupDeletion } from './consumer/consumer-group';
import { consumerSubscribedNames, type GroupsAndOffsets } from './offset-apis';
import { expiredOffsets } from './offsets';
import type { Ctx, Group } from './state';
import type { GroupKey } from './types';

export interface DescribedGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberMetadata: Uint8Array;
  readonly memberAssignment: Uint8Array;
}

export interface DescribedGroup {
  readonly groupKey: GroupKey;
  readonly errorCode: ErrorCode;
  readonly groupState: string;
  readonly protocolType: string;
  readonly protocolData: string;
  readonly members: readonly DescribedGroupMember[];
}

const EMPTY = new Uint8Array(0);

/**
 * Classic DescribeGroups. Unknown groups and KIP-848 groups answer GROUP_ID_NOT_FOUND with state
 * Dead (DescribeGroups v6, KIP-1043); a handler for older versions sends NONE instead. Metadata
 * and assignments are only shown for a Stable group, where they are settled.
 */
export function describeGroups(s: GroupsAndOffsets, keys: readonly GroupKey[]): DescribedGroup[] {
  return keys.map((key) => {
    const g = s.groups.get(key);
    if (!g || g.kind !== 'classic' || g.state === 'Dead') {
      return { groupKey: key, errorCode: ErrorCode.GROUP_ID_NOT_FOUND, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
    }
    const stable = g.state === 'Stable';
    return {
      groupKey: key,
      errorCode: ErrorCode.NONE,
      groupState: g.state,
      protocolType: g.protocolType ?? '',
      protocolData: stable ? (g.protocolName ?? '') : '',
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.instanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? memberMetadata(m, g.protocolName) : EMPTY,
        memberAssignment: stable ? m.assignment : EMPTY,
      })),
    };
  });
}

export interface ListedGroup {
  readonly groupKey: GroupKey;
  readonly protocolType: string;
  readonly groupState: string;
  readonly groupType: 'classic' | 'consumer';
}

export interface ListGroupsOptions {
  /** KIP-518 state filter, case-insensitive; empty = all. */
  readonly statesFilter?: readonly string[];
  /** KIP-848 type filter ("classic", "consumer"), case-insensitive; empty = all. */
  readonly typesFilter?: readonly string[];
  /** Tenant scoping: only keys this accepts are listed (see inTenant). */
  readonly keyFilter?: (key: GroupKey) => boolean;
}

export function groupState(g: Group): string {
  return g.kind === 'classic' ? g.state : consumerGroupState(g);
}

export function listGroups(s: GroupsAndOffsets, opts: ListGroupsOptions): ListedGroup[] {
  const states = new Set((opts.statesFilter ?? []).map((x) => x.toLowerCase()));
  const types = new Set((opts.typesFilter ?? []).map((x) => x.toLowerCase()));
  const out: ListedGroup[] = [];
  for (const [key, g] of [...s.groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (opts.keyFilter && !opts.keyFilter(key)) continue;
    if (g.kind === 'classic' && g.state === 'Dead') continue;
    const state = groupState(g);
    if (states.size > 0 && !states.has(state.toLowerCase())) continue;
    if (types.size > 0 && !types.has(g.kind)) continue;
    out.push({ groupKey: key, protocolType: g.kind === 'classic' ? (g.protocolType ?? '') : 'consumer', groupState: state, groupType: g.kind });
  }
  return out;
}

function isEmptyGroup(g: Group): boolean {
  return g.kind === 'classic' ? g.state === 'Empty' && g.pendingMembers.size === 0 : g.members.size === 0;
}

/** Removes a group with its offsets; every removal is a tombstone so replay forgets it too. */
export function deleteGroupAndOffsets(ctx: Ctx, s: GroupsAndOffsets, key: GroupKey): void {
  for (const [topic, parts] of [...(s.offsets.committed.get(key) ?? [])]) {
    for (const p of [...parts.keys()]) {
      s.offsets.put(key, topic, p, null);
      ctx.records.push({ type: 'offset', group: key, topic, partition: p, value: null });
    }
  }
  for (const [producerId, byTopic] of [...(s.offsets.pending.get(key) ?? [])]) {
    for (const [topic, parts] of [...byTopic]) {
      for (const p of [...parts.keys()]) {
        s.offsets.putPending(key, producerId, topic, p, null);
        ctx.records.push({ type: 'txn-offset', group: key, producerId, topic, partition: p, value: null });
      }
    }
  }
  const g = s.groups.get(key);
  if (g?.kind === 'consumer') persistGroupDeletion(ctx, g);
  else ctx.records.push({ type: 'classic-group', group: key, value: null });
  s.groups.delete(key);
}

export function deleteGroups(ctx: Ctx, s: GroupsAndOffsets, keys: readonly GroupKey[]): { groupKey: GroupKey; errorCode: ErrorCode }[] {
  return keys.map((key) => {
    const g = s.groups.get(key);
    if (!g || (g.kind === 'classic' && g.state === 'Dead')) return { groupKey: key, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
    if (!isEmptyGroup(g)) return { groupKey: key, errorCode: ErrorCode.NON_EMPTY_GROUP };
    deleteGroupAndOffsets(ctx, s, key);
    return { groupKey: key, errorCode: ErrorCode.NONE };
  });
}

/** offsets.retention.minutes: expire offsets, then drop empty groups left without any. */
export function cleanupGroups(ctx: Ctx, s: GroupsAndOffsets): void {
  const keys = new Set<GroupKey>([...s.groups.keys(), ...s.offsets.committed.keys()]);
  for (const key of [...keys].sort()) {
    const g = s.groups.get(key);
    const subscribed = g?.kind === 'consumer' ? consumerSubscribedNames(g) : g?.kind === 'classic' ? classicSubscribedTopics(g) : undefined;
    for (const { topic, partition } of expiredOffsets(ctx, s.offsets, key, g, subscribed)) {
      s.offsets.put(key, topic, partition, null);
      ctx.records.push({ type: 'offset', group: key, topic, partition, value: null });
    }
    if (g && isEmptyGroup(g) && !s.offsets.hasAny(key)) deleteGroupAndOffsets(ctx, s, key);
  }
}
