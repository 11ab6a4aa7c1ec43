// Node membership, partition assignments and producer-id blocks.
import { metadataV1 } from '@stratus/contracts';
import { cellId, fail } from '@stratus/metadata-model';
import { versioned, type MetadataStore, type TopicPartitions } from '@stratus/metadata-store';
import { kafkaError, kindOfRole, NONE, nodeToProto, partitionToProto, topicIdFromBytes } from '../convert';
import { BadRequest, orThrow, unary } from '../rpc';

export function nodeHandlers(store: MetadataStore) {
  return {
    registerNode: unary(async (req: metadataV1.RegisterNodeRequest): Promise<metadataV1.RegisterNodeResponse> => {
      const node = req.node;
      const kind = node ? kindOfRole(node.role) : undefined;
      if (!node || !kind) throw new BadRequest('node with a router, broker, replication or tiered-storage role is required');
      const ttlSeconds = Math.max(1, Math.ceil(Number(req.leaseTtlMs) / 1000));
      const reg = orThrow(
        await store.nodes.register({
          id: node.nodeId,
          kind,
          address: node.grpcAddress,
          az: node.placement?.availabilityZone ?? '',
          cell: cellId(node.placement?.cell ?? ''),
          ttlSeconds,
          // Stored with the registration so peers learn them from ListNodes and WatchNodes.
          kafkaListeners: req.kafkaListeners.map((l) => ({ name: l.name, host: l.host, port: l.port, securityProtocol: l.securityProtocol })),
          version: req.version,
        }),
      );
      return { registration: nodeToProto(reg, reg.generation) };
    }),
    heartbeat: unary(async (req: metadataV1.HeartbeatRequest): Promise<metadataV1.HeartbeatResponse> => {
      const r = await store.nodes.heartbeatGeneration({ id: req.nodeId, generation: req.generation });
      return r.ok ? { error: NONE, leaseRemainingMs: BigInt(r.value.ttlSeconds * 1000) } : { error: kafkaError(r.error), leaseRemainingMs: 0n };
    }),
    deregisterNode: unary(async (req: metadataV1.DeregisterNodeRequest): Promise<metadataV1.DeregisterNodeResponse> => {
      const found = await store.nodes.findById(req.nodeId);
      if (!found || found.generation !== req.generation) orThrow(fail('RESOURCE_NOT_FOUND', `No live registration ${req.nodeId} with generation ${req.generation}`));
      if (found) orThrow(await store.nodes.deregister({ kind: found.kind, id: found.id, leaseId: found.leaseId }));
      return {};
    }),
    listNodes: unary(async (req: metadataV1.ListNodesRequest): Promise<metadataV1.ListNodesResponse> => {
      const kind = req.role === 0 ? undefined : kindOfRole(req.role);
      if (req.role !== 0 && !kind) return { nodes: [], revision: 0n };
      const range = await store.kv.range(store.keys.nodes(kind));
      const nodes = (await store.nodes.list(kind)).filter((n) => !req.cell || n.cell === req.cell);
      return { nodes: nodes.map((n) => nodeToProto(n, n.generation)), revision: range.revision };
    }),
    getPartitionAssignments: unary(async (req: metadataV1.GetPartitionAssignmentsRequest): Promise<metadataV1.GetPartitionAssignmentsResponse> => {
      const sel = req.selector;
      if (!sel) throw new BadRequest('a selector is required');
      const range = await store.kv.range(store.keys.partitions());
      const docs = range.entries.map((e) => versioned<TopicPartitions>(e));
      const wantedTopics = sel.$case === 'topics' ? new Set(sel.value.topicIds.map((t) => topicIdFromBytes(t.value))) : undefined;
      const wantedParts = sel.$case === 'partitions' ? new Set(sel.value.partitions.map((p) => `${topicIdFromBytes(p.topicId?.value)}/${p.partition}`)) : undefined;
      const assignments: metadataV1.PartitionAssignment[] = [];
      for (const d of docs) {
        for (const p of d.value.partitions) {
          const keep =
            (wantedTopics?.has(d.value.topicId) ?? false) ||
            (wantedParts?.has(`${d.value.topicId}/${p.index}`) ?? false) ||
            (sel.$case === 'leaderNodeId' && p.leader === sel.value) ||
            (sel.$case === 'replicaNodeId' && (p.replicas as readonly string[]).includes(sel.value));
          if (keep) assignments.push(partitionToProto(d.value.tenantId, d.value.topicId, p, d.modRevision));
        }
      }
      return { assignments, revision: range.revision };
    }),
    allocateProducerIds: unary(async (req: metadataV1.AllocateProducerIdsRequest): Promise<metadataV1.AllocateProducerIdsResponse> => {
      const node = await store.nodes.findById(req.nodeId);
      // Only a live broker incarnation may take ids (a zombie must not burn the id space).
      if (!node || node.kind !== 'broker' || node.generation !== req.generation) {
        orThrow(fail('RESOURCE_NOT_FOUND', `No live broker ${req.nodeId} with generation ${req.generation}`));
      }
      const block = orThrow(await store.producerIds.allocate(req.count > 0 ? req.count : undefined));
      return { firstProducerId: block.start, count: block.size };
    }),
  };
}
