// Fetch across brokers with the client's long-poll semantics. One Kafka Fetch may cover
// partitions led by several brokers; the router cannot cancel a broker's long poll (the stream
// has no cancel message), so it fetches in two phases:
//   1. every broker is asked with max_wait 0: whatever is available now, with watermarks for every
//      partition (and NOT_LEADER / stream failures retried after view.catchUp(), as elsewhere);
//   2. only if that is less than min_bytes and max_wait allows, every broker involved gets a long
//      poll with the time left and the client's min_bytes. The router answers as soon as the bytes
//      gathered reach min_bytes or every broker answered; partitions whose broker is still waiting
//      keep their phase-1 answer (valid watermarks, no records). A late long-poll answer is dropped:
//      fetches have no side effects and the client fetches those offsets again.
// Identical long polls still open from an earlier, early-answered fetch are joined (long-polls.ts).
// Approximation (docs/router.md): min_bytes is applied per broker in phase 2, so data spread over
// brokers that only together reach min_bytes is answered when max_wait passes, not earlier.
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { isBrokerUnavailable } from '../connections/broker-errors';
import { alignAnswers } from '../routing/align-answers';
import { isRetriableByRouting, routeByLeader, type RoutedPartition } from '../routing/route-by-leader';
import type { RoutingDeps } from '../routing/routing-context';
import { longPollKey, type LongPolls } from './long-polls';

export interface FetchItem extends RoutedPartition {
  readonly fetchOffset: bigint;
  readonly currentLeaderEpoch: number;
  readonly lastFetchedEpoch: number;
  readonly partitionMaxBytes: number;
}

export interface FetchPlan {
  readonly items: readonly FetchItem[];
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly isolationLevel: brokerV1.IsolationLevel;
  /** Builds the broker request header with the given time budget. */
  readonly header: (timeoutMs: number) => brokerV1.RequestHeader;
  readonly tenantId: string;
}

export interface FetchOutcome {
  readonly answers: brokerV1.FetchPartitionResponse[];
  readonly throttleTimeMs: number;
}

/** A long poll's answer may arrive a little after max_wait; this much later the router stops waiting. */
const LONG_POLL_GRACE_MS = 1_000;

/**
 * The part of the client's response limit one broker call may fill. KIP-74 makes max_bytes a limit
 * on the whole response; each broker applies what it is given to its own partitions, so with the
 * full limit on every call a fetch that spans N brokers could answer N times max_bytes, and
 * librdkafka closes the connection on a response above receive.message.max.bytes. Each call gets
 * the share of its partitions, which sums to at most the limit; each broker still returns the
 * first batch of its first non-empty partition whole (KIP-74), so no partition stalls.
 * 0 or less means no limit of the client's (the broker applies its own maximum).
 */
export function brokerShareOfMaxBytes(maxBytes: number, batchPartitions: number, totalPartitions: number): number {
  if (maxBytes <= 0 || totalPartitions <= 0 || batchPartitions >= totalPartitions) return maxBytes;
  return Math.max(1, Math.floor((maxBytes * batchPartitions) / totalPartitions));
}

export async function fetchFromBrokers(deps: RoutingDeps, plan: FetchPlan, polls: LongPolls): Promise<FetchOutcome> {
  const start = Date.now();
  const deadline = start + Math.max(0, plan.maxWaitMs);
  let throttleTimeMs = 0;
  // A literal with every field, not FetchRequest.fromPartial, which would copy each partition's
  // nested messages once more per broker call.
  const request = (batch: readonly FetchItem[], maxWaitMs: number, minBytes: number, timeoutMs: number): brokerV1.FetchRequest =>
    ({
      header: plan.header(timeoutMs),
      maxWaitMs,
      minBytes,
      maxBytes: brokerShareOfMaxBytes(plan.maxBytes, batch.length, plan.items.length),
      isolationLevel: plan.isolationLevel,
      partitions: batch.map((i) => ({
        partition: { topicId: { value: i.topicId }, partition: i.partition },
        fetchOffset: i.fetchOffset,
        currentLeaderEpoch: i.currentLeaderEpoch,
        lastFetchedEpoch: i.lastFetchedEpoch,
        partitionMaxBytes: i.partitionMaxBytes,
      })),
    });

  // Phase 1: what is there now. Retries get at least the routing retry budget even when the
  // client asked for max_wait 0, so a moved leader does not surface as an error, and a loaded
  // broker gets `fetchPatienceMs` to answer: Fetch carries no timeout, the client waits for its
  // own request.timeout.ms, and Kafka itself answers late rather than failing when it is busy.
  const phaseOneDeadline = Math.max(deadline, start + deps.retry.catchUpTimeoutMs + deps.retry.minRetryBudgetMs, start + deps.retry.fetchPatienceMs);
  const answers = await routeByLeader<FetchItem, brokerV1.FetchPartitionResponse>({
    deps,
    api: 'Fetch',
    items: plan.items,
    deadline: phaseOneDeadline,
    send: async (nodeId, batch, remainingMs) => {
      const answer = await deps.brokers.fetch(nodeId, request(batch, 0, 0, remainingMs), remainingMs);
      throttleTimeMs = Math.max(throttleTimeMs, answer.throttleTimeMs);
      return alignAnswers(batch, answer.partitions, answer.error);
    },
    errorOf: (r) => r.error?.code ?? ErrorCode.NONE,
    failure: (item, code) => failedAnswer(item, fetchErrorFor(code)),
  });

  let gathered = answers.reduce((sum, a) => sum + a.records.length, 0);
  const timeLeft = deadline - Date.now();
  if (gathered >= plan.minBytes || timeLeft <= 0 || plan.items.length === 0) return { answers, throttleTimeMs };

  // Phase 2: long polls on the brokers of partitions that answered cleanly.
  const byLeader = new Map<string, number[]>();
  answers.forEach((answer, index) => {
    if ((answer.error?.code ?? ErrorCode.NONE) !== ErrorCode.NONE) return;
    const item = plan.items[index] as FetchItem;
    const leader = deps.view.partition(item.topicId, item.partition)?.leaderNodeId;
    if (leader === undefined) return;
    const group = byLeader.get(leader);
    if (group) group.push(index);
    else byLeader.set(leader, [index]);
  });
  if (byLeader.size === 0) return { answers, throttleTimeMs };
  await new Promise<void>((resolve) => {
    let outstanding = byLeader.size;
    const timer = setTimeout(resolve, timeLeft + LONG_POLL_GRACE_MS);
    const finish = (): void => {
      clearTimeout(timer);
      resolve();
    };
    for (const [nodeId, indices] of byLeader) {
      const batch = indices.map((i) => plan.items[i] as FetchItem);
      const key = longPollKey({ nodeId, tenantId: plan.tenantId, isolationLevel: plan.isolationLevel, minBytes: plan.minBytes, maxBytes: plan.maxBytes, items: batch });
      polls
        .join(key, () => deps.brokers.fetch(nodeId, request(batch, timeLeft, plan.minBytes, timeLeft + LONG_POLL_GRACE_MS), timeLeft + LONG_POLL_GRACE_MS))
        .then((answer) => {
          throttleTimeMs = Math.max(throttleTimeMs, answer.throttleTimeMs);
          alignAnswers(batch, answer.partitions, answer.error).forEach((late, k) => {
            // A routing error in the long poll (leader moved meanwhile) keeps the phase-1 answer;
            // the client's next fetch goes through the routing retry again.
            if (!late || isRetriableByRouting(late.error?.code ?? ErrorCode.NONE)) return;
            const index = indices[k] as number;
            gathered += late.records.length - (answers[index] as brokerV1.FetchPartitionResponse).records.length;
            answers[index] = late;
          });
        })
        .catch((error: unknown) => {
          if (!isBrokerUnavailable(error)) deps.logger.error({ err: error, broker: nodeId }, 'unexpected long-poll failure');
        })
        .finally(() => {
          outstanding--;
          if (outstanding === 0 || gathered >= plan.minBytes) finish();
        });
    }
  });
  // Answers that arrive after this point must not change what is being sent.
  return { answers: [...answers], throttleTimeMs };
}

/**
 * A broker that did not answer in time becomes NOT_LEADER_OR_FOLLOWER for the client. A Kafka
 * broker never puts REQUEST_TIMED_OUT in a Fetch partition, and the Java consumer's fetch path
 * treats any code it does not expect as a bug (IllegalStateException "Unexpected error code 7
 * while fetching"), killing the poll loop. NOT_LEADER_OR_FOLLOWER is understood by every client:
 * refresh metadata, back off, fetch again — what a stuck broker calls for.
 */
function fetchErrorFor(code: number): number {
  return code === ErrorCode.REQUEST_TIMED_OUT ? ErrorCode.NOT_LEADER_OR_FOLLOWER : code;
}

function failedAnswer(item: RoutedPartition, code: number): brokerV1.FetchPartitionResponse {
  return brokerV1.FetchPartitionResponse.fromPartial({
    partition: { topicId: { value: item.topicId }, partition: item.partition },
    error: { code },
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    preferredReadReplica: -1,
  });
}
