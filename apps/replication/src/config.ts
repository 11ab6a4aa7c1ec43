import { z } from 'zod';
import { baseConfigShape, bytes, durationMs, hostPort, oneOf, port, text } from '@stratus/platform-config';

/** Replication node configuration: the replicated hot log on local disk. */
export const replicationConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7003, adminPort: 9103 }),
  /** Directory holding the partition logs (a local SSD volume in production). */
  dataDir: text({ describe: 'a directory path' }).default('data/replication'),
  /**
   * When appends are acknowledged relative to fsync. `none` leaves flushing to the page cache, as
   * Kafka does by default: durability comes from the write quorum across three AZs.
   */
  flushPolicy: oneOf(['none', 'interval', 'every-append']).default('none'),
  /** With flushPolicy=interval: how often dirty segments are fsynced. */
  flushIntervalMs: durationMs({ min: 1 }).default(1_000),
  /**
   * Roll the active segment when an append would take it past this size (Kafka log.segment.bytes).
   * Only sealed segments are tiered and dropped by local retention, so small values let tests and a
   * local cluster exercise tiering; the floor keeps index positions meaningful, the cap keeps them uint32-safe.
   */
  segmentBytes: bytes({ min: 1024, max: 2 ** 31 - 1 }).default(1024 * 1024 * 1024),
  /** Roll the active segment at the first append after it is this old (Kafka log.roll.ms). */
  segmentMs: durationMs({ min: 1, max: 365 * 24 * 3600 * 1000 }).default(7 * 24 * 3600 * 1000),
  /** A disk operation in flight longer than this makes the node not ready (callers route around it). */
  storageStallMs: durationMs({ min: 1 }).default(10_000),
  /** A stall that lasts this much longer ends the process so its supervisor restarts it. */
  storageFatalMs: durationMs({ min: 1 }).default(60_000),
  /**
   * host:port of the metadata service. The node registers there (role REPLICATION, with its AZ
   * and cell) so the controller places replica sets on it. Unset: the node serves but is never
   * registered, so no new partition is placed on it (logged as a warning at start).
   */
  metadataAddress: hostPort().optional(),
  /** Host other services dial for this node's gRPC API; default the bind host (the host name when binding all interfaces). */
  grpcAdvertisedHost: text({ describe: 'a host name or IP address' }).optional(),
  /** Port other services dial; default the bound gRPC port (differs behind a NAT or port mapping). */
  grpcAdvertisedPort: port().optional(),
  /** Lease TTL asked of the metadata service; heartbeats go every third of it. */
  metadataLeaseTtlMs: durationMs({ min: 1_000, max: 300_000 }).default(10_000),
});

export type ReplicationConfig = z.output<typeof replicationConfigSchema>;
