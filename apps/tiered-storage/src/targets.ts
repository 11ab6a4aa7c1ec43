// Which partitions to tier and from where, derived from the metadata watches: every assigned
// partition of an ACTIVE topic, with its replica set ordered by preference (live replication
// nodes in this node's AZ first, so the segment bytes do not cross AZs — cross-AZ transfer is
// billed — then the others in replica-set order) and the topic's retention settings.
import { createHash } from 'node:crypto';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { topicIdHex } from '@stratus/metadata-client';
import type { RetentionPolicy, SegmentAddress } from '@stratus/tiered-uploader';

export interface PartitionTarget {
  /** `${topicIdHex}/${partition}`: one upload at a time per key. */
  readonly key: string;
  readonly address: SegmentAddress;
  /** gRPC addresses of live replicas, most preferred first (may be empty). */
  readonly replicas: readonly string[];
  readonly retention: RetentionPolicy;
}

export interface TargetSources {
  readonly partitions: Iterable<metadataV1.PartitionAssignment>;
  /** Live registrations (any role; only REPLICATION nodes are used). */
  readonly nodes: { get(nodeId: string): metadataV1.NodeRegistration | undefined };
  readonly topics: { get(topicIdHex: string): metadataV1.Topic | undefined };
  /** This node's availability zone. */
  readonly az: string;
}

/** Kafka's defaults (retention.ms one week, retention.bytes unlimited) when a topic does not override them. */
export const DEFAULT_RETENTION: RetentionPolicy = { retentionMs: 604_800_000, retentionBytes: -1 };

/** A topic config value as a limit; a missing or unreadable value keeps the default (never deletes more). */
function limitOf(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return fallback;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= -1 ? n : fallback;
}

export function retentionOf(topic: metadataV1.Topic): RetentionPolicy {
  return {
    retentionMs: limitOf(topic.configs['retention.ms'], DEFAULT_RETENTION.retentionMs),
    retentionBytes: limitOf(topic.configs['retention.bytes'], DEFAULT_RETENTION.retentionBytes),
  };
}

export function buildTargets(sources: TargetSources): PartitionTarget[] {
  const targets: PartitionTarget[] = [];
  for (const assignment of sources.partitions) {
    const topicId = assignment.partition?.topicId?.value;
    const tenantId = assignment.tenantId?.value;
    if (!topicId || topicId.length !== 16 || !tenantId) continue;
    const hex = topicIdHex(topicId);
    const topic = sources.topics.get(hex);
    // Unknown topic (watch not caught up) or one being deleted: tiering it would race the deletion.
    if (!topic || topic.state !== metadataV1.TopicState.ACTIVE) continue;
    const partition = assignment.partition?.partition ?? 0;
    const same: string[] = [];
    const other: string[] = [];
    for (const nodeId of assignment.replicaNodeIds) {
      const node = sources.nodes.get(nodeId)?.node;
      if (!node?.grpcAddress || node.role !== commonV1.NodeRole.REPLICATION) continue;
      (node.placement?.availabilityZone === sources.az ? same : other).push(node.grpcAddress);
    }
    targets.push({ key: `${hex}/${partition}`, address: { tenantId, topicId, partition }, replicas: [...same, ...other], retention: retentionOf(topic) });
  }
  return targets.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Which live tiered-storage node uploads a partition: rendezvous hashing over the node ids, so
 * every node computes the same owner from the same membership view and a node joining or leaving
 * moves only its own share. This keeps one writer per partition in steady state (what S3 servers
 * without conditional writes need); it is not a fence — while views differ for a moment two nodes
 * may both pass over a partition, which the idempotent manifest and content-named objects absorb.
 */
export function ownerOf(partitionKey: string, liveNodeIds: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = '';
  for (const id of liveNodeIds) {
    const score = createHash('sha256').update(`${id}\0${partitionKey}`).digest('hex');
    if (best === undefined || score > bestScore || (score === bestScore && id < best)) {
      best = id;
      bestScore = score;
    }
  }
  return best;
}
