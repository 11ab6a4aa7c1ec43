// Consumer group leave (epoch -1 / -2), timer expiry and ConsumerGroupDescribe.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ConsumerGroup, ConsumerMember, Ctx } from '../state';
import type { Millis, TopicId } from '../types';
import { consumerGroupState, persistCurrent } from './consumer-group';
import {
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  heartbeatError,
  removeConsumerMember,
  staticMember,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
} from './heartbeat';
import { groupAssignor } from './target';

export function consumerLeave(ctx: Ctx, g: ConsumerGroup | undefined, req: ConsumerGroupHeartbeatRequest): ConsumerGroupHeartbeatResponse {
  if (!g) return heartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, 'The group does not exist.', req.memberId);
  let m: ConsumerMember | undefined;
  if (req.instanceId !== null) {
    m = staticMember(g, req.instanceId);
    if (!m) return heartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${req.instanceId} is unknown.`, req.memberId);
    if (m.memberId !== req.memberId) return heartbeatError(ErrorCode.FENCED_INSTANCE_ID, `Instance id ${req.instanceId} belongs to another member.`, req.memberId);
  } else {
    m = g.members.get(req.memberId);
    if (!m) return heartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${req.memberId} is not a member of the group.`, req.memberId);
  }
  const done = (memberEpoch: number): ConsumerGroupHeartbeatResponse => ({
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    memberId: req.memberId,
    memberEpoch,
    heartbeatIntervalMs: 0,
    assignment: null,
  });
  if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    // A static member going away for a restart keeps its partitions (nobody else gets them) until
    // its session times out or its replacement arrives with the same instance id.
    if (m.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      m.previousMemberEpoch = m.memberEpoch;
      m.memberEpoch = LEAVE_GROUP_STATIC_MEMBER_EPOCH;
      persistCurrent(ctx, g, m);
    }
    return done(LEAVE_GROUP_STATIC_MEMBER_EPOCH);
  }
  removeConsumerMember(ctx, g, m);
  return done(LEAVE_GROUP_MEMBER_EPOCH);
}

export function consumerNextDeadline(g: ConsumerGroup): Millis | undefined {
  let next: Millis | undefined;
  for (const m of g.members.values()) {
    for (const t of [m.sessionDeadline, m.revocationDeadline]) if (t !== undefined && (next === undefined || t < next)) next = t;
  }
  return next;
}

/** Session timeout, or a revocation not confirmed within the rebalance timeout: the member is fenced. */
export function consumerTick(ctx: Ctx, g: ConsumerGroup): void {
  for (const m of [...g.members.values()]) {
    const expired = m.sessionDeadline <= ctx.now || (m.revocationDeadline !== undefined && m.revocationDeadline <= ctx.now);
    if (expired) removeConsumerMember(ctx, g, m);
  }
}

export interface DescribedConsumerMember {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly memberEpoch: number;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: readonly string[];
  readonly subscribedTopicRegex: string | null;
  readonly assignment: DescribedPartitions;
  readonly targetAssignment: DescribedPartitions;
  /** v1 MemberType: 1 = consumer protocol (classic members in consumer groups are not supported yet). */
  readonly memberType: number;
}
export type DescribedPartitions = readonly { topicId: TopicId; topicName: string; partitions: readonly number[] }[];

export interface DescribedConsumerGroup {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly groupState: string;
  readonly groupEpoch: number;
  readonly assignmentEpoch: number;
  readonly assignorName: string;
  readonly members: readonly DescribedConsumerMember[];
}

export function describeConsumerGroup(ctx: Ctx, g: ConsumerGroup): DescribedConsumerGroup {
  const names = new Map<TopicId, string>([...g.subscriptionTopics.values()].map((t) => [t.id, t.name]));
  const parts = (a: ReadonlyMap<TopicId, readonly number[]>): DescribedPartitions =>
    [...a.entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([topicId, ps]) => ({ topicId, topicName: names.get(topicId) ?? '', partitions: [...ps] }));
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    groupState: consumerGroupState(g),
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    assignorName: groupAssignor(ctx, g).name,
    members: [...g.members.values()]
      .sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
      .map((m) => ({
        memberId: m.memberId,
        instanceId: m.instanceId,
        rackId: m.rackId,
        memberEpoch: m.memberEpoch,
        clientId: m.clientId,
        clientHost: m.clientHost,
        subscribedTopicNames: [...m.subscribedTopicNames],
        subscribedTopicRegex: m.subscribedTopicRegex,
        assignment: parts(m.assigned),
        targetAssignment: parts(g.target.get(m.memberId) ?? new Map()),
        memberType: 1,
      })),
  };
}
