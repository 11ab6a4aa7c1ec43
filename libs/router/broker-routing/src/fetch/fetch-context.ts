// How one Fetch request relates to the client's session (KIP-227), reduced to: the full list of
// partitions to fetch, the session (if any) and whether the answer lists every partition or only
// the changed ones. Semantics follow Kafka's fetch session rules:
//   session 0, epoch -1  sessionless full fetch (also every Fetch before v7)
//   session 0, epoch 0   full fetch that opens a new session
//   session S, epoch 0   full fetch that closes S and opens a new session
//   session S, epoch -1  closes S; sessionless full fetch
//   session S, epoch N>0 incremental: S must exist for this tenant (FETCH_SESSION_ID_NOT_FOUND)
//                        and expect epoch N (INVALID_FETCH_SESSION_EPOCH); the request's
//                        partitions are added or updated, forgotten ones removed.
import { ErrorCode } from '@stratus/kafka-errors';
import type { FetchRequest } from '@stratus/kafka-messages';
import { nextSessionEpoch, sessionPartitionKey, type FetchSession, type FetchSessionCache, type SessionPartition } from './fetch-session-cache';

const INITIAL_EPOCH = 0;
const FINAL_EPOCH = -1;
/** Fetch v7 introduced sessions; v13 names topics by id. */
const SESSIONS_MIN_VERSION = 7;
const TOPIC_ID_MIN_VERSION = 13;

export type FetchContext =
  | { readonly kind: 'error'; readonly errorCode: number }
  | {
      readonly kind: 'full' | 'incremental';
      /** Undefined for a sessionless fetch (or when the cache has no room). */
      readonly session: FetchSession | undefined;
      /** Every partition to fetch, in session order. */
      readonly partitions: readonly SessionPartition[];
    };

export function openFetchContext(cache: FetchSessionCache, tenantId: string, request: FetchRequest, version: number): FetchContext {
  const usesTopicIds = version >= TOPIC_ID_MIN_VERSION;
  const sessionId = version >= SESSIONS_MIN_VERSION ? (request.sessionId ?? 0) : 0;
  const epoch = version >= SESSIONS_MIN_VERSION ? (request.sessionEpoch ?? FINAL_EPOCH) : FINAL_EPOCH;

  if (epoch === INITIAL_EPOCH || epoch === FINAL_EPOCH) {
    if (sessionId !== 0) cache.remove(tenantId, sessionId);
    const partitions = requestedPartitions(request, usesTopicIds);
    const session = epoch === INITIAL_EPOCH ? cache.create(tenantId, usesTopicIds, partitions) : undefined;
    return { kind: 'full', session, partitions: [...partitions.values()] };
  }

  const session = cache.get(tenantId, sessionId);
  if (!session) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
  if (session.epoch !== epoch) return { kind: 'error', errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
  if (session.usesTopicIds !== usesTopicIds) return { kind: 'error', errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR };
  for (const [key, update] of requestedPartitions(request, usesTopicIds)) {
    const existing = session.partitions.get(key);
    if (existing) {
      existing.fetchOffset = update.fetchOffset;
      existing.currentLeaderEpoch = update.currentLeaderEpoch;
      existing.lastFetchedEpoch = update.lastFetchedEpoch;
      existing.partitionMaxBytes = update.partitionMaxBytes;
    } else {
      session.partitions.set(key, update);
    }
  }
  for (const forgotten of request.forgottenTopicsData ?? []) {
    const ref = topicRefOf(forgotten, usesTopicIds);
    for (const partition of forgotten.partitions) session.partitions.delete(sessionPartitionKey(ref, partition));
  }
  session.epoch = nextSessionEpoch(session.epoch);
  return { kind: 'incremental', session, partitions: [...session.partitions.values()] };
}

function requestedPartitions(request: FetchRequest, usesTopicIds: boolean): Map<string, SessionPartition> {
  const partitions = new Map<string, SessionPartition>();
  for (const topic of request.topics) {
    const topicRef = topicRefOf(topic, usesTopicIds);
    for (const p of topic.partitions) {
      partitions.set(sessionPartitionKey(topicRef, p.partition), {
        topicRef,
        partition: p.partition,
        fetchOffset: p.fetchOffset,
        currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
        lastFetchedEpoch: p.lastFetchedEpoch ?? -1,
        partitionMaxBytes: p.partitionMaxBytes,
        sentHighWatermark: undefined,
        sentLastStableOffset: undefined,
        sentLogStartOffset: undefined,
      });
    }
  }
  return partitions;
}

function topicRefOf(topic: { topic?: string; topicId?: string }, usesTopicIds: boolean): string {
  return usesTopicIds ? (topic.topicId ?? '') : (topic.topic ?? '');
}
