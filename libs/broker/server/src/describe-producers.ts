// DescribeProducers (KIP-664) for partitions this broker leads: each leader's producer state, as
// the partition's leader holds it (rebuilt from the log tail on failover, so it survives leader
// changes). Partitions this broker does not lead answer NOT_LEADER_OR_FOLLOWER (with where the
// leader went when known); another tenant's partition is UNKNOWN_TOPIC_OR_PARTITION, as missing.
import type { brokerV1 } from '@stratus/contracts';
import { NO_ERROR, resolvePartition, type PartitionAccess } from './partition-access';

export function handleDescribeProducers(access: PartitionAccess, request: brokerV1.DescribeProducersRequest): brokerV1.DescribeProducersResponse {
  const tenantId = request.header?.tenantId?.value ?? '';
  const partitions = request.partitions.map((ref): brokerV1.DescribeProducersPartitionResponse => {
    const resolved = resolvePartition(access, tenantId, ref);
    if (!resolved.ok) return { partition: ref, error: resolved.error, activeProducers: [], currentLeader: resolved.currentLeader };
    const described = resolved.leader.describeProducers();
    if (!described.ok) return { partition: ref, error: { code: described.error.code, message: described.error.message }, activeProducers: [], currentLeader: undefined };
    return {
      partition: ref,
      error: NO_ERROR,
      activeProducers: described.value.map((p) => ({
        producerId: p.producerId,
        producerEpoch: p.producerEpoch,
        lastSequence: p.lastSequence,
        lastTimestamp: p.lastTimestamp,
        coordinatorEpoch: p.coordinatorEpoch,
        currentTxnStartOffset: p.currentTxnStartOffset,
      })),
      currentLeader: undefined,
    };
  });
  return { partitions };
}
