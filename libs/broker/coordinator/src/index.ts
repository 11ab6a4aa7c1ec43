// @stratus/broker-coordinator: the broker's group coordinator runtime (issue 7): loads each
// offsets-topic partition it leads by replaying it into @stratus/broker-groups, serves the group
// APIs arriving as KafkaPassthrough, and drops the state when leadership moves. See docs/groups.md.
export type { OffsetsLog, OffsetsLogError, OffsetsLogRead, LogOutcome } from './offsets-log';
export { MemoryOffsetsLog } from './memory-offsets-log';
export { PartitionLeaderOffsetsLog } from './partition-leader-log';
export { batchOf, readAllRecords } from './records-io';
export { served, notServed, writeErrorToClient, type Served } from './served';
export { realTimers, type CoordinatorTimers } from './timers';
export { PartitionCoordinator } from './partition-coordinator';
export { CoordinatorRuntime, type CoordinatorEvents, type CoordinatorRuntimeOptions, type OffsetsLeadership } from './runtime';
export { offsetsLeadershipFrom } from './directory-leadership';
export { ensureOffsetsTopic, type AdminOutcome, type EnsureOffsetsTopicOptions, type OffsetsTopicAdmin, type OffsetsTopicInfo } from './offsets-topic';
export { grpcOffsetsTopicAdmin } from './grpc-offsets-topic-admin';
export { tenantTopicCatalog, uuidText, type WatchedTopic } from './topic-catalog';
export { startGroupCoordination, type GroupCoordination, type GroupCoordinationLog, type GroupCoordinationOptions } from './group-coordination';
export { passthroughHandler, GROUP_APIS, type PassthroughHandler } from './passthrough/handler';
export type { GroupApi, GroupApiContext } from './passthrough/api';
