// startKafkaListener: the router's Kafka front door on TCP (or TLS), one KafkaConnection per client.
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { DEFAULT_MAX_FRAME_BYTES } from '@stratus/kafka-protocol';
import type { Logger } from '@stratus/platform-logging';
import type { Metrics } from '@stratus/platform-metrics';
import { KafkaConnection } from './connection/kafka-connection';
import { TenantBudgets } from './connection/memory-budget';
import type { QuotaPolicy } from './connection/quota-policy';
import type { CredentialSource } from './credentials/credential-source';
import { apiVersionsHandler } from './handlers/api-versions';
import type { ApiHandler, ListenerInfo } from './handlers/handler';
import { metadataHandler } from './handlers/metadata';
import { HandlerRegistry } from './handlers/registry';
import { saslAuthenticateHandler } from './handlers/sasl-authenticate';
import { saslHandshakeHandler } from './handlers/sasl-handshake';
import { createListenerMetrics } from './metrics';
import { ALL_SASL_MECHANISMS, type SaslMechanism } from './types';

export interface KafkaListenerOptions {
  readonly credentials: CredentialSource;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Bind address; default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Serve TLS with these options (key, cert, ...) instead of plain TCP. */
  readonly tls?: TlsOptions;
  /** Host and port advertised in Metadata; default the bound address. */
  readonly advertisedHost?: string;
  readonly advertisedPort?: number;
  readonly nodeId?: number;
  readonly clusterId?: string;
  /** socket.request.max.bytes; default 100 MiB. */
  readonly maxRequestBytes?: number;
  /** Request bytes in flight per connection; default 64 MiB. */
  readonly connectionMemoryBytes?: number;
  /** Requests in flight per connection before reading pauses; default 512. */
  readonly maxInFlightRequests?: number;
  /** Request bytes in flight per tenant; default 512 MiB. */
  readonly tenantMemoryBytes?: number;
  /** Request bytes in flight over all unauthenticated connections; default 16 MiB. */
  readonly unauthenticatedMemoryBytes?: number;
  /** connections.max.idle.ms; default 10 minutes. */
  readonly idleTimeoutMs?: number;
  /** connection.failed.authentication.delay.ms (KIP-306); default 100 ms. */
  readonly failedAuthenticationDelayMs?: number;
  /** connections.max.reauth.ms (KIP-368); 0 (default) disables session expiry and re-authentication. */
  readonly maxSessionLifetimeMs?: number;
  /** Enabled SASL mechanisms; default PLAIN, SCRAM-SHA-256, SCRAM-SHA-512. */
  readonly saslMechanisms?: readonly SaslMechanism[];
  /**
   * Handlers for further APIs (Produce, Fetch, ...), added to ApiVersions and SASL. A Metadata
   * handler here replaces the built-in standalone one (this listener as the only broker, no
   * topics), which serves only listeners run without a cluster view (tests, tools).
   */
  readonly handlers?: readonly ApiHandler[];
  /**
   * Per-tenant quotas (@stratus/router-quotas): throttle_time_ms and a muted connection over a
   * rate quota, connection limits after authentication. Nothing is enforced without it.
   */
  readonly quotas?: QuotaPolicy;
}

export interface KafkaListener {
  readonly host: string;
  readonly port: number;
  /** Open connections right now. */
  readonly connectionCount: number;
  /** Stops accepting, closes every connection and resolves when the server is closed. */
  close(): Promise<void>;
}

export const KAFKA_LISTENER_DEFAULTS = {
  host: '127.0.0.1',
  maxRequestBytes: DEFAULT_MAX_FRAME_BYTES,
  connectionMemoryBytes: 64 * 1024 * 1024,
  maxInFlightRequests: 512,
  tenantMemoryBytes: 512 * 1024 * 1024,
  unauthenticatedMemoryBytes: 16 * 1024 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  failedAuthenticationDelayMs: 100,
  maxSessionLifetimeMs: 0,
  nodeId: 0,
  clusterId: 'stratus',
} as const;

export async function startKafkaListener(options: KafkaListenerOptions): Promise<KafkaListener> {
  const d = KAFKA_LISTENER_DEFAULTS;
  const logger = options.logger.child({ component: 'kafka-listener' });
  const metrics = options.metrics ? createListenerMetrics(options.metrics) : undefined;
  const failedAuthenticationDelayMs = options.failedAuthenticationDelayMs ?? d.failedAuthenticationDelayMs;
  const registry = new HandlerRegistry([
    apiVersionsHandler,
    saslHandshakeHandler,
    saslAuthenticateHandler({ failedAuthenticationDelayMs }),
    ...withDefaults(options.handlers ?? [], [metadataHandler]),
  ]);
  const budgets = new TenantBudgets({
    tenantBytes: options.tenantMemoryBytes ?? d.tenantMemoryBytes,
    unauthenticatedBytes: options.unauthenticatedMemoryBytes ?? d.unauthenticatedMemoryBytes,
  });
  const connections = new Set<KafkaConnection>();
  let nextId = 1;
  // Known once the server is bound (the advertised port may be the one the OS picked).
  const bound: { listener?: ListenerInfo } = {};

  const accept = (socket: Socket): void => {
    const listener = bound.listener;
    if (!listener) {
      socket.destroy();
      return;
    }
    const connection = new KafkaConnection({
      id: nextId++,
      socket,
      registry,
      listener,
      credentials: options.credentials,
      mechanisms: options.saslMechanisms ?? ALL_SASL_MECHANISMS,
      maxSessionLifetimeMs: options.maxSessionLifetimeMs ?? d.maxSessionLifetimeMs,
      failedAuthenticationDelayMs,
      maxRequestBytes: options.maxRequestBytes ?? d.maxRequestBytes,
      connectionMemoryBytes: options.connectionMemoryBytes ?? d.connectionMemoryBytes,
      maxInFlightRequests: options.maxInFlightRequests ?? d.maxInFlightRequests,
      budgets,
      idleTimeoutMs: options.idleTimeoutMs ?? d.idleTimeoutMs,
      logger,
      metrics,
      ...(options.quotas ? { quotas: options.quotas } : {}),
      onClosed: (c) => connections.delete(c),
    });
    connections.add(connection);
  };

  const server: Server = options.tls
    ? createTlsServer(options.tls, accept).on('tlsClientError', (error) => logger.debug({ err: error }, 'TLS handshake failed'))
    : createTcpServer(accept);
  server.on('error', (error) => logger.error({ err: error }, 'kafka listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? d.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  bound.listener = {
    nodeId: options.nodeId ?? d.nodeId,
    host: options.advertisedHost ?? address.address,
    port: options.advertisedPort ?? address.port,
    clusterId: options.clusterId ?? d.clusterId,
  };
  logger.info({ host: address.address, port: address.port, tls: options.tls !== undefined }, 'kafka listener started');

  return {
    host: address.address,
    port: address.port,
    get connectionCount() {
      return connections.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of connections) connection.destroy();
      }),
  };
}

/** `handlers` plus each default whose API key none of them serves (ApiVersions and SASL are not overridable). */
function withDefaults(handlers: readonly ApiHandler[], defaults: readonly ApiHandler[]): ApiHandler[] {
  const given = new Set(handlers.map((h) => h.apiKey));
  return [...defaults.filter((d) => !given.has(d.apiKey)), ...handlers];
}
