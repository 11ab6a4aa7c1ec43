// What every data-path handler shares: the cluster view, the brokers, retry tuning, and the
// helpers to build a broker request header and to resolve the tenant of a request.
import { brokerV1 } from '@stratus/contracts';
import type { Logger } from '@stratus/platform-logging';
import type { ClusterView } from '@stratus/router-cluster-view';
import type { RequestContext } from '@stratus/router-kafka-server';
import type { BrokerRpc } from '../connections/broker-connections';
import type { HandlerMetrics } from './routing-metrics';

export interface RetryPolicy {
  /** Rounds of sending per request, the first included; default 4. */
  readonly maxAttempts: number;
  /** Longest wait for `view.catchUp()` between rounds; default 1 s (capped by the request's time left). */
  readonly catchUpTimeoutMs: number;
  /** Pause before a retry round, times the attempt number; default 20 ms. */
  readonly backoffMs: number;
  /** No retry round is started with less time than this left; default 50 ms. */
  readonly minRetryBudgetMs: number;
  /**
   * How long a Fetch waits for a slow broker's immediate answer before giving up on it; default
   * 10 s. Fetch has no timeout field: clients wait request.timeout.ms (Java and kafkajs 30 s) for
   * the answer, so a loaded broker answering late is better than an error (fetch-routing.ts).
   */
  readonly fetchPatienceMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  catchUpTimeoutMs: 1_000,
  backoffMs: 20,
  minRetryBudgetMs: 50,
  fetchPatienceMs: 10_000,
};

export interface RoutingDeps {
  readonly view: ClusterView;
  readonly brokers: BrokerRpc;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly metrics?: HandlerMetrics;
}

/** The authenticated tenant of a request; handlers are never reached before authentication. */
export function tenantOf(ctx: RequestContext): string {
  const principal = ctx.sasl.principal;
  if (!principal) throw new Error('data-path handler reached without an authenticated principal');
  return principal.tenantId;
}

export function brokerHeader(
  ctx: RequestContext,
  options: { timeoutMs: number; clientAvailabilityZone?: string },
): brokerV1.RequestHeader {
  const principal = ctx.sasl.principal;
  // Every field spelled out instead of RequestHeader.fromPartial: one header per broker call on
  // the produce and fetch paths, where fromPartial's field-by-field copy showed in the profile.
  return {
    correlationId: 0n,
    tenantId: { value: tenantOf(ctx) },
    apiVersion: ctx.header.apiVersion,
    clientId: ctx.header.clientId ?? '',
    principal: principal?.username ?? '',
    clientAvailabilityZone: options.clientAvailabilityZone ?? '',
    timeoutMs: Math.max(0, Math.floor(options.timeoutMs)),
    clientHost: '',
  };
}

/** Map key of a partition: topic id hex and index. */
export function partitionKey(topicId: Buffer, partition: number): string {
  return `${topicId.toString('hex')}:${partition}`;
}

/** Kafka's Uuid text form (8-4-4-4-12) of 16 topic id bytes. */
export function uuidOf(topicId: Buffer): string {
  const hex = topicId.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 16 bytes of a Kafka Uuid text form; undefined when it is not one. */
export function topicIdBytes(uuid: string): Buffer | undefined {
  const hex = uuid.replace(/-/g, '');
  return /^[0-9a-f]{32}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
