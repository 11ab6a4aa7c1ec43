// The shapes the broker server works with, independent of how they reach it: the app feeds them
// from the metadata watches (WatchPartitions, WatchTopics, RegisterNode), tests feed them directly.
import type { commonV1 } from '@stratus/contracts';
import type { ReplicaPort } from '@stratus/broker-partition';

/** `${topicIdHex}/${partition}`: how partitions are keyed everywhere in this library. */
export type PartitionKey = string & { readonly __brand: 'PartitionKey' };

export function partitionKeyOf(ref: commonV1.PartitionRef | undefined): PartitionKey {
  const id = ref?.topicId?.value;
  const hex = id ? Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex') : '';
  return `${hex}/${ref?.partition ?? -1}` as PartitionKey;
}

export function topicHexOf(ref: commonV1.PartitionRef | undefined): string {
  const id = ref?.topicId?.value;
  return id ? Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex') : '';
}

/** One partition's assignment as the controller wrote it (metadataV1.PartitionAssignment). */
export interface Assignment {
  readonly partition: commonV1.PartitionRef;
  readonly tenantId: string;
  /** Empty while the partition is offline. */
  readonly leaderNodeId: string;
  readonly leaderEpoch: number;
  readonly leaderGeneration: bigint;
  readonly replicaNodeIds: readonly string[];
}

/** The topic facts the broker needs: ownership, partition count and the configs it enforces. */
export interface TopicView {
  readonly tenantId: string;
  readonly partitionCount: number;
  /** Non-default Kafka topic configs (max.message.bytes, min.insync.replicas, message.timestamp.type). */
  readonly configs: Readonly<Record<string, string>>;
}

/** Looks a topic up by its id as lowercase hex; undefined when unknown (or deleted). */
export type TopicLookup = (topicIdHex: string) => TopicView | undefined;

/**
 * Builds the port a leader uses to reach one replica of one partition. The app backs it with the
 * gRPC ReplicationClientPool; unit tests with MemoryReplica.
 */
export type ReplicaPortFactory = (replicationNodeId: string, partition: commonV1.PartitionRef) => ReplicaPort;

/** What a broker tells callers about a partition it does not (or no longer) lead (KIP-951). */
export interface LeaderInfo {
  readonly leaderNodeId: string;
  readonly leaderEpoch: number;
  readonly tenantId: string;
}
