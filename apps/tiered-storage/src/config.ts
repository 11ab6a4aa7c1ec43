import { z } from 'zod';
import { baseConfigShape, bytes, durationMs, hostPort, integer, port, text } from '@stratus/platform-config';

/**
 * Where sealed segments live, as one URL (parsed in full by @stratus/tiered-object-store at start):
 * `s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true`, `file:///abs/path`, `file:rel/path`.
 * Checked here only for the scheme and for embedded credentials, so a typo fails with the key's
 * name and a URL with `user:password@` is refused before its value could reach a log line.
 */
function objectStoreUrl() {
  const error = 'expected an object store URL: s3://bucket/prefix, file:///path or file:relative/path (credentials come from the AWS SDK chain, never the URL)';
  return text({ describe: 'an object store URL' }).refine((value) => /^(s3|file|memory):/i.test(value) && !/^[a-z0-9+.-]+:\/\/[^/?#]*@/i.test(value), { error });
}

/** Tiered-storage configuration: uploads sealed segments to an object store and serves cold reads. */
export const tieredStorageConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7004, adminPort: 9104 }),
  /** Object store for sealed segments; S3 credentials come from the AWS SDK's default chain (env, profile, IRSA, instance role). */
  objectStoreUrl: objectStoreUrl().default('file:data/tiered/objects'),
  /** Local SSD cache of segment chunks for cold reads. */
  cacheDir: text({ describe: 'a directory path' }).default('data/tiered/cache'),
  cacheMaxBytes: bytes({ min: 0 }).default(1024 ** 3),
  /** Pause between two upload rounds over every partition (a round that overruns starts the next at once). */
  uploadIntervalMs: durationMs({ min: 100 }).default(30_000),
  /** Partitions uploaded at the same time; each upload streams one segment at a time. */
  uploadConcurrency: integer({ min: 1, max: 64, describe: 'a number of partitions' }).default(2),
  /** Uploads per partition pass; a larger backlog continues in the next round, so other tenants' partitions get their turn between. */
  uploadMaxSegmentsPerPass: integer({ min: 1, max: 10_000, describe: 'a number of segments' }).default(8),
  /** Pause between two durability audit passes over every partition this node tiers. */
  auditIntervalMs: durationMs({ min: 1_000 }).default(3_600_000),
  /** Object bytes the audit re-reads per second to compare checksums; 0 turns re-reading off (continuity and retention checks still run). */
  auditVerifyBytesPerSecond: bytes({ min: 0 }).default(8 * 1024 ** 2),
  /**
   * host:port of the metadata service: segment manifests, partition assignments, replication
   * nodes and topic retention come from there, and this node registers as TIERED_STORAGE.
   * Unset: reads answer NOT_READY and nothing is uploaded (logged as a warning at start).
   */
  metadataAddress: hostPort().optional(),
  /** Host other services dial for this node's gRPC API; default the bind host (the host name when binding all interfaces). */
  grpcAdvertisedHost: text({ describe: 'a host name or IP address' }).optional(),
  /** Port other services dial; default the bound gRPC port. */
  grpcAdvertisedPort: port().optional(),
  /** Lease TTL asked of the metadata service; heartbeats go every third of it. */
  metadataLeaseTtlMs: durationMs({ min: 1_000, max: 300_000 }).default(10_000),
});

export type TieredStorageConfig = z.output<typeof tieredStorageConfigSchema>;
