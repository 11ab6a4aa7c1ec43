// Fetch (key 1): KIP-227 sessions end here (fetch/fetch-context), partitions are resolved in the
// tenant's namespace, fetched from their leader brokers (fetch/fetch-routing) and answered in the
// client's shape: every partition for a full fetch, only the changed ones for an incremental one.
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { FetchRequest, FetchResponse, FetchResponseFetchableTopicResponse, FetchResponsePartitionData } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { openFetchContext } from '../fetch/fetch-context';
import { fetchFromBrokers, type FetchItem } from '../fetch/fetch-routing';
import { LongPolls } from '../fetch/long-polls';
import type { FetchSessionCache, SessionPartition } from '../fetch/fetch-session-cache';
import { leaderHint } from '../routing/leader-hints';
import { brokerHeader, tenantOf, type RoutingDeps } from '../routing/routing-context';
import { NodeEndpoints } from './node-endpoints';
import { hasPartition, resolveTopic } from './topic-resolution';

const TOPIC_ID_MIN_VERSION = 13;
/** Fetch v12 added current_leader / diverging_epoch (KIP-595/KIP-951 hints); v16 node_endpoints. */
const LEADER_HINT_MIN_VERSION = 12;
const NODE_ENDPOINTS_MIN_VERSION = 16;

export function fetchHandler(deps: RoutingDeps, sessions: FetchSessionCache, polls: LongPolls = new LongPolls()): ApiHandler {
  return {
    apiKey: 1,
    name: 'Fetch',
    minVersion: 4,
    maxVersion: 18,
    async handle(ctx: RequestContext, raw: unknown) {
      return { response: await fetch(deps, sessions, polls, ctx, raw as FetchRequest) };
    },
  };
}

interface Slot {
  readonly sp: SessionPartition;
  /** Index into the routed items, or the error the partition is answered with without routing. */
  readonly routed: number | { errorCode: number };
  readonly topicId: Buffer | undefined;
}

async function fetch(deps: RoutingDeps, sessions: FetchSessionCache, polls: LongPolls, ctx: RequestContext, request: FetchRequest): Promise<FetchResponse> {
  const version = ctx.header.apiVersion;
  const tenant = tenantOf(ctx);
  const byId = version >= TOPIC_ID_MIN_VERSION;
  const context = openFetchContext(sessions, tenant, request, version);
  deps.metrics?.fetchSessions.set(sessions.size);
  if (context.kind === 'error') {
    return { throttleTimeMs: 0, errorCode: context.errorCode, sessionId: 0, responses: [], nodeEndpoints: [] };
  }

  const items: FetchItem[] = [];
  const slots: Slot[] = context.partitions.map((sp) => {
    const resolved = resolveTopic(deps.view, tenant, byId ? { topicId: sp.topicRef } : { name: sp.topicRef }, byId);
    if (!resolved.ok) return { sp, routed: { errorCode: resolved.errorCode }, topicId: undefined };
    if (!hasPartition(resolved.topic, sp.partition)) return { sp, routed: { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }, topicId: resolved.topic.topicId };
    items.push({
      topicId: resolved.topic.topicId,
      partition: sp.partition,
      fetchOffset: sp.fetchOffset,
      currentLeaderEpoch: sp.currentLeaderEpoch,
      lastFetchedEpoch: sp.lastFetchedEpoch,
      partitionMaxBytes: sp.partitionMaxBytes,
    });
    return { sp, routed: items.length - 1, topicId: resolved.topic.topicId };
  });

  const outcome = await fetchFromBrokers(
    deps,
    {
      items,
      maxWaitMs: request.maxWaitMs,
      minBytes: request.minBytes,
      maxBytes: request.maxBytes,
      isolationLevel: request.isolationLevel === 1 ? brokerV1.IsolationLevel.READ_COMMITTED : brokerV1.IsolationLevel.READ_UNCOMMITTED,
      // KIP-392: the client's rack names its AZ; a client that sends none (v < 11, or no
      // client.rack) talks to a router of its own AZ, so the router's AZ stands in for it.
      header: (timeoutMs) => brokerHeader(ctx, { timeoutMs, clientAvailabilityZone: request.rackId || deps.view.self().availabilityZone }),
      tenantId: tenant,
    },
    polls,
  );

  const endpoints = new NodeEndpoints();
  const topics: FetchResponseFetchableTopicResponse[] = [];
  let current: FetchResponseFetchableTopicResponse | undefined;
  let currentRef: string | undefined;
  for (const slot of slots) {
    const data =
      typeof slot.routed === 'number'
        ? partitionData(deps, slot, outcome.answers[slot.routed] as brokerV1.FetchPartitionResponse, { version, endpoints })
        : errorPartition(slot.sp.partition, slot.routed.errorCode);
    // Incremental answers carry only what changed since the client was last told (KIP-227).
    if (!mustInclude(context.kind === 'full', slot.sp, data)) continue;
    remember(slot.sp, data);
    if (!current || currentRef !== slot.sp.topicRef) {
      current = byId ? { topicId: slot.sp.topicRef, partitions: [] } : { topic: slot.sp.topicRef, partitions: [] };
      currentRef = slot.sp.topicRef;
      topics.push(current);
    }
    current.partitions.push(data);
  }
  return {
    throttleTimeMs: outcome.throttleTimeMs,
    errorCode: ErrorCode.NONE,
    sessionId: context.session?.id ?? 0,
    responses: topics,
    nodeEndpoints: version >= NODE_ENDPOINTS_MIN_VERSION ? endpoints.list() : [],
  };
}

function partitionData(
  deps: RoutingDeps,
  slot: Slot,
  answer: brokerV1.FetchPartitionResponse,
  options: { version: number; endpoints: NodeEndpoints },
): FetchResponsePartitionData {
  const errorCode = answer.error?.code ?? ErrorCode.NONE;
  const data: FetchResponsePartitionData = {
    partitionIndex: slot.sp.partition,
    errorCode,
    highWatermark: answer.highWatermark,
    lastStableOffset: answer.lastStableOffset,
    logStartOffset: answer.logStartOffset,
    abortedTransactions: answer.abortedTransactions.length > 0 ? answer.abortedTransactions.map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset })) : null,
    // The router serves every partition itself; follower fetching happens behind it (the broker
    // reads from a replica of the client's AZ), so clients are never sent elsewhere (KIP-392).
    preferredReadReplica: -1,
    records: answer.records,
  };
  if (answer.divergingEpoch) data.divergingEpoch = { epoch: answer.divergingEpoch.epoch, endOffset: answer.divergingEpoch.endOffset };
  if (options.version >= LEADER_HINT_MIN_VERSION && slot.topicId && (errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || errorCode === ErrorCode.FENCED_LEADER_EPOCH)) {
    const epoch = answer.currentLeader?.leaderEpoch ?? deps.view.partition(slot.topicId, slot.sp.partition)?.leaderEpoch ?? -1;
    const hint = leaderHint(deps.view, slot.topicId, slot.sp.partition, epoch);
    if (hint) {
      data.currentLeader = { leaderId: hint.leaderId, leaderEpoch: hint.leaderEpoch };
      options.endpoints.add(hint.router);
    }
  }
  return data;
}

function errorPartition(partition: number, errorCode: number): FetchResponsePartitionData {
  return {
    partitionIndex: partition,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: null,
  };
}

/** KIP-227: a partition is in an incremental answer when it has data, an error, or new watermarks. */
function mustInclude(full: boolean, sp: SessionPartition, data: FetchResponsePartitionData): boolean {
  if (full) return true;
  return (
    data.errorCode !== ErrorCode.NONE ||
    (data.records?.length ?? 0) > 0 ||
    data.highWatermark !== sp.sentHighWatermark ||
    data.lastStableOffset !== sp.sentLastStableOffset ||
    data.logStartOffset !== sp.sentLogStartOffset ||
    data.divergingEpoch !== undefined ||
    data.currentLeader !== undefined
  );
}

function remember(sp: SessionPartition, data: FetchResponsePartitionData): void {
  sp.sentHighWatermark = data.highWatermark;
  sp.sentLastStableOffset = data.lastStableOffset;
  sp.sentLogStartOffset = data.logStartOffset;
}
