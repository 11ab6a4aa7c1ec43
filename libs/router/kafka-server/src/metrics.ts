// Prometheus metrics of the Kafka listener. What is counted per request or per read is a hot
// counter (cells, no label hashing per update: @stratus/platform-metrics hot-metrics.ts).
import type { HotCounter, Metrics } from '@stratus/platform-metrics';
import type { Counter, Gauge } from 'prom-client';

export interface ListenerMetrics {
  readonly connections: Gauge<'tenant'>;
  readonly requests: HotCounter<'api'>;
  readonly authFailures: Counter<'mechanism'>;
  readonly bytesIn: HotCounter<'tenant'>;
  readonly bytesOut: HotCounter<'tenant'>;
  readonly protocolViolations: Counter<'reason'>;
}

/** Label used for connections that have not authenticated yet. */
export const UNAUTHENTICATED = 'unauthenticated';

export function createListenerMetrics(metrics: Metrics): ListenerMetrics {
  return {
    connections: metrics.gauge({ name: 'stratus_router_connections', help: 'Open Kafka connections by tenant', labelNames: ['tenant'] }),
    requests: metrics.hotCounter({ name: 'stratus_router_requests_total', help: 'Kafka requests dispatched by API', labelNames: ['api'] }),
    authFailures: metrics.counter({ name: 'stratus_router_auth_failures_total', help: 'Failed SASL authentications', labelNames: ['mechanism'] }),
    bytesIn: metrics.hotCounter({ name: 'stratus_router_bytes_in_total', help: 'Bytes received from Kafka clients', labelNames: ['tenant'] }),
    bytesOut: metrics.hotCounter({ name: 'stratus_router_bytes_out_total', help: 'Bytes sent to Kafka clients', labelNames: ['tenant'] }),
    protocolViolations: metrics.counter({ name: 'stratus_router_protocol_violations_total', help: 'Connections closed for a protocol violation', labelNames: ['reason'] }),
  };
}
