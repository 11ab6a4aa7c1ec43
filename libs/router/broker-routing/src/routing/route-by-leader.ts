// Split a request's partitions by leader broker, send one request per broker in parallel, merge,
// and retry what failed because leadership moved or a broker stream broke: after `view.catchUp()`
// the next round goes to the new leader, inside the request's own time budget, so the client sees
// one answer (issue 8 item 5). Errors that are about the client's input are never retried.
import { ErrorCode } from '@stratus/kafka-errors';
import { isBrokerUnavailable } from '../connections/broker-errors';
import { delay, type RoutingDeps } from './routing-context';

/** A partition already resolved to its topic id. */
export interface RoutedPartition {
  readonly topicId: Buffer;
  readonly partition: number;
}

/**
 * Errors after which another round may succeed: the leader moved or is being elected, or the
 * broker is behind the client (UNKNOWN_LEADER_EPOCH: the client saw a newer epoch than this
 * broker, so the view is stale). FENCED_LEADER_EPOCH is not here: it says the client's own epoch
 * is stale, which only the client's metadata refresh fixes.
 */
const RETRIABLE_BY_ROUTING: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
]);

export function isRetriableByRouting(code: number): boolean {
  return RETRIABLE_BY_ROUTING.has(code);
}

export interface RouteOptions<I extends RoutedPartition, R> {
  readonly deps: RoutingDeps;
  readonly items: readonly I[];
  /** Absolute time (Date.now() based) by which the whole request must be answered. */
  readonly deadline: number;
  /** One broker request for `batch`; answers aligned with `batch` (missing ones count as errors). */
  readonly send: (nodeId: string, batch: readonly I[], timeoutMs: number) => Promise<ReadonlyArray<R | undefined>>;
  /** The Kafka error code of an answer. */
  readonly errorOf: (result: R) => number;
  /** An answer carrying only an error code, for partitions no broker answered. */
  readonly failure: (item: I, code: number) => R;
  /** Kafka API name, for metrics. */
  readonly api: string;
}

export async function routeByLeader<I extends RoutedPartition, R>(options: RouteOptions<I, R>): Promise<R[]> {
  const { deps, items, deadline } = options;
  const results: Array<R | undefined> = new Array<R | undefined>(items.length);
  let pending = items.map((_, i) => i);
  for (let attempt = 1; ; attempt++) {
    const retry: number[] = [];
    const byLeader = new Map<string, number[]>();
    for (const index of pending) {
      const item = items[index] as I;
      const leader = deps.view.partition(item.topicId, item.partition)?.leaderNodeId;
      if (leader === undefined) {
        results[index] = options.failure(item, ErrorCode.LEADER_NOT_AVAILABLE);
        retry.push(index);
        continue;
      }
      const group = byLeader.get(leader);
      if (group) group.push(index);
      else byLeader.set(leader, [index]);
    }
    const remaining = Math.max(1, deadline - Date.now());
    await Promise.all(
      [...byLeader].map(async ([nodeId, indices]) => {
        const batch = indices.map((i) => items[i] as I);
        try {
          const answers = await options.send(nodeId, batch, remaining);
          indices.forEach((index, k) => {
            const answer = answers[k];
            results[index] = answer ?? options.failure(batch[k] as I, ErrorCode.UNKNOWN_SERVER_ERROR);
            if (answer !== undefined && isRetriableByRouting(options.errorOf(answer))) retry.push(index);
          });
        } catch (error) {
          if (!isBrokerUnavailable(error)) throw error;
          deps.logger.debug({ err: error, broker: nodeId, attempt }, 'broker call failed');
          for (const index of indices) {
            results[index] = options.failure(items[index] as I, error.kafkaCode);
            if (error.retriable && error.kind !== 'deadline') retry.push(index);
          }
        }
      }),
    );
    const timeLeft = deadline - Date.now();
    if (retry.length === 0 || attempt >= deps.retry.maxAttempts || timeLeft < deps.retry.minRetryBudgetMs) break;
    deps.metrics?.retriedPartitions.inc({ api: options.api }, retry.length);
    await catchUp(deps, Math.min(deps.retry.catchUpTimeoutMs, timeLeft / 2));
    await delay(Math.min(deps.retry.backoffMs * attempt, Math.max(0, deadline - Date.now() - deps.retry.minRetryBudgetMs)));
    pending = retry.sort((a, b) => a - b);
  }
  return results as R[];
}

/** Waits for the view to reflect every committed metadata change; a failed wait just retries on the old view. */
export async function catchUp(deps: RoutingDeps, timeoutMs: number): Promise<void> {
  try {
    await deps.view.catchUp(Math.max(1, Math.floor(timeoutMs)));
  } catch (error) {
    deps.logger.warn({ err: error }, 'cluster view catch-up failed; retrying on the current view');
  }
}
