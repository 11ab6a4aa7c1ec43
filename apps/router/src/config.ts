import { z } from 'zod';
import { baseConfigShape, boolean, durationMs, hostPort, port, text } from '@stratus/platform-config';
import { kafkaListenerConfigShape } from '@stratus/router-kafka-server';

/**
 * Router configuration: the Kafka listener (clients speak Kafka to it) and where credentials are
 * checked. Its gRPC port carries grpc.health.v1 for probes and load balancers.
 */
export const routerConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7000, adminPort: 9100 }),
  ...kafkaListenerConfigShape(),
  /** host:port of the metadata service (a Kubernetes Service in front of its replicas). */
  metadataAddress: hostPort(),
  /**
   * How long a successful credential lookup is reused. A revoked key or changed secret keeps
   * working for NEW connections for up to this long; connections already authenticated are not
   * affected until they re-authenticate (kafkaMaxReauthMs). 0 asks metadata on every login.
   */
  credentialCacheTtlMs: durationMs({ max: 60 * 60 * 1000 }).default(30_000),
  /** Deadline of one credential lookup against the metadata service. */
  credentialLookupTimeoutMs: durationMs({ min: 100, max: 60_000 }).default(3_000),
  /** Name of the Kafka listener registered with metadata (and which peer listener to advertise). */
  kafkaListenerName: text({ describe: 'a listener name' }).default('EXTERNAL'),
  /** Host registered as this router's gRPC address; default the bind host (the host name when binding all interfaces). */
  grpcAdvertisedHost: text({ describe: 'a host name or IP address' }).optional(),
  /** Port registered as this router's gRPC port; default the bound one. */
  grpcAdvertisedPort: port().optional(),
  /** Lease TTL asked of the metadata service for this router's registration; heartbeats go every third of it. */
  metadataLeaseTtlMs: durationMs({ min: 1_000, max: 300_000 }).default(10_000),
  /** Longest wait for the cluster view to show a topic this router just auto-created. */
  clusterViewCatchUpTimeoutMs: durationMs({ min: 100, max: 60_000 }).default(5_000),
  /**
   * Send the produces of one tenant for one broker that arrive in the same event-loop turn as one
   * broker message (fewer, larger gRPC messages; a merged message is answered when all its
   * partitions are). Off by default: measured no faster, and slower per request, on the 2-core
   * benchmark (docs/router.md "Produce coalescing").
   */
  produceCoalescing: boolean().default(false),
});

export type RouterConfig = z.output<typeof routerConfigSchema>;
