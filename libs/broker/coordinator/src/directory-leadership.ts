// OffsetsLeadership over the broker's LeaderDirectory (@stratus/broker-server): the offsets-topic
// partitions this broker serves, each as an OffsetsLog over its PartitionLeader.
import type { PartitionLeader } from '@stratus/broker-partition';
import type { LeaderDirectory } from '@stratus/broker-server';
import type { commonV1 } from '@stratus/contracts';
import type { OffsetsLog } from './offsets-log';
import { PartitionLeaderOffsetsLog } from './partition-leader-log';
import type { OffsetsLeadership } from './runtime';

const sameTopic = (ref: commonV1.PartitionRef | undefined, topicId: Buffer): boolean => {
  const id = ref?.topicId?.value;
  return id !== undefined && Buffer.from(id).equals(topicId);
};

/**
 * Follows the directory for the offsets topic `offsetsTopicId` (16 bytes). A log is created once
 * per PartitionLeader, so the runtime sees the same log again for the same leadership and a new
 * one (and reloads) for a new epoch.
 */
export function offsetsLeadershipFrom(directory: LeaderDirectory, offsetsTopicId: Buffer): OffsetsLeadership {
  const logs = new WeakMap<PartitionLeader, OffsetsLog>();
  const logOf = (leader: PartitionLeader): OffsetsLog => {
    let log = logs.get(leader);
    if (!log) logs.set(leader, (log = new PartitionLeaderOffsetsLog(leader)));
    return log;
  };
  return {
    current() {
      const led = new Map<number, OffsetsLog>();
      for (const s of directory.served()) if (sameTopic(s.partition, offsetsTopicId)) led.set(s.partition.partition, logOf(s.leader));
      return led;
    },
    onChange(listener) {
      return directory.onLeadershipChange((change) => {
        if (!sameTopic(change.partition, offsetsTopicId)) return;
        listener(change.partition.partition, change.kind === 'serving' ? logOf(change.leader) : undefined);
      });
    },
  };
}
