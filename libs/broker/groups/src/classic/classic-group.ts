// Classic (pre-KIP-848) group bookkeeping: creation, protocol selection, persistence, responses.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ClassicGroupValue } from '../records/records';
import type { ClassicGroup, ClassicMember, Ctx, JoinGroupResponse, Protocol } from '../state';
import type { GroupKey, Millis } from '../types';

export const UNKNOWN_MEMBER_ID = '';
const EMPTY = new Uint8Array(0);

export function newClassicGroup(key: GroupKey): ClassicGroup {
  return {
    kind: 'classic',
    key,
    state: 'Empty',
    protocolType: null,
    protocolName: null,
    generation: 0,
    leader: null,
    members: new Map(),
    staticMembers: new Map(),
    pendingMembers: new Map(),
    emptySince: undefined,
    joinDeadline: undefined,
    initialDelay: undefined,
    syncDeadline: undefined,
  };
}

/**
 * A joining member is compatible when the group is empty (it defines the protocol type) or when
 * its protocol type matches and at least one protocol name is supported by every member,
 * itself included. Otherwise INCONSISTENT_GROUP_PROTOCOL.
 */
export function supportsProtocols(
  group: ClassicGroup,
  protocolType: string,
  protocols: readonly Protocol[],
  replacing?: string,
): boolean {
  if (protocolType.length === 0 || protocols.length === 0) return false;
  const others = [...group.members.values()].filter((m) => m.memberId !== replacing);
  if (others.length === 0) return true;
  if (group.protocolType !== protocolType) return false;
  return candidateProtocols(others).some((c) => protocols.some((p) => p.name === c));
}

/** Protocol names every member supports, in the order of the first member's preference. */
function candidateProtocols(members: readonly ClassicMember[]): string[] {
  const [first, ...rest] = members;
  if (!first) return [];
  return first.protocols
    .map((p) => p.name)
    .filter((name) => rest.every((m) => m.protocols.some((p) => p.name === name)));
}

/**
 * Protocol selection by vote: each member votes for its most preferred protocol among those all
 * members support; the most votes wins. Kafka leaves ties to hash order; we break them by the
 * candidate order of the longest-standing member so the outcome is deterministic.
 */
export function selectProtocol(group: ClassicGroup): string | null {
  const members = [...group.members.values()];
  const candidates = candidateProtocols(members);
  if (candidates.length === 0) return null;
  const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
  for (const m of members) {
    const vote = m.protocols.find((p) => votes.has(p.name));
    if (vote) votes.set(vote.name, (votes.get(vote.name) ?? 0) + 1);
  }
  let best = candidates[0] as string;
  for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
  return best;
}

export function memberMetadata(m: ClassicMember, protocolName: string | null): Uint8Array {
  return m.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY;
}

export function protocolsEqual(a: readonly Protocol[], b: readonly Protocol[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => p.name === b[i]?.name && Buffer.from(p.metadata).equals(Buffer.from(b[i]?.metadata ?? EMPTY)))
  );
}

export function classicValue(g: ClassicGroup): ClassicGroupValue {
  return {
    protocolType: g.protocolType ?? '',
    generation: g.generation,
    protocolName: g.protocolName,
    leader: g.leader,
    emptySince: g.emptySince ?? -1,
    members: [...g.members.values()].map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      protocols: m.protocols,
      assignment: m.assignment,
    })),
  };
}

/** Persist the group as it stands (Kafka writes at generation boundaries and static replacement). */
export function persistClassic(ctx: Ctx, g: ClassicGroup): void {
  ctx.records.push({ type: 'classic-group', group: g.key, value: classicValue(g) });
}

/**
 * Rebuild a classic group from its record. Like Kafka, a loaded group with members is Stable at
 * its persisted generation (any rebalance in flight was lost with the old coordinator); members get
 * a fresh session deadline from the load time.
 */
export function classicFromValue(key: GroupKey, v: ClassicGroupValue, now: Millis): ClassicGroup {
  const g = newClassicGroup(key);
  g.protocolType = v.protocolType.length > 0 ? v.protocolType : null;
  g.generation = v.generation;
  g.protocolName = v.protocolName;
  g.leader = v.leader;
  g.emptySince = v.emptySince >= 0 ? v.emptySince : undefined;
  for (const m of v.members) {
    g.members.set(m.memberId, {
      ...m,
      protocols: [...m.protocols],
      awaitingJoin: null,
      awaitingSync: null,
      isNew: false,
      sessionDeadline: now + m.sessionTimeoutMs,
    });
    if (m.instanceId !== null) g.staticMembers.set(m.instanceId, m.memberId);
  }
  g.state = g.members.size === 0 ? 'Empty' : 'Stable';
  return g;
}

export function joinError(errorCode: ErrorCode, memberId = UNKNOWN_MEMBER_ID): JoinGroupResponse {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

/** The join answer for the current generation; only the leader receives the member list. */
export function joinResponse(g: ClassicGroup, memberId: string, opts: { skipAssignment: boolean }): JoinGroupResponse {
  const isLeader = g.leader === memberId;
  return {
    errorCode: ErrorCode.NONE,
    generationId: g.generation,
    protocolType: g.protocolType,
    protocolName: g.protocolName,
    leader: g.leader ?? '',
    skipAssignment: opts.skipAssignment,
    memberId,
    members: isLeader
      ? [...g.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.instanceId,
          metadata: memberMetadata(m, g.protocolName),
        }))
      : [],
  };
}

export function maxRebalanceTimeout(g: ClassicGroup): number {
  let max = 0;
  for (const m of g.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
  return max;
}

/**
 * ConsumerProtocolSubscription (any version) starts with int16 version and an array of topic
 * names; that prefix is all OffsetDelete needs to know what a classic "consumer" group reads.
 * Returns undefined when the bytes are not a subscription.
 */
export function subscribedTopicsOf(metadata: Uint8Array): string[] | undefined {
  try {
    const b = Buffer.from(metadata.buffer, metadata.byteOffset, metadata.byteLength);
    let pos = 2;
    const n = b.readInt32BE(pos);
    pos += 4;
    if (n < 0 || n > b.length) return undefined;
    const topics: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = b.readInt16BE(pos);
      pos += 2;
      if (len < 0 || pos + len > b.length) return undefined;
      topics.push(b.toString('utf8', pos, pos + len));
      pos += len;
    }
    return topics;
  } catch {
    return undefined;
  }
}

/** Topics a classic "consumer" group subscribes to, or undefined when unknown. */
export function classicSubscribedTopics(g: ClassicGroup): Set<string> | undefined {
  if (g.protocolType !== 'consumer' || g.protocolName === null) return undefined;
  const out = new Set<string>();
  for (const m of g.members.values()) {
    const ts = subscribedTopicsOf(memberMetadata(m, g.protocolName));
    if (!ts) return undefined;
    for (const t of ts) out.add(t);
  }
  return out;
}
