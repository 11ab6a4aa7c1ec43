// Prometheus metrics of the router's data path: broker calls and streams (BrokerConnections) and
// the retries that hide leadership moves from clients (handlers).
import type { HotHistogram, Metrics } from '@stratus/platform-metrics';
import type { Counter, Gauge, Histogram } from 'prom-client';

export interface BrokerCallMetrics {
  /**
   * Broker calls by RPC and outcome (ok, stream-failed, deadline, call-failed, unknown-broker,
   * closed). A hot histogram: one observation per broker call, on the produce and fetch paths.
   */
  readonly calls: HotHistogram<'rpc' | 'outcome'>;
  /** Produce/Fetch streams that failed or ended, by RPC. */
  readonly streamFailures: Counter<'rpc'>;
}

export interface HandlerMetrics {
  /** Partitions sent again after a routing error (leader moved, broker stream failed), by API. */
  readonly retriedPartitions: Counter<'api'>;
  /** Incremental fetch sessions held by this router. */
  readonly fetchSessions: Gauge;
  /** Client Produce requests per broker Produce message (produce-coalescer.ts). */
  readonly produceRequestsPerMessage: Histogram;
}

export function createBrokerCallMetrics(metrics: Metrics): BrokerCallMetrics {
  return {
    calls: metrics.hotHistogram({ name: 'stratus_router_broker_call_seconds', help: 'Router to broker calls by RPC and outcome', labelNames: ['rpc', 'outcome'] }),
    streamFailures: metrics.counter({ name: 'stratus_router_broker_stream_failures_total', help: 'Broker Produce/Fetch streams that failed or ended', labelNames: ['rpc'] }),
  };
}

export function createHandlerMetrics(metrics: Metrics): HandlerMetrics {
  return {
    retriedPartitions: metrics.counter({ name: 'stratus_router_retried_partitions_total', help: 'Partitions re-sent after a leader move or broker failure', labelNames: ['api'] }),
    fetchSessions: metrics.gauge({ name: 'stratus_router_fetch_sessions', help: 'Incremental fetch sessions (KIP-227) held by this router' }),
    produceRequestsPerMessage: metrics.histogram({
      name: 'stratus_router_produce_requests_per_broker_message',
      help: 'Client Produce requests (parts of them for one broker) sent in one broker Produce message',
      buckets: [1, 2, 4, 8, 16, 32, 64],
    }),
  };
}
