// From the metadata contract's shapes (what the watches deliver) to this library's.
import { metadataV1 } from '@stratus/contracts';
import type { Assignment, TopicView } from './types';

/** undefined for an assignment without a partition reference (never sent by a correct server). */
export function assignmentOf(p: metadataV1.PartitionAssignment): Assignment | undefined {
  if (!p.partition?.topicId) return undefined;
  return {
    partition: p.partition,
    tenantId: p.tenantId?.value ?? '',
    leaderNodeId: p.leaderNodeId,
    leaderEpoch: p.leaderEpoch,
    leaderGeneration: p.leaderGeneration,
    replicaNodeIds: p.replicaNodeIds,
  };
}

export function assignmentsOf(values: Iterable<metadataV1.PartitionAssignment>): Assignment[] {
  const out: Assignment[] = [];
  for (const v of values) {
    const a = assignmentOf(v);
    if (a) out.push(a);
  }
  return out;
}

/** Topics being deleted are gone for clients (UNKNOWN_TOPIC_OR_PARTITION). */
export function topicViewOf(t: metadataV1.Topic | undefined): TopicView | undefined {
  if (!t || t.state === metadataV1.TopicState.DELETING) return undefined;
  return { tenantId: t.tenantId?.value ?? '', partitionCount: t.partitionCount, configs: t.configs };
}
