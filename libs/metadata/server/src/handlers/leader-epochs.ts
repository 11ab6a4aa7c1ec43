// BumpLeaderEpoch: a live leader broker whose recovery failed asks for a fresh epoch. The rule
// behind it (design/replication-protocol.md): a retry must never reuse an epoch, because replicas
// may have promised it to an attempt whose writes are unknown. The write is one etcd transaction
// that compares the topic's partition document and the leader's registration on their
// revisions, so it can neither go backwards nor hand leadership back to a zombie incarnation.
import { ErrorCode } from '@stratus/kafka-errors';
import type { commonV1, metadataV1 } from '@stratus/contracts';
import { nextEpoch } from '@stratus/metadata-model';
import { encode, versioned, type MetadataStore, type TopicPartitions } from '@stratus/metadata-store';
import { NONE, partitionToProto, topicIdFromBytes } from '../convert';
import { BadRequest, unary } from '../rpc';

/** A few rounds against concurrent controller writes to the same document. */
const MAX_ATTEMPTS = 5;

function refused(code: number, message: string): metadataV1.BumpLeaderEpochResponse {
  const error: commonV1.KafkaError = { code, message };
  return { error, assignment: undefined };
}

export function leaderEpochHandlers(store: MetadataStore) {
  return {
    bumpLeaderEpoch: unary(async (req: metadataV1.BumpLeaderEpochRequest): Promise<metadataV1.BumpLeaderEpochResponse> => {
      const topicId = topicIdFromBytes(req.partition?.topicId?.value);
      const index = req.partition?.partition ?? -1;
      if (!req.partition || index < 0 || !req.nodeId) throw new BadRequest('partition and node_id are required');
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const node = await store.nodes.findById(req.nodeId);
        if (!node || node.kind !== 'broker' || node.generation !== req.generation) {
          return refused(ErrorCode.NOT_LEADER_OR_FOLLOWER, `${req.nodeId} generation ${req.generation} is not a live broker`);
        }
        const range = await store.kv.range(store.keys.partitions());
        const entry = range.entries.find((e) => versioned<TopicPartitions>(e).value.topicId === topicId);
        const doc = entry ? versioned<TopicPartitions>(entry) : undefined;
        const current = doc?.value.partitions.find((p) => p.index === index);
        if (!doc || !current) return refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `no partition ${topicId}/${index}`);
        if (current.leader !== req.nodeId || current.leaderGeneration !== req.generation) {
          return refused(ErrorCode.NOT_LEADER_OR_FOLLOWER, `partition ${topicId}/${index} is led by ${current.leader ?? 'nobody'} now`);
        }
        // Already past the failed epoch (a retried request, or the controller moved it): no new bump.
        if (current.leaderEpoch > req.leaderEpoch) return { error: NONE, assignment: partitionToProto(doc.value.tenantId, doc.value.topicId, current, doc.modRevision) };
        const bumped = { ...current, leaderEpoch: nextEpoch(current.leaderEpoch) };
        const docKey = store.keys.topicPartitions(doc.value.tenantId, doc.value.topicId);
        const result = await store.kv.txn(
          [
            { key: docKey, target: 'modRevision', op: '==', value: doc.modRevision },
            { key: store.keys.node('broker', node.id), target: 'createRevision', op: '==', value: node.generation },
          ],
          [{ type: 'put', key: docKey, value: encode({ ...doc.value, partitions: doc.value.partitions.map((p) => (p.index === index ? bumped : p)) }) }],
        );
        if (result.succeeded) return { error: NONE, assignment: partitionToProto(doc.value.tenantId, doc.value.topicId, bumped, result.revision) };
      }
      return refused(ErrorCode.REQUEST_TIMED_OUT, `partition ${topicId}/${index} kept changing; retry`);
    }),
  };
}
