// Produce, Fetch, ListOffsets, OffsetForLeaderEpoch, DeleteRecords, DescribeProducers and
// InitProducerId, with the operations Kafka's KafkaApis requires of each.
import type {
  DeleteRecordsRequest,
  DescribeProducersRequest,
  FetchRequest,
  InitProducerIdRequest,
  InitProducerIdResponse,
  ListOffsetsRequest,
  OffsetForLeaderEpochRequest,
  ProduceRequest,
} from '@stratus/kafka-messages';
import { ZERO_UUID } from '@stratus/kafka-protocol';
import { CLUSTER_DENIED, TOPIC_DENIED, TXN_DENIED, answer, appendTo, clusterAllowed, pass, split, type AccessCheck, type RuleOutcome } from './rule';

function topicNameOf(check: AccessCheck, t: { name?: string; topic?: string; topicId?: string }): string | undefined {
  const name = t.name ?? t.topic;
  if (name !== undefined && name !== '') return name;
  return t.topicId !== undefined && t.topicId !== ZERO_UUID ? check.topicNameById(t.topicId) : undefined;
}

/** Topics the check allows; a topic id we cannot name passes on (the handler answers UNKNOWN_TOPIC_ID). */
function topicAllowed(check: AccessCheck, operation: 'WRITE' | 'READ' | 'DESCRIBE' | 'DELETE') {
  return (t: { name?: string; topic?: string; topicId?: string }) => {
    const name = topicNameOf(check, t);
    return name === undefined || check.allowed(operation, 'TOPIC', name);
  };
}

/** Produce: WRITE on the transactional id (if any) for everything, then WRITE per topic. */
export function produceRule(request: ProduceRequest, check: AccessCheck): RuleOutcome {
  const txnDenied = request.transactionalId !== null && request.transactionalId !== undefined && !check.allowed('WRITE', 'TRANSACTIONAL_ID', request.transactionalId);
  const { kept, denied } = txnDenied ? { kept: [], denied: request.topicData } : split(request.topicData, topicAllowed(check, 'WRITE'));
  const code = txnDenied ? TXN_DENIED : TOPIC_DENIED;
  const errors = denied.map((t) => ({
    name: t.name,
    topicId: t.topicId,
    partitionResponses: t.partitionData.map((p) => ({ index: p.index, errorCode: code, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage: null })),
  }));
  return pass({ ...request, topicData: kept }, appendTo('responses', errors));
}

/** Fetch (consumer): READ per topic. */
export function fetchRule(request: FetchRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.topics, topicAllowed(check, 'READ'));
  const errors = denied.map((t) => ({
    topic: t.topic,
    topicId: t.topicId,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partition,
      errorCode: TOPIC_DENIED,
      highWatermark: -1n,
      lastStableOffset: -1n,
      logStartOffset: -1n,
      abortedTransactions: null,
      preferredReadReplica: -1,
      records: null,
    })),
  }));
  return pass({ ...request, topics: kept }, appendTo('responses', errors));
}

/** ListOffsets: DESCRIBE per topic. */
export function listOffsetsRule(request: ListOffsetsRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.topics, topicAllowed(check, 'DESCRIBE'));
  const errors = denied.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: TOPIC_DENIED, timestamp: -1n, offset: -1n, leaderEpoch: -1, oldStyleOffsets: [] })),
  }));
  return pass({ ...request, topics: kept }, appendTo('topics', errors));
}

/** OffsetForLeaderEpoch (consumer): DESCRIBE per topic. */
export function offsetForLeaderEpochRule(request: OffsetForLeaderEpochRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.topics, topicAllowed(check, 'DESCRIBE'));
  const errors = denied.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => ({ errorCode: TOPIC_DENIED, partition: p.partition, leaderEpoch: -1, endOffset: -1n })),
  }));
  return pass({ ...request, topics: kept }, appendTo('topics', errors));
}

/** DeleteRecords: DELETE per topic. */
export function deleteRecordsRule(request: DeleteRecordsRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.topics, topicAllowed(check, 'DELETE'));
  const errors = denied.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: TOPIC_DENIED })) }));
  return pass({ ...request, topics: kept }, appendTo('topics', errors));
}

/** DescribeProducers (KIP-664): READ per topic. */
export function describeProducersRule(request: DescribeProducersRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.topics, topicAllowed(check, 'READ'));
  const errors = denied.map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode: TOPIC_DENIED, errorMessage: null, activeProducers: [] })),
  }));
  return pass({ ...request, topics: kept }, appendTo('topics', errors));
}

/**
 * InitProducerId: WRITE on the transactional id; without one, IDEMPOTENT_WRITE on the cluster or
 * (KIP-679) WRITE on any topic.
 */
export function initProducerIdRule(request: InitProducerIdRequest, check: AccessCheck): RuleOutcome {
  const txn = request.transactionalId;
  let errorCode = 0;
  if (txn !== null && txn !== undefined) {
    if (!check.allowed('WRITE', 'TRANSACTIONAL_ID', txn)) errorCode = TXN_DENIED;
  } else if (!clusterAllowed(check, 'IDEMPOTENT_WRITE') && !check.anyOfType('WRITE', 'TOPIC')) {
    errorCode = CLUSTER_DENIED;
  }
  if (errorCode === 0) return pass(request);
  const response: InitProducerIdResponse = { throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 };
  return answer(response);
}
