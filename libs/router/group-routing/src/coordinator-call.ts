// Forwarding one Kafka request body to the broker coordinating a group: locate the offsets-topic
// partition of the tenant-namespaced group id, find its leader broker in the ClusterView, send the
// body re-encoded at the client's version through KafkaPassthrough, decode the answer.
import { brokerV1 } from '@stratus/contracts';
import { coordinatorPartition, type InternalGroupId } from '@stratus/coordinator-keys';
import { ErrorCode } from '@stratus/kafka-errors';
import { API_REGISTRY } from '@stratus/kafka-messages';
import type { ClusterView, TopicView } from '@stratus/router-cluster-view';
import type { RequestContext } from '@stratus/router-kafka-server';
import type { PassthroughRpc } from './passthrough-rpc';

export interface GroupRoutingDeps {
  readonly view: ClusterView;
  readonly brokers: PassthroughRpc;
  /** The offsets topic coordinating `tenantId`'s groups (its cell's internal offsets topic). */
  readonly offsetsTopic: (tenantId: string) => TopicView | undefined;
  /** Deadline of ordinary group calls; default 30 s. */
  readonly requestTimeoutMs: number;
  /** Extra time over a JoinGroup's rebalance timeout (or SyncGroup's wait) before giving up; default 5 s. */
  readonly longPollMarginMs: number;
  /** How long a SyncGroup may wait for the leader; default 5 min (Kafka's max.poll.interval.ms default). */
  readonly syncWaitMs: number;
}

export type CallOutcome<R> = { readonly ok: true; readonly response: R } | { readonly ok: false; readonly errorCode: ErrorCode };

/** The broker node leading the group's offsets partition, or the error a client should see. */
export function coordinatorNode(deps: GroupRoutingDeps, tenantId: string, group: InternalGroupId): { ok: true; nodeId: string } | { ok: false; errorCode: ErrorCode } {
  const topic = deps.offsetsTopic(tenantId);
  if (!topic || topic.partitionCount <= 0) return { ok: false, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
  const p = coordinatorPartition(group, topic.partitionCount);
  const leader = deps.view.partition(topic.topicId, p)?.leaderNodeId;
  if (leader === undefined || !deps.view.broker(leader)) return { ok: false, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
  return { ok: true, nodeId: leader };
}

export function passthroughHeader(ctx: RequestContext, tenantId: string, timeoutMs: number): brokerV1.RequestHeader {
  return brokerV1.RequestHeader.fromPartial({
    correlationId: 0n,
    tenantId: { value: tenantId },
    apiVersion: ctx.header.apiVersion,
    clientId: ctx.header.clientId ?? '',
    principal: ctx.sasl.principal?.username ?? '',
    timeoutMs: Math.max(0, Math.floor(timeoutMs)),
    // DescribeGroups shows a member's host as Kafka does: InetAddress.toString(), "/<address>".
    clientHost: ctx.clientHost !== undefined ? `/${ctx.clientHost}` : '',
  });
}

/**
 * Sends `body` (already namespaced) to `nodeId`. A broker that cannot be reached is
 * COORDINATOR_NOT_AVAILABLE: the client looks the coordinator up again and retries, by which time
 * the view names the new leader.
 */
export async function callBroker<R>(
  deps: GroupRoutingDeps,
  ctx: RequestContext,
  tenantId: string,
  nodeId: string,
  body: object,
  timeoutMs: number,
): Promise<CallOutcome<R>> {
  const { apiKey, apiVersion } = ctx.header;
  const codec = API_REGISTRY.get(apiKey);
  if (!codec) return { ok: false, errorCode: ErrorCode.UNSUPPORTED_VERSION };
  let answer: brokerV1.KafkaPassthroughResponse;
  try {
    answer = await deps.brokers.kafkaPassthrough(
      nodeId,
      { header: passthroughHeader(ctx, tenantId, timeoutMs), apiKey, apiVersion, request: codec.request.encode(body, apiVersion) },
      timeoutMs,
    );
  } catch (e) {
    ctx.logger.warn({ err: e, broker: nodeId, api: apiKey }, 'group coordinator broker unreachable');
    return { ok: false, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
  }
  if (answer.error && answer.error.code !== ErrorCode.NONE) return { ok: false, errorCode: answer.error.code as ErrorCode };
  try {
    return { ok: true, response: codec.response.decode(Buffer.from(answer.response), apiVersion) as R };
  } catch (e) {
    ctx.logger.error({ err: e, broker: nodeId, api: apiKey }, 'undecodable KafkaPassthrough response');
    return { ok: false, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR };
  }
}
