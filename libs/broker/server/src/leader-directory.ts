// What other parts of the broker (the produce/fetch service, the group coordinator looking for
// the offsets-topic partitions it leads) may ask about leadership on this broker.
import type { EpochStart, PartitionLeader } from '@stratus/broker-partition';
import type { commonV1 } from '@stratus/contracts';
import type { LeaderInfo, PartitionKey } from './types';

export type LeadershipChange =
  /** This broker serves the partition from now on (recovery finished). */
  | { readonly kind: 'serving'; readonly key: PartitionKey; readonly partition: commonV1.PartitionRef; readonly epoch: number; readonly leader: PartitionLeader }
  /** This broker stopped serving it: reassigned, new epoch, lease lost, fenced or shut down. */
  | { readonly kind: 'stopped'; readonly key: PartitionKey; readonly partition: commonV1.PartitionRef; readonly epoch: number; readonly reason: string };

export interface LeaderDirectory {
  /** The serving leader of a partition on this broker, if any. */
  get(partition: commonV1.PartitionRef): PartitionLeader | undefined;
  /** The leader epoch history of a partition this broker serves (KIP-101), oldest first. */
  epochHistory(partition: commonV1.PartitionRef): readonly EpochStart[] | undefined;
  /** The assignment as last seen in metadata, for NOT_LEADER_OR_FOLLOWER hints (KIP-951). */
  leaderInfo(partition: commonV1.PartitionRef): LeaderInfo | undefined;
  /** Every partition this broker serves now. */
  served(): readonly { readonly partition: commonV1.PartitionRef; readonly leader: PartitionLeader }[];
  /** Told of every start and stop; returns the unsubscribe function. */
  onLeadershipChange(listener: (change: LeadershipChange) => void): () => void;
  /**
   * Told when something a fetch waits for may have happened on the partition: a replica answered
   * an Append (the high watermark may have moved) or leadership changed. Returns unsubscribe.
   */
  onActivity(partition: commonV1.PartitionRef, listener: () => void): () => void;
}
