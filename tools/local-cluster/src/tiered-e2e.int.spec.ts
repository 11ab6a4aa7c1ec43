// Issue 9's first test, real processes end to end: `npm start`'s cluster (etcd, metadata, three
// replication nodes with 64 KiB segments, two brokers, tiered-storage, three routers) with tiered
// storage on a real S3 API server (s3rver). Enough is produced to roll and upload many segments;
// local retention drops them from every replica; then a consumer group reads from offset 0 —
// through the broker's tier-read path — and every record must come back as produced.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commonV1, metadataV1, replicationV1, tieredV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { ListObjectsCommand } from '@aws-sdk/client-s3';
import { s3Client, startS3, useHarness, waitFor, type S3Handle } from '@stratus/platform-testing';
import type { Admin, Kafka } from 'kafkajs';
import { kafkajsClient, stopLocalCluster, type LaunchedCluster } from './launch.testkit';
import {
  connectRetrying,
  consumeFromBeginning,
  createTieredTopic,
  firstLocalOffset,
  launchTieredCluster,
  listManifest,
  logStates,
  partitionPlacement,
  produceNumbered,
  replicationClients,
  tieredPayload as payload,
  waitUploadedAndDropped,
} from './tiered-cluster.testkit';

useHarness();

const BUCKET = 'tiered-e2e';
const TOPIC = 'tiered-e2e';
const RECORDS = 4_000;

describe('tiered storage end to end (S3 API server)', () => {
  let s3: S3Handle;
  let cluster: LaunchedCluster;
  let metadata: metadataV1.MetadataServiceClient;
  let admin: Admin | undefined;
  let kafka: Kafka | undefined;
  let tiered: tieredV1.TieredStorageServiceClient | undefined;
  const replicas: replicationV1.ReplicationServiceClient[] = [];
  /** The partition in metadata terms, found by the first test. */
  let partition: commonV1.PartitionRef | undefined;

  beforeAll(async () => {
    s3 = await startS3({ bucket: BUCKET });
    cluster = await launchTieredCluster('tiered-e2e', s3, { bucket: BUCKET, prefix: 'e2e' });
    metadata = createGrpcClient(metadataV1.MetadataServiceClient, cluster.credentials().metadataAddress);
  }, 300_000);

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    for (const r of replicas) r.close();
    tiered?.close();
    metadata?.close();
    await stopLocalCluster(cluster);
    await s3?.stop();
  }, 90_000);

  it('uploads sealed segments, drops them locally, and a group reads every record back from offset 0', async () => {
    const c = cluster.credentials();
    kafka = kafkajsClient(cluster, 'tiered-e2e', {
      // Generous: on a loaded CI machine leaders move while the test produces; the idempotent
      // producer's own retries keep sequence numbers, so nothing is written twice.
      retry: { retries: 40, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    admin = kafka.admin();
    await connectRetrying(admin);
    await createTieredTopic(kafka, TOPIC);
    await produceNumbered(kafka, TOPIC, RECORDS);

    // The partition in metadata terms: topic id, replica addresses.
    partition = (await partitionPlacement(metadata, { tenant: c.tenant, topic: TOPIC, partition: 0 })).partition;
    replicas.push(...(await replicationClients(metadata)));
    expect(replicas).toHaveLength(3);

    // Many segments uploaded and in the manifest; every replica's local log start above them.
    const { segments } = await waitUploadedAndDropped({ metadata, replicas, partition, minSegments: 5 });
    expect(segments).toBeGreaterThanOrEqual(5);
    const states = await logStates(replicas, partition);
    // Local retention moves only the first local offset; nothing was deleted, so the logical start
    // (log_start_offset, log.proto) stays 0 and the older records are served from the tier.
    for (const s of states) expect(s.localLogStartOffset).toBeGreaterThan(0n);
    for (const s of states) expect(s.logStartOffset).toBe(0n);
    // The objects are really on the S3 API server (one per manifest entry, under the URL's prefix).
    const client = s3Client(s3);
    const objects = await client.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: 'e2e/' }));
    client.destroy();
    expect((objects.Contents ?? []).filter((o) => o.Key?.endsWith('.log')).length).toBeGreaterThanOrEqual(segments);

    // ListOffsets EARLIEST is the tiered start: 0.
    const offsets = await admin.fetchTopicOffsets(TOPIC);
    expect(offsets[0]).toMatchObject({ partition: 0, low: '0', high: String(RECORDS) });

    // A group from offset 0: the first segments come from the tier, the rest from the hot tier.
    const seen = await consumeFromBeginning(kafka, { groupId: 'tiered-e2e-group', topic: TOPIC, expected: RECORDS });
    expect(seen).toHaveLength(RECORDS);
    // The cold reads went through tiered-storage's chunk cache (local-cluster topology: <dataDir>/tiered-cache).
    expect(readdirSync(join(cluster.dataDir, 'tiered-cache')).filter((f) => f.endsWith('.chunk')).length).toBeGreaterThan(0);
    seen.forEach((r, i) => {
      expect(r).toEqual({ offset: String(i), key: `k${i}`, value: payload(i) });
    });
  }, 600_000);

  // DeleteRecords (KIP-107) applies to both tiers: the replicas move their log start, the broker
  // has tiered-storage delete the objects wholly below it, and nothing below it is served.
  it('DeleteRecords below the hot tier deletes the tiered objects below it and reads start at the new log start', async () => {
    if (!kafka || !admin || !partition) throw new Error('the first test did not run');
    const ref = partition;
    const listed = await listManifest(metadata, ref);
    const localStart = (await logStates(replicas, partition)).map(firstLocalOffset).reduce((min, start) => (start < min ? start : min), BigInt(RECORDS));
    // Inside the third tiered segment, below every replica's local start: only the tier holds it.
    const third = listed[2];
    if (!third) throw new Error('fewer than three tiered segments');
    const logStart = third.baseOffset + 3n;
    expect(logStart).toBeLessThan(localStart);
    const below = listed.filter((seg) => seg.endOffset <= logStart);
    expect(below).toHaveLength(2);
    const client = s3Client(s3);
    const objectKeys = async () => new Set(((await client.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: 'e2e/' }))).Contents ?? []).map((o) => o.Key ?? ''));
    const before = await objectKeys();
    for (const seg of below) expect([...before].some((k) => k.endsWith(seg.objectKey))).toBe(true);

    await admin.deleteTopicRecords({ topic: TOPIC, partitions: [{ partition: 0, offset: String(logStart) }] });
    expect((await admin.fetchTopicOffsets(TOPIC))[0]).toMatchObject({ partition: 0, low: String(logStart), high: String(RECORDS) });

    // The trim runs after the answer: wait until the objects and manifest entries are gone.
    try {
      await waitFor(
        async () => {
          const now = await listManifest(metadata, ref, { includeDeleting: true });
          if (now.some((seg) => seg.endOffset <= logStart)) return undefined;
          const keys = await objectKeys();
          return below.every((seg) => ![...keys].some((k) => k.endsWith(seg.objectKey))) || undefined;
        },
        { timeoutMs: 120_000, intervalMs: 1_000, description: 'tiered objects below the new log start deleted' },
      );
      // The straddling segment stays (as in Kafka) and keeps its object.
      const after = await objectKeys();
      expect([...after].some((k) => k.endsWith(third.objectKey))).toBe(true);
    } finally {
      client.destroy();
    }

    // Straight to tiered-storage: an offset inside the straddling object but below the log start is refused.
    const nodes = await unaryCall(metadata, metadata.listNodes, metadataV1.ListNodesRequest.fromPartial({ role: commonV1.NodeRole.TIERED_STORAGE }), { timeoutMs: 10_000 });
    tiered = createGrpcClient(tieredV1.TieredStorageServiceClient, nodes.nodes[0]?.node?.grpcAddress ?? '');
    const cold = await unaryCall(tiered, tiered.fetch, tieredV1.FetchRequest.fromPartial({ partition, offset: logStart - 1n, maxBytes: 1 << 20 }), { timeoutMs: 10_000 });
    expect(cold.error?.code).toBe(tieredV1.TieredErrorCode.OFFSET_OUT_OF_RANGE);
    expect(cold.tieredLogStartOffset).toBe(logStart);

    // A new group from the beginning: the fetch at 0 is OFFSET_OUT_OF_RANGE, the client resets to
    // the earliest offset, and the first record it sees is the new log start.
    const expected = RECORDS - Number(logStart);
    const seen = await consumeFromBeginning(kafka, { groupId: 'tiered-e2e-after-delete', topic: TOPIC, expected });
    expect(seen).toHaveLength(expected);
    seen.forEach((r, i) => {
      const offset = Number(logStart) + i;
      expect(r).toEqual({ offset: String(offset), key: `k${offset}`, value: payload(offset) });
    });
  }, 600_000);
});
