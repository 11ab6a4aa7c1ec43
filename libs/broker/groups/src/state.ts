// In-memory group state shared by the classic and KIP-848 state machines. Fields marked
// "volatile" are not persisted: they are rebuilt (deadlines from the load time) or lost on
// failover, as in Kafka, where a rebalance in flight does not survive a coordinator move.
import type { ErrorCode } from '@stratus/kafka-errors';
import type { GroupRecordModel, MemberState } from './records/records';
import type { GroupConfig, GroupKey, Millis, TopicId, TopicInfo } from './types';

export type ClassicState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** Opaque handle the broker uses to match a deferred JoinGroup/SyncGroup answer to its request. */
export type ReplyToken = number;

export interface Protocol {
  readonly name: string;
  readonly metadata: Uint8Array;
}

export interface ClassicMember {
  memberId: string;
  instanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocols: Protocol[];
  assignment: Uint8Array;
  /** volatile: the parked JoinGroup of this member, answered when the join phase completes. */
  awaitingJoin: { token: ReplyToken; version: number } | null;
  /** volatile: the parked SyncGroup of this member, answered when the leader's assignment arrives. */
  awaitingSync: ReplyToken | null;
  /** volatile: joined during this rebalance and never completed one (shorter expiry, Kafka's "new member"). */
  isNew: boolean;
  /** volatile */
  sessionDeadline: Millis;
}

export interface ClassicGroup {
  readonly kind: 'classic';
  readonly key: GroupKey;
  state: ClassicState;
  protocolType: string | null;
  protocolName: string | null;
  generation: number;
  leader: string | null;
  members: Map<string, ClassicMember>;
  /** group.instance.id → member id (KIP-345). */
  staticMembers: Map<string, string>;
  /** volatile: KIP-394 member ids handed out with MEMBER_ID_REQUIRED → expiry. */
  pendingMembers: Map<string, Millis>;
  emptySince: Millis | undefined;
  /** volatile: when the join phase ends even if members are missing (rebalance timeout or initial delay). */
  joinDeadline: Millis | undefined;
  /** volatile: group.initial.rebalance.delay.ms bookkeeping while the first rebalance of an empty group waits. */
  initialDelay: { remainingMs: number; newMemberAdded: boolean } | undefined;
  /** volatile: members must SyncGroup within the rebalance timeout after the join phase. */
  syncDeadline: Millis | undefined;
}

export interface ConsumerMember {
  readonly memberId: string;
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  memberEpoch: number;
  previousMemberEpoch: number;
  state: MemberState;
  assigned: Map<TopicId, number[]>;
  pendingRevocation: Map<TopicId, number[]>;
  /** volatile */
  sessionDeadline: Millis;
  /** volatile: set while the member owes a revocation (KIP-848 rebalance timeout). */
  revocationDeadline: Millis | undefined;
}

export interface ConsumerGroup {
  readonly kind: 'consumer';
  readonly key: GroupKey;
  groupEpoch: number;
  assignmentEpoch: number;
  subscriptionTopics: Map<string, TopicInfo>;
  regexes: Map<string, string[]>;
  members: Map<string, ConsumerMember>;
  target: Map<string, Map<TopicId, number[]>>;
  /** Derived: `${topicId}:${partition}` → member holding it (assigned or pending revocation). */
  owners: Map<string, string>;
}

export type Group = ClassicGroup | ConsumerGroup;

/** Per-call scratch space: records to persist and parked replies that became ready. */
export interface Ctx {
  readonly now: Millis;
  readonly config: GroupConfig;
  readonly newId: () => string;
  readonly records: GroupRecordModel[];
  readonly joinReplies: { token: ReplyToken; response: JoinGroupResponse }[];
  readonly syncReplies: { token: ReplyToken; response: SyncGroupResponse }[];
}

export interface JoinGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Uint8Array;
}

export interface JoinGroupResponse {
  readonly errorCode: ErrorCode;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly skipAssignment: boolean;
  readonly memberId: string;
  readonly members: readonly JoinGroupMember[];
}

export interface SyncGroupResponse {
  readonly errorCode: ErrorCode;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Uint8Array;
}

export const ownerKey = (t: TopicId, p: number): string => `${t}:${p}`;
