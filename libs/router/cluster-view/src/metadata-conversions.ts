// Metadata contract messages → the view's shapes.
import { metadataV1 } from '@stratus/contracts';
import type { BrokerEndpoint, PartitionView, RouterEndpoint, TopicView } from './cluster-view';

export function topicIdKey(topicId: Uint8Array): string {
  return Buffer.from(topicId.buffer, topicId.byteOffset, topicId.byteLength).toString('hex');
}

/** undefined for a topic clients must not see any more (being deleted) or a malformed record. */
export function toTopicView(t: metadataV1.Topic): TopicView | undefined {
  const id = t.topicId?.value;
  const tenantId = t.tenantId?.value;
  if (!id || id.length !== 16 || !tenantId || t.state === metadataV1.TopicState.DELETING) return undefined;
  return { tenantId, name: t.name, topicId: Buffer.from(id), partitionCount: t.partitionCount, internal: t.internal };
}

export function toPartitionView(p: metadataV1.PartitionAssignment): PartitionView | undefined {
  const id = p.partition?.topicId?.value;
  if (!id || id.length !== 16 || !p.partition) return undefined;
  return {
    topicId: Buffer.from(id),
    partition: p.partition.partition,
    leaderNodeId: p.leaderNodeId === '' ? undefined : p.leaderNodeId,
    leaderEpoch: p.leaderEpoch,
    replicaNodeIds: p.replicaNodeIds,
  };
}

export function toBrokerEndpoint(n: metadataV1.NodeRegistration): BrokerEndpoint | undefined {
  const node = n.node;
  if (!node || node.nodeId === '' || node.grpcAddress === '') return undefined;
  return { nodeId: node.nodeId, grpcAddress: node.grpcAddress, availabilityZone: node.placement?.availabilityZone ?? '' };
}

/**
 * A router registration as Kafka clients should see it, or undefined when it cannot be advertised:
 * no Kafka listener (named `listenerName`, or the first one when no name is configured), or the
 * router is draining (it is shutting down; new clients must not be sent to it).
 */
export function toRouterEndpoint(n: metadataV1.NodeRegistration, options: { listenerName?: string }): RouterEndpoint | undefined {
  const node = n.node;
  if (!node || node.nodeId === '' || n.health === metadataV1.NodeHealth.DRAINING) return undefined;
  const listener = options.listenerName ? n.kafkaListeners.find((l) => l.name === options.listenerName) : n.kafkaListeners[0];
  if (!listener || listener.host === '' || listener.port <= 0) return undefined;
  return { nodeId: node.nodeId, kafkaNodeId: n.kafkaNodeId, host: listener.host, port: listener.port, availabilityZone: node.placement?.availabilityZone ?? '' };
}
