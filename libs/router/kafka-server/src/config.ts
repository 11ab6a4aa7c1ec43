// Configuration keys of the Kafka listener, for the router app to spread into its schema
// (env STRATUS_KAFKA_PORT, STRATUS_KAFKA_MAX_REQUEST_BYTES, ...), and their mapping to options.
import { readFileSync } from 'node:fs';
import { bytes, durationMs, integer, list, oneOf, port, text } from '@stratus/platform-config';
import { z } from 'zod';
import { KAFKA_LISTENER_DEFAULTS, type KafkaListenerOptions } from './listener';
import { ALL_SASL_MECHANISMS, type SaslMechanism } from './types';

const d = KAFKA_LISTENER_DEFAULTS;
const MAX_INT32 = 2 ** 31 - 1;

export function kafkaListenerConfigShape() {
  return {
    /** Kafka listener port (9092 is Kafka's; 0 picks a free port). */
    kafkaPort: port().default(9092),
    /** Host clients are told to connect to (Metadata); default the bind address. */
    kafkaAdvertisedHost: text({ describe: 'a host name or IP address' }).optional(),
    kafkaAdvertisedPort: port().optional(),
    /** socket.request.max.bytes */
    kafkaMaxRequestBytes: bytes({ min: 1024, max: MAX_INT32 }).default(d.maxRequestBytes),
    kafkaConnectionMemoryBytes: bytes({ min: 1024 }).default(d.connectionMemoryBytes),
    kafkaMaxInFlightRequests: integer({ min: 1, max: 100_000, describe: 'a number of requests' }).default(d.maxInFlightRequests),
    kafkaTenantMemoryBytes: bytes({ min: 1024 }).default(d.tenantMemoryBytes),
    kafkaUnauthenticatedMemoryBytes: bytes({ min: 1024 }).default(d.unauthenticatedMemoryBytes),
    /** connections.max.idle.ms */
    kafkaIdleTimeoutMs: durationMs({ min: 1000 }).default(d.idleTimeoutMs),
    /** connection.failed.authentication.delay.ms (KIP-306) */
    kafkaFailedAuthDelayMs: durationMs({ max: 60_000 }).default(d.failedAuthenticationDelayMs),
    /** connections.max.reauth.ms (KIP-368); 0 disables session expiry. */
    kafkaMaxReauthMs: durationMs().default(d.maxSessionLifetimeMs),
    kafkaSaslMechanisms: list(oneOf(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)).default([...ALL_SASL_MECHANISMS]),
    /** PEM files; both set → TLS listener. */
    kafkaTlsCertFile: text({ describe: 'a PEM certificate file path' }).optional(),
    kafkaTlsKeyFile: text({ describe: 'a PEM private key file path' }).optional(),
  };
}

export type KafkaListenerConfig = z.output<z.ZodObject<ReturnType<typeof kafkaListenerConfigShape>>>;

/** Listener options from validated config; credentials, logger and metrics come from the app. */
export function kafkaListenerOptionsFromConfig(
  config: KafkaListenerConfig & { readonly bindHost: string },
  deps: Pick<KafkaListenerOptions, 'credentials' | 'logger' | 'metrics' | 'handlers' | 'nodeId' | 'clusterId'>,
): KafkaListenerOptions {
  if ((config.kafkaTlsCertFile === undefined) !== (config.kafkaTlsKeyFile === undefined)) {
    throw new Error('kafkaTlsCertFile and kafkaTlsKeyFile must be set together');
  }
  const tls =
    config.kafkaTlsCertFile !== undefined && config.kafkaTlsKeyFile !== undefined
      ? { cert: readFileSync(config.kafkaTlsCertFile), key: readFileSync(config.kafkaTlsKeyFile) }
      : undefined;
  return {
    ...deps,
    host: config.bindHost,
    port: config.kafkaPort,
    ...(config.kafkaAdvertisedHost !== undefined ? { advertisedHost: config.kafkaAdvertisedHost } : {}),
    ...(config.kafkaAdvertisedPort !== undefined ? { advertisedPort: config.kafkaAdvertisedPort } : {}),
    ...(tls ? { tls } : {}),
    maxRequestBytes: config.kafkaMaxRequestBytes,
    connectionMemoryBytes: config.kafkaConnectionMemoryBytes,
    maxInFlightRequests: config.kafkaMaxInFlightRequests,
    tenantMemoryBytes: config.kafkaTenantMemoryBytes,
    unauthenticatedMemoryBytes: config.kafkaUnauthenticatedMemoryBytes,
    idleTimeoutMs: config.kafkaIdleTimeoutMs,
    failedAuthenticationDelayMs: config.kafkaFailedAuthDelayMs,
    maxSessionLifetimeMs: config.kafkaMaxReauthMs,
    saslMechanisms: config.kafkaSaslMechanisms as SaslMechanism[],
  };
}
