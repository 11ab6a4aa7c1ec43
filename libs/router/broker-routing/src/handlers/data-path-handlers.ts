// The router's data-path Kafka handlers (issue 8 item 5), built over one ClusterView and one
// BrokerRpc (BrokerConnections in production). Register them with the Kafka listener's
// `handlers` option.
import type { Logger } from '@stratus/platform-logging';
import type { Metrics } from '@stratus/platform-metrics';
import type { ClusterView } from '@stratus/router-cluster-view';
import type { ApiHandler } from '@stratus/router-kafka-server';
import type { BrokerRpc } from '../connections/broker-connections';
import { ProduceCoalescer } from '../connections/produce-coalescer';
import { FetchSessionCache } from '../fetch/fetch-session-cache';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type RoutingDeps } from '../routing/routing-context';
import { createHandlerMetrics } from '../routing/routing-metrics';
import { deleteRecordsHandler } from './delete-records';
import { describeProducersHandler } from './describe-producers';
import { fetchHandler } from './fetch';
import { initProducerIdHandler, type TransactionCoordinatorLookup } from './init-producer-id';
import { listOffsetsHandler } from './list-offsets';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch';
import { produceHandler } from './produce';

export interface DataPathHandlersOptions {
  readonly view: ClusterView;
  readonly connections: BrokerRpc;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly retry?: Partial<RetryPolicy>;
  /** Time budget of requests that carry no timeout (ListOffsets before v10, OffsetForLeaderEpoch, InitProducerId, DescribeProducers); default 30 s. */
  readonly defaultTimeoutMs?: number;
  /** max.incremental.fetch.session.cache.slots; default 1000. */
  readonly maxFetchSessions?: number;
  /** Shared session cache (tests); default a new one of maxFetchSessions slots. */
  readonly fetchSessions?: FetchSessionCache;
  /** Finds the transaction coordinator broker; without it transactional InitProducerId answers COORDINATOR_NOT_AVAILABLE. */
  readonly transactionCoordinator?: TransactionCoordinatorLookup;
  /**
   * Send the produces for one broker that arrive in the same event-loop turn as one broker
   * message (produce-coalescer.ts); default false: every client request is its own message. On
   * the 2-core benchmark it saved no throughput and raised latency (a merged message is answered
   * when its slowest partition is), docs/benchmarks/2026-11-30-produce-coalescing.md.
   */
  readonly coalesceProduce?: boolean;
}

export function dataPathHandlers(options: DataPathHandlersOptions): ApiHandler[] {
  const deps: RoutingDeps = {
    view: options.view,
    brokers: options.connections,
    logger: options.logger.child({ component: 'broker-routing' }),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    ...(options.metrics ? { metrics: createHandlerMetrics(options.metrics) } : {}),
  };
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  const sessions = options.fetchSessions ?? new FetchSessionCache({ maxSessions: options.maxFetchSessions ?? 1000 });
  const perMessage = deps.metrics?.produceRequestsPerMessage;
  const produceSender =
    options.coalesceProduce !== true ? deps.brokers : new ProduceCoalescer(deps.brokers, perMessage ? { onSend: (n) => perMessage.observe(n) } : {});
  return [
    produceHandler(deps, produceSender),
    fetchHandler(deps, sessions),
    listOffsetsHandler(deps, { defaultTimeoutMs }),
    offsetForLeaderEpochHandler(deps, { defaultTimeoutMs }),
    deleteRecordsHandler(deps),
    describeProducersHandler(deps, { defaultTimeoutMs }),
    initProducerIdHandler(deps, { defaultTimeoutMs, transactionCoordinator: options.transactionCoordinator }),
  ];
}
