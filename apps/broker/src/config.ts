import { z } from 'zod';
import { baseConfigShape, bytes, durationMs, hostPort, integer } from '@stratus/platform-config';

/** Broker configuration (compute layer: partition leaders and coordinators). */
export const brokerConfigSchema = z.object({
  ...baseConfigShape({ grpcPort: 7002, adminPort: 9102 }),
  /** host:port of the metadata service (registration, watches, producer id blocks). */
  metadataAddress: hostPort(),
  /**
   * host:port routers and peers dial for this broker's gRPC API, registered with metadata.
   * Default: the bind host (or the host name when binding 0.0.0.0) and the bound gRPC port.
   */
  advertisedGrpcAddress: hostPort().optional(),
  /** Lease TTL requested at registration; the controller moves our partitions this long after we die. */
  leaseTtlMs: durationMs({ min: 1_000, max: 300_000 }).default(10_000),
  /** Hot tail cache budget of EACH partition led (PartitionLeader's tail cache). */
  tailCacheBytesPerPartition: bytes({ min: 0, max: 2 ** 31 - 1 }).default(8 * 1024 * 1024),
  /** Deadline of Fence/Truncate/MarkEpochStart/Read calls to replication nodes. */
  replicaCallTimeoutMs: durationMs({ min: 100, max: 600_000 }).default(5_000),
  /** Deadline of one Append to a replication node. */
  replicaAppendTimeoutMs: durationMs({ min: 100, max: 600_000 }).default(10_000),
  /** Deadline of peer Repair calls (copying a replica's missing range). */
  replicaRepairTimeoutMs: durationMs({ min: 100, max: 3_600_000 }).default(60_000),
  /** Time budget of a request whose header carries no timeout_ms. */
  requestTimeoutMs: durationMs({ min: 1, max: 3_600_000 }).default(30_000),
  /** Produce payload bytes in flight per router stream before the broker stops reading it. */
  produceStreamMemoryBytes: bytes({ min: 1024 }).default(64 * 1024 * 1024),
  /** Fetch response bytes reserved per router stream before the broker stops reading it. */
  fetchStreamMemoryBytes: bytes({ min: 1024 }).default(64 * 1024 * 1024),
  /** Cap of one fetch response's record bytes (Kafka's fetch.max.bytes default). */
  fetchMaxResponseBytes: bytes({ min: 1024, max: 2 ** 31 - 1 }).default(50 * 1024 * 1024),
  /** Producer ids requested per AllocateProducerIds call; 0 = the metadata service's default. */
  producerIdBlockSize: integer({ min: 0, max: 1_000_000 }).default(0),
  /** Deadline of unary calls to the metadata service (AllocateProducerIds). */
  metadataCallTimeoutMs: durationMs({ min: 100, max: 60_000 }).default(5_000),
});

export type BrokerConfig = z.output<typeof brokerConfigSchema>;
