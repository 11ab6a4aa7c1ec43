// OffsetCommit / TxnOffsetCommit / OffsetFetch / OffsetDelete validation against group state.
import { ErrorCode } from '@stratus/kafka-errors';
import { classicSubscribedTopics, newClassicGroup } from './classic/classic-group';
import { validateMember } from './classic/join';
import { scheduleSession } from './classic/rebalance';
import type { Ctx, Group } from './state';
import type { GroupKey } from './types';
import { writeOffsets, type OffsetCommitResponse, type OffsetCommitTopic, type OffsetStore } from './offsets';

export interface OffsetCommitRequest {
  /** Classic: generation id; consumer groups: member epoch (KIP-848); -1 for admin/simple commits. */
  readonly generationIdOrMemberEpoch: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** v2–v4 retention_time_ms; -1 = broker default. */
  readonly retentionTimeMs: number;
  readonly topics: readonly OffsetCommitTopic[];
  /** OffsetCommit v9+ answers GROUP_ID_NOT_FOUND for a missing group; older versions ILLEGAL_GENERATION. */
  readonly apiVersion?: number;
}

export interface GroupsAndOffsets {
  readonly groups: Map<GroupKey, Group>;
  readonly offsets: OffsetStore;
}

const allPartitions = (topics: readonly OffsetCommitTopic[], errorCode: ErrorCode): OffsetCommitResponse => ({
  topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
});

/** Member/generation checks of OffsetCommit; NONE when the commit may proceed. */
function validateCommit(ctx: Ctx, s: GroupsAndOffsets, key: GroupKey, req: OffsetCommitRequest, opts: { transactional: boolean }): ErrorCode {
  const g = s.groups.get(key);
  if (!g) {
    // A group that does not exist only accepts commits without a generation (admin tools,
    // consumers with manual assignment); those create an empty "simple" group.
    if (req.generationIdOrMemberEpoch >= 0) {
      return !opts.transactional && (req.apiVersion ?? 0) >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION;
    }
    s.groups.set(key, newClassicGroup(key));
    return ErrorCode.NONE;
  }
  if (g.kind === 'classic') {
    if (g.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (req.generationIdOrMemberEpoch >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
      const err = validateMember(g, req.memberId, req.groupInstanceId);
      if (err !== ErrorCode.NONE) return err;
      // Between JoinGroup and SyncGroup the member does not know its assignment yet; a commit
      // then would be for partitions it may no longer own.
      if (!opts.transactional && g.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
      if (req.generationIdOrMemberEpoch !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
      // A commit keeps a classic member's session alive while the group is Stable or rebalancing.
      const m = g.members.get(req.memberId);
      if (m && (g.state === 'Stable' || g.state === 'PreparingRebalance')) scheduleSession(ctx, m);
      return ErrorCode.NONE;
    }
    if (!opts.transactional && g.state !== 'Empty') return ErrorCode.UNKNOWN_MEMBER_ID;
    return ErrorCode.NONE;
  }
  // KIP-848: admin commits only into an empty group; members commit with their current epoch.
  if (req.generationIdOrMemberEpoch < 0 && g.members.size === 0) return ErrorCode.NONE;
  const m = g.members.get(req.memberId);
  if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (req.generationIdOrMemberEpoch > m.memberEpoch) return ErrorCode.FENCED_MEMBER_EPOCH;
  // TxnOffsetCommit has no STALE_MEMBER_EPOCH in its error set; transactional producers see ILLEGAL_GENERATION.
  if (req.generationIdOrMemberEpoch < m.memberEpoch) return opts.transactional ? ErrorCode.ILLEGAL_GENERATION : ErrorCode.STALE_MEMBER_EPOCH;
  return ErrorCode.NONE;
}

export function offsetCommit(ctx: Ctx, s: GroupsAndOffsets, key: GroupKey, req: OffsetCommitRequest): OffsetCommitResponse {
  const err = validateCommit(ctx, s, key, req, { transactional: false });
  if (err !== ErrorCode.NONE) return allPartitions(req.topics, err);
  return writeOffsets(ctx, s.offsets, key, req.topics, { retentionTimeMs: req.retentionTimeMs });
}

export interface TxnOffsetCommitRequest extends Omit<OffsetCommitRequest, 'retentionTimeMs'> {
  readonly producerId: bigint;
}

/**
 * Stages offsets of a transaction (KIP-447 fields); they become visible when the transaction
 * completes. The transaction coordinator side (markers) is not wired yet.
 */
export function txnOffsetCommit(ctx: Ctx, s: GroupsAndOffsets, key: GroupKey, req: TxnOffsetCommitRequest): OffsetCommitResponse {
  const err = validateCommit(ctx, s, key, { ...req, retentionTimeMs: -1 }, { transactional: true });
  if (err !== ErrorCode.NONE) return allPartitions(req.topics, err);
  return writeOffsets(ctx, s.offsets, key, req.topics, { retentionTimeMs: -1, producerId: req.producerId });
}

/** Optional KIP-848 member check on OffsetFetch v9+ (member id + epoch). */
export function validateFetchMember(g: Group | undefined, member: { memberId: string; memberEpoch: number } | undefined): ErrorCode {
  if (!member || !g || g.kind !== 'consumer') return ErrorCode.NONE;
  const m = g.members.get(member.memberId);
  if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (member.memberEpoch !== m.memberEpoch) return ErrorCode.STALE_MEMBER_EPOCH;
  return ErrorCode.NONE;
}

export interface OffsetDeleteResponse {
  readonly errorCode: ErrorCode;
  readonly topics: readonly { name: string; partitions: readonly { partitionIndex: number; errorCode: ErrorCode }[] }[];
}

/** KIP-496: offsets may go unless the group is actively consuming the topic. */
export function offsetDelete(
  ctx: Ctx,
  s: GroupsAndOffsets,
  key: GroupKey,
  topics: readonly { name: string; partitions: readonly number[] }[],
): OffsetDeleteResponse {
  const g = s.groups.get(key);
  if (!g || (g.kind === 'classic' && g.state === 'Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
  let subscribed: (topic: string) => boolean = () => false;
  if (g.kind === 'classic' && g.state !== 'Empty') {
    if (g.protocolType !== 'consumer') return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };
    const known = classicSubscribedTopics(g);
    subscribed = (t) => (known ? known.has(t) : true);
  } else if (g.kind === 'consumer') {
    const names = consumerSubscribedNames(g);
    subscribed = (t) => names.has(t);
  }
  return {
    errorCode: ErrorCode.NONE,
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (subscribed(t.name)) return { partitionIndex: p, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
        if (s.offsets.get(key, t.name, p)) {
          s.offsets.put(key, t.name, p, null);
          ctx.records.push({ type: 'offset', group: key, topic: t.name, partition: p, value: null });
        }
        return { partitionIndex: p, errorCode: ErrorCode.NONE };
      }),
    })),
  };
}

/** Topic names a KIP-848 group reads: explicit names (existing or not) plus regex matches. */
export function consumerSubscribedNames(g: Extract<Group, { kind: 'consumer' }>): Set<string> {
  const names = new Set<string>();
  for (const m of g.members.values()) {
    for (const n of m.subscribedTopicNames) names.add(n);
    if (m.subscribedTopicRegex !== null) for (const n of g.regexes.get(m.subscribedTopicRegex) ?? []) names.add(n);
  }
  return names;
}
