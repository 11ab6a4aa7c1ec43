// Produce (key 0): resolve each partition in the tenant's namespace, split by leader broker, send
// one ProduceRequest per broker on its long-lived stream, merge the answers into the client's
// request shape. acks=0 gets no response at all (Kafka protocol: the client does not read one).
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { ProduceRequest, ProduceResponse, ProduceResponsePartitionProduceResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import type { BrokerRpc } from '../connections/broker-connections';
import { leaderHint } from '../routing/leader-hints';
import { routeByLeader, type RoutedPartition } from '../routing/route-by-leader';
import { brokerHeader, tenantOf, type RoutingDeps } from '../routing/routing-context';
import { alignAnswers } from '../routing/align-answers';
import { NodeEndpoints } from './node-endpoints';
import { hasPartition, internalTransactionalId, resolveTopic } from './topic-resolution';

interface ProduceItem extends RoutedPartition {
  readonly records: Buffer;
  readonly slot: ProduceResponsePartitionProduceResponse;
}

/** Produce v10+ carries KIP-951 leader hints; v13 names topics by id (KIP-516). */
const LEADER_HINT_MIN_VERSION = 10;
const TOPIC_ID_MIN_VERSION = 13;

/** What sends one broker ProduceRequest: the broker connections, or a ProduceCoalescer over them. */
export type ProduceSender = Pick<BrokerRpc, 'produce'>;

export function produceHandler(deps: RoutingDeps, sender: ProduceSender = deps.brokers): ApiHandler {
  return {
    apiKey: 0,
    name: 'Produce',
    minVersion: 3,
    maxVersion: 13,
    async handle(ctx: RequestContext, raw: unknown) {
      const request = raw as ProduceRequest;
      const response = await produce(deps, sender, ctx, request);
      // acks=0: the client never reads an answer, so none may be written (it would be taken as
      // the answer to its next request).
      return request.acks === 0 ? { response, noResponse: true } : { response };
    },
  };
}

async function produce(deps: RoutingDeps, sender: ProduceSender, ctx: RequestContext, request: ProduceRequest): Promise<ProduceResponse> {
  const version = ctx.header.apiVersion;
  const tenant = tenantOf(ctx);
  const byId = version >= TOPIC_ID_MIN_VERSION;
  const validAcks = request.acks === -1 || request.acks === 0 || request.acks === 1;
  const items: ProduceItem[] = [];
  const responses = request.topicData.map((topicData) => {
    const resolved = resolveTopic(deps.view, tenant, topicData, byId);
    const partitionResponses = topicData.partitionData.map((p) => {
      const slot = emptyPartitionResponse(p.index);
      if (!validAcks) slot.errorCode = ErrorCode.INVALID_REQUIRED_ACKS;
      else if (!resolved.ok) slot.errorCode = resolved.errorCode;
      else if (!hasPartition(resolved.topic, p.index)) slot.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else items.push({ topicId: resolved.topic.topicId, partition: p.index, records: p.records ?? Buffer.alloc(0), slot });
      return slot;
    });
    return byId ? { topicId: topicData.topicId, partitionResponses } : { name: topicData.name, partitionResponses };
  });

  const timeoutMs = Math.max(1, request.timeoutMs);
  const transactionalId = request.transactionalId ? internalTransactionalId(tenant, request.transactionalId) : '';
  let throttleTimeMs = 0;
  const answers = await routeByLeader<ProduceItem, brokerV1.ProducePartitionResponse>({
    deps,
    api: 'Produce',
    items,
    deadline: Date.now() + timeoutMs,
    send: async (nodeId, batch, remainingMs) => {
      // A literal, not ProduceRequest.fromPartial: every field is given, and fromPartial would copy
      // each partition's nested messages once more on the hottest path of the router.
      const message: brokerV1.ProduceRequest = {
        header: brokerHeader(ctx, { timeoutMs: remainingMs }),
        acks: request.acks,
        transactionalId,
        partitions: batch.map((i) => ({ partition: { topicId: { value: i.topicId }, partition: i.partition }, records: i.records })),
      };
      const answer = await sender.produce(nodeId, message, remainingMs);
      throttleTimeMs = Math.max(throttleTimeMs, answer.throttleTimeMs);
      return alignAnswers(batch, answer.partitions, answer.error);
    },
    errorOf: (r) => r.error?.code ?? ErrorCode.NONE,
    failure: (item, code) => brokerV1.ProducePartitionResponse.fromPartial({ partition: { topicId: { value: item.topicId }, partition: item.partition }, error: { code } }),
  });

  const endpoints = new NodeEndpoints();
  answers.forEach((answer, k) => {
    const item = items[k] as ProduceItem;
    const slot = item.slot;
    slot.errorCode = answer.error?.code ?? ErrorCode.NONE;
    slot.errorMessage = answer.error?.message ? answer.error.message : null;
    if (slot.errorCode === ErrorCode.NONE) {
      slot.baseOffset = answer.baseOffset;
      slot.logAppendTimeMs = answer.logAppendTimeMs;
      slot.logStartOffset = answer.logStartOffset;
    }
    slot.recordErrors = answer.recordErrors.map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message || null }));
    if (version >= LEADER_HINT_MIN_VERSION && isLeaderChange(slot.errorCode)) {
      const hint = leaderHint(deps.view, item.topicId, item.partition, answer.currentLeader?.leaderEpoch ?? deps.view.partition(item.topicId, item.partition)?.leaderEpoch ?? -1);
      if (hint) {
        slot.currentLeader = { leaderId: hint.leaderId, leaderEpoch: hint.leaderEpoch };
        endpoints.add(hint.router);
      }
    }
  });
  return { responses, throttleTimeMs, ...(version >= LEADER_HINT_MIN_VERSION ? { nodeEndpoints: endpoints.list() } : {}) };
}

function emptyPartitionResponse(index: number): ProduceResponsePartitionProduceResponse {
  return { index, errorCode: ErrorCode.NONE, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage: null };
}

function isLeaderChange(code: number): boolean {
  return code === ErrorCode.NOT_LEADER_OR_FOLLOWER || code === ErrorCode.FENCED_LEADER_EPOCH;
}
