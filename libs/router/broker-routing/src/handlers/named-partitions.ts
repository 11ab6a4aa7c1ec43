// The shared shape of ListOffsets, OffsetForLeaderEpoch and DeleteRecords: topics by name, each
// with partitions. Resolves names in the tenant's namespace, routes the resolvable partitions by
// leader (with retries) and hands back, per requested partition and in request order, either the
// broker's answer or the error to answer with.
import { ErrorCode } from '@stratus/kafka-errors';
import { routeByLeader, type RoutedPartition } from '../routing/route-by-leader';
import type { RoutingDeps } from '../routing/routing-context';
import { hasPartition, resolveTopic } from './topic-resolution';

export interface NamedItem<P> extends RoutedPartition {
  readonly request: P;
}

export type NamedOutcome<P, A> =
  | { readonly routed: true; readonly item: NamedItem<P>; readonly answer: A }
  | { readonly routed: false; readonly errorCode: number };

export interface RouteNamedOptions<P, A> {
  readonly deps: RoutingDeps;
  /** Kafka API name, for metrics. */
  readonly api: string;
  readonly tenantId: string;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly P[] }>;
  readonly partitionOf: (p: P) => number;
  readonly deadline: number;
  readonly send: (nodeId: string, batch: ReadonlyArray<NamedItem<P>>, timeoutMs: number) => Promise<ReadonlyArray<A | undefined>>;
  readonly errorOf: (answer: A) => number;
  readonly failure: (item: NamedItem<P>, code: number) => A;
}

export async function routeNamedTopics<P, A>(options: RouteNamedOptions<P, A>): Promise<Array<Array<NamedOutcome<P, A>>>> {
  const items: Array<NamedItem<P>> = [];
  const plan = options.topics.map((topic) => {
    const resolved = resolveTopic(options.deps.view, options.tenantId, { name: topic.name }, false);
    return topic.partitions.map((p): number | { errorCode: number } => {
      if (!resolved.ok) return { errorCode: resolved.errorCode };
      const partition = options.partitionOf(p);
      if (!hasPartition(resolved.topic, partition)) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      items.push({ topicId: resolved.topic.topicId, partition, request: p });
      return items.length - 1;
    });
  });
  const answers = await routeByLeader<NamedItem<P>, A>({
    deps: options.deps,
    api: options.api,
    items,
    deadline: options.deadline,
    send: options.send,
    errorOf: options.errorOf,
    failure: options.failure,
  });
  return plan.map((partitions) =>
    partitions.map((p): NamedOutcome<P, A> =>
      typeof p === 'number' ? { routed: true, item: items[p] as NamedItem<P>, answer: answers[p] as A } : { routed: false, errorCode: p.errorCode },
    ),
  );
}

export function partitionRef(item: RoutedPartition): { topicId: { value: Buffer }; partition: number } {
  return { topicId: { value: item.topicId }, partition: item.partition };
}
