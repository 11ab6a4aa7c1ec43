// @stratus/broker-server: the broker's serving layer (issue 6): leadership of assigned partitions
// (LeadershipManager, LeaderDirectory) and brokerV1.BrokerService over the partition leaders.
export { partitionKeyOf, topicHexOf, type Assignment, type LeaderInfo, type PartitionKey, type ReplicaPortFactory, type TopicLookup, type TopicView } from './types';
export type { LeaderDirectory, LeadershipChange } from './leader-directory';
export { LeadershipManager, type LeadershipManagerOptions, type Log } from './leadership-manager';
export { leaderSettings, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MIN_INSYNC_REPLICAS, type LeaderSettings } from './topic-settings';
export { endOffsetFor, epochAt, type EpochEnd } from './epoch-lookup';
export { ProducerIdAllocator, type ProducerIdAllocatorOptions, type ProducerIdBlock } from './producer-ids';
export { createBrokerService, type BrokerServiceOptions, type PassthroughHandler } from './broker-service';
export { pumpStream, type StreamPumpOptions, type StreamPumpStats } from './stream-pump';
export { SharedByteBudget } from './shared-budget';
export { replicaPreference, type ReadLocality, type ReplicaLocality } from './replica-locality';
export { assignmentOf, assignmentsOf, topicViewOf } from './metadata-adapters';
export { TierReadPath, logStartAcrossTiers, type LeaderStarts, type TierFetchOutcome, type TierPort, type TierReadPathOptions, type TierTimestampOutcome } from './tier-read';
export { TierTrims, type TierTrimOutcome, type TierTrimPort, type TierTrimsOptions } from './tier-trim';
