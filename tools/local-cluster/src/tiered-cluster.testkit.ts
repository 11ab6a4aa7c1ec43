// The tiered-storage scenario shared by the tiered end-to-end specs: `npm start`'s cluster with
// tiered storage on a real S3 API server (s3rver), small replication segments and fast uploads so
// segments roll, upload and leave the hot tier within a test, plus the gRPC look-ups the specs use
// to see where a partition's data lives (manifest, replicas' log states, leader).
import { commonV1, metadataV1, replicationV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { StopWaiting, waitFor, type S3Handle } from '@stratus/platform-testing';
import type { Kafka } from 'kafkajs';
import { launchLocalCluster, type LaunchedCluster } from './launch.testkit';

/** Replication segment size: small, so a few thousand records roll many segments. */
export const TIERED_SEGMENT_BYTES = 64 * 1024;

/** A record's value in the tiered specs: long enough (150..199 bytes) to fill segments quickly. */
export const tieredPayload = (i: number): string => `record-${i}-${'x'.repeat(150 + (i % 50))}`;

/**
 * Starts the local cluster with tiered-storage writing to `s3`'s bucket under `prefix/`, 64 KiB
 * replication segments, uploads every 500 ms and no broker tail cache (so every read below the
 * replicas' local start must come from the tier).
 */
export async function launchTieredCluster(name: string, s3: S3Handle, options: { bucket: string; prefix: string }): Promise<LaunchedCluster> {
  const url = `s3://${options.bucket}/${options.prefix}?${new URLSearchParams({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: 'true' })}`;
  return launchLocalCluster(name, {
    startTimeoutMs: 240_000,
    extraArgs: [
      '--object-store-url',
      url,
      '--service-env',
      `replication:STRATUS_SEGMENT_BYTES=${TIERED_SEGMENT_BYTES}`,
      '--service-env',
      `tiered-storage:AWS_ACCESS_KEY_ID=${s3.accessKeyId}`,
      '--service-env',
      `tiered-storage:AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}`,
      '--service-env',
      'tiered-storage:STRATUS_UPLOAD_INTERVAL_MS=500',
      '--service-env',
      'broker:STRATUS_TAIL_CACHE_BYTES_PER_PARTITION=0',
    ],
  });
}

/**
 * Connects a kafkajs client, retrying a refused login: under load the router's credential check
 * against metadata can miss its deadline and close the connection, which kafkajs does not retry.
 */
export async function connectRetrying(client: { connect(): Promise<void> }): Promise<void> {
  await waitFor(
    async () => {
      await client.connect();
      return true;
    },
    { timeoutMs: 120_000, intervalMs: 1_000, description: 'a kafkajs client to connect and log in' },
  );
}

/** Creates a one-partition, three-replica topic whose uploaded segments may all leave the hot tier at once. */
export async function createTieredTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await connectRetrying(admin);
  try {
    // local.retention.bytes=0: every uploaded segment may leave the hot tier (the active one stays).
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'local.retention.bytes', value: '0' }] }] });
  } finally {
    await admin.disconnect();
  }
}

/** Produces records 0..count-1 (key `k<i>`, value tieredPayload(i)) idempotently with acks=all. */
export async function produceNumbered(kafka: Kafka, topic: string, count: number, batch = 100): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await connectRetrying(producer);
  try {
    for (let i = 0; i < count; i += batch) {
      const n = Math.min(batch, count - i);
      await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ key: `k${i + j}`, value: tieredPayload(i + j) })) });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedRecord {
  readonly offset: string;
  readonly key: string;
  readonly value: string;
}

/** A new group reads `topic` from the beginning until it has `expected` records (or the timeout). */
export async function consumeFromBeginning(kafka: Kafka, options: { groupId: string; topic: string; expected: number; timeoutMs?: number }): Promise<ConsumedRecord[]> {
  const consumer = kafka.consumer({ groupId: options.groupId, maxBytes: 256 * 1024 });
  await connectRetrying(consumer);
  const seen: ConsumedRecord[] = [];
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ offset: message.offset, key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
      },
    });
    await waitFor(() => seen.length >= options.expected || undefined, { timeoutMs: options.timeoutMs ?? 180_000, intervalMs: 500, description: `${options.expected} records of ${options.topic} consumed (${seen.length} so far)` });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** The metadata service's view of a tenant topic's partition: its ref and current leader. */
export interface PartitionPlacement {
  readonly partition: commonV1.PartitionRef;
  readonly leaderNodeId: string;
  readonly leaderEpoch: number;
}

export async function partitionPlacement(metadata: metadataV1.MetadataServiceClient, options: { tenant: string; topic: string; partition: number }): Promise<PartitionPlacement> {
  const tenant = await unaryCall(metadata, metadata.getTenant, metadataV1.GetTenantRequest.fromPartial({ selector: { $case: 'name', value: options.tenant } }), { timeoutMs: 10_000 });
  const described = await unaryCall(
    metadata,
    metadata.describeTopics,
    metadataV1.DescribeTopicsRequest.fromPartial({ tenantId: tenant.tenant?.tenantId ?? {}, topics: [{ selector: { $case: 'name', value: options.topic } }], includePartitions: true }),
    { timeoutMs: 10_000 },
  );
  const topic = described.topics[0]?.topic;
  if (!topic?.topicId) throw new Error(`topic ${options.topic} is not in the metadata service`);
  const assignment = described.topics[0]?.partitions.find((a) => a.partition?.partition === options.partition);
  return { partition: { topicId: topic.topicId, partition: options.partition }, leaderNodeId: assignment?.leaderNodeId ?? '', leaderEpoch: assignment?.leaderEpoch ?? -1 };
}

/** gRPC clients of every registered replication node (the caller closes them). */
export async function replicationClients(metadata: metadataV1.MetadataServiceClient): Promise<replicationV1.ReplicationServiceClient[]> {
  const nodes = await unaryCall(metadata, metadata.listNodes, metadataV1.ListNodesRequest.fromPartial({ role: commonV1.NodeRole.REPLICATION }), { timeoutMs: 10_000 });
  return nodes.nodes.map((n) => createGrpcClient(replicationV1.ReplicationServiceClient, n.node?.grpcAddress ?? ''));
}

export async function logStates(replicas: readonly replicationV1.ReplicationServiceClient[], partition: commonV1.PartitionRef): Promise<replicationV1.LogState[]> {
  const answers = await Promise.all(replicas.map((r) => unaryCall(r, r.getLogState, replicationV1.GetLogStateRequest.fromPartial({ partition }), { timeoutMs: 10_000 })));
  return answers.map((a) => {
    if (!a.state) throw new Error(`a replica answered GetLogState without a state: ${JSON.stringify(a.error)}`);
    return a.state;
  });
}

/** The first offset a replica holds on its disk: local_log_start_offset, never below the logical start (log.proto). */
export const firstLocalOffset = (state: replicationV1.LogState): bigint => (state.localLogStartOffset > state.logStartOffset ? state.localLogStartOffset : state.logStartOffset);

export async function listManifest(metadata: metadataV1.MetadataServiceClient, partition: commonV1.PartitionRef, options: { includeDeleting?: boolean } = {}): Promise<metadataV1.ListSegmentsResponse['segments']> {
  const listed = await unaryCall(metadata, metadata.listSegments, metadataV1.ListSegmentsRequest.fromPartial({ partition, includeDeleting: options.includeDeleting ?? false }), { timeoutMs: 10_000 });
  return listed.segments;
}

/**
 * Waits until at least `minSegments` segments are in the manifest and every replica's first local
 * offset is at least half way to the manifest's end (local.retention.bytes=0 drops every uploaded
 * segment). Checks on every poll that no replica dropped what the manifest does not hold.
 */
export async function waitUploadedAndDropped(options: {
  metadata: metadataV1.MetadataServiceClient;
  replicas: readonly replicationV1.ReplicationServiceClient[];
  partition: commonV1.PartitionRef;
  minSegments: number;
}): Promise<{ segments: number; manifestEnd: bigint }> {
  let manifestEnd = 0n;
  let segments = 0;
  await waitFor(
    async () => {
      const listed = await listManifest(options.metadata, options.partition);
      segments = listed.length;
      manifestEnd = listed.reduce((end, s) => (s.endOffset > end ? s.endOffset : end), 0n);
      if (segments < options.minSegments) return undefined;
      const starts = (await logStates(options.replicas, options.partition)).map(firstLocalOffset);
      // The safety rule: local retention never drops beyond what the manifest holds.
      const beyond = starts.find((start) => start > manifestEnd);
      if (beyond !== undefined) throw new StopWaiting(new Error(`a replica dropped up to ${beyond}, beyond the manifest end ${manifestEnd}`));
      return starts.every((start) => start > 0n && start * 2n >= manifestEnd) || undefined;
    },
    { timeoutMs: 180_000, intervalMs: 1_000, description: `at least ${options.minSegments} segments uploaded to S3 and dropped from every replica` },
  );
  return { segments, manifestEnd };
}
