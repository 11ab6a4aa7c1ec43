// @stratus/broker-groups: the consumer-group coordinator of one offsets-topic partition (issue 7)
// as a deterministic library — classic protocol (JoinGroup/SyncGroup/Heartbeat/LeaveGroup with
// KIP-394 and KIP-345), the KIP-848 consumer protocol with server-side assignors, offsets,
// admin APIs and record replay. See docs/groups.md.
export {
  groupKey,
  topicId,
  topicCatalog,
  defaultGroupConfig,
  assignmentEquals,
  type GroupKey,
  type TopicId,
  type TopicInfo,
  type TopicCatalog,
  type Assignment,
  type GroupConfig,
  type GroupRecord,
  type Millis,
} from './types';
export { tenantGroupKey, splitGroupKey, inTenant } from './tenant';
export { GroupCoordinator, type CoordinatorOptions, type Effects, type Result } from './coordinator';
export type { JoinGroupRequest } from './classic/join';
export type { SyncGroupRequest, HeartbeatRequest, LeaveMember, LeaveGroupResponse } from './classic/sync-heartbeat-leave';
export type { ClassicState, JoinGroupResponse, JoinGroupMember, SyncGroupResponse, Protocol, ReplyToken } from './state';
export {
  LEAVE_GROUP_MEMBER_EPOCH,
  LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
  type TopicPartitions,
} from './consumer/heartbeat';
export type { DescribedConsumerGroup, DescribedConsumerMember, DescribedPartitions } from './consumer/leave-tick-describe';
export type { ConsumerGroupState } from './consumer/consumer-group';
export type { OffsetCommitRequest, TxnOffsetCommitRequest, OffsetDeleteResponse } from './offset-apis';
export type { OffsetCommitResponse, OffsetCommitTopic, OffsetCommitPartition, OffsetFetchGroupResult, OffsetFetchPartitionResult } from './offsets';
export type { DescribedGroup, DescribedGroupMember, ListedGroup, ListGroupsOptions } from './admin';
export { uniformAssignor } from './assignors/uniform';
export { rangeAssignor } from './assignors/range';
export type { Assignor, AssignorInput, AssignorMember, AssignorOutput } from './assignors/assignor';
export { encodeRecord, decodeRecord, RecordType, type GroupRecordModel } from './records/records';
export { RecordFormatError } from './records/binary';
