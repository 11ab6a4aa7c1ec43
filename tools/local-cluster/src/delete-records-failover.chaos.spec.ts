// Issue 9: DeleteRecords inside the tiered range survives the loss of the partition's leader.
// Real processes and real clients: the tiered local cluster on an S3 API server (s3rver), enough
// records that segments upload and leave every replica's disk, then kafkajs DeleteRecords (KIP-107)
// to an offset above the tier's first offset and below the replicas' first local offset — a start
// that only the replicas' durable log_start_offset remembers (no segment boundary, no local data).
// The broker leading the partition is killed with SIGKILL right after the answer; the other broker
// takes over and must serve the same log start: ListOffsets EARLIEST answers it, a new group from
// the beginning reads exactly the records from it to the end, a raw Fetch below it is refused with
// OFFSET_OUT_OF_RANGE, and the tiered objects wholly below it are deleted (the new leader re-sends
// the trim the old one may not have finished). The local supervisor does not restart killed
// services, so the killed broker stays down for the rest of the test.
import { ListObjectsCommand } from '@aws-sdk/client-s3';
import { metadataV1, type commonV1, type replicationV1 } from '@stratus/contracts';
import type { ApiVersionsResponse, FetchResponse, SaslAuthenticateResponse, SaslHandshakeResponse } from '@stratus/kafka-messages';
import { RawClient } from '@stratus/kafka-raw-client';
import { createGrpcClient } from '@stratus/platform-grpc';
import { s3Client, startS3, useHarness, waitFor, type S3Handle } from '@stratus/platform-testing';
import type { Admin, Kafka } from 'kafkajs';
import { clusterWarnings, servicePid } from './groups.testkit';
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
  tieredPayload,
  waitUploadedAndDropped,
} from './tiered-cluster.testkit';

useHarness();

const BUCKET = 'delete-records-failover';
const PREFIX = 'chaos';
const TOPIC = 'delete-records-failover';
const RECORDS = 3_000;
/** Kafka error codes (KIP-1 protocol): OFFSET_OUT_OF_RANGE, and those a client retries while a leader moves. */
const OFFSET_OUT_OF_RANGE = 1;
const TRANSIENT = new Set([3, 5, 6, 7, 13, 15, 74, 75]);

/** A raw Fetch v12 (topic names) of partition 0 at `offset`, through a router after SASL/PLAIN login. */
async function rawFetch(port: number, creds: { username: string; password: string }, offset: bigint): Promise<FetchResponse['responses'][number]['partitions'][number] | undefined> {
  const raw = await RawClient.connect(port);
  try {
    await raw.call<ApiVersionsResponse>(18, 3, { clientSoftwareName: 'delete-records-failover', clientSoftwareVersion: '1' }, 30_000);
    const handshake = await raw.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' }, 30_000);
    if (handshake.body.errorCode !== 0) throw new Error(`SaslHandshake refused: ${handshake.body.errorCode}`);
    const auth = await raw.call<SaslAuthenticateResponse>(36, 2, { authBytes: Buffer.from(`\u0000${creds.username}\u0000${creds.password}`) }, 30_000);
    if (auth.body.errorCode !== 0) throw new Error(`SaslAuthenticate refused: ${auth.body.errorCode}`);
    const fetched = await raw.call<FetchResponse>(
      1,
      12,
      {
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic: TOPIC, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
        forgottenTopicsData: [],
        rackId: '',
      },
      60_000,
    );
    return fetched.body.responses[0]?.partitions[0];
  } finally {
    raw.close();
  }
}

describe('DeleteRecords inside the tiered range across a leader failover (real processes)', () => {
  let s3: S3Handle | undefined;
  let cluster: LaunchedCluster | undefined;
  let metadata: metadataV1.MetadataServiceClient | undefined;
  let admin: Admin | undefined;
  const replicas: replicationV1.ReplicationServiceClient[] = [];

  beforeAll(async () => {
    s3 = await startS3({ bucket: BUCKET });
    cluster = await launchTieredCluster('delete-records-failover', s3, { bucket: BUCKET, prefix: PREFIX });
    metadata = createGrpcClient(metadataV1.MetadataServiceClient, cluster.credentials().metadataAddress);
  }, 600_000);

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    for (const r of replicas) r.close();
    metadata?.close();
    await stopLocalCluster(cluster);
    await s3?.stop();
  }, 120_000);

  it('kill -9 of the leader after DeleteRecords below the first local offset: the new leader serves the deleted start in both tiers', async () => {
    if (!cluster || !metadata || !s3) throw new Error('the cluster did not start (see beforeAll)');
    const c = cluster.credentials();
    const kafka: Kafka = kafkajsClient(cluster, 'delete-records-failover', {
      // Generous: leaders move while the test runs (the kill, and load on a 2-core machine).
      retry: { retries: 40, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    await createTieredTopic(kafka, TOPIC);
    await produceNumbered(kafka, TOPIC, RECORDS);

    const placed = await partitionPlacement(metadata, { tenant: c.tenant, topic: TOPIC, partition: 0 });
    const partition: commonV1.PartitionRef = placed.partition;
    replicas.push(...(await replicationClients(metadata)));
    expect(replicas).toHaveLength(3);
    await waitUploadedAndDropped({ metadata, replicas, partition, minSegments: 5 });

    // The delete point: inside the third tiered segment (not a segment boundary), above the tier's
    // first offset and below every replica's first local offset, so only the tier holds it.
    const manifest = await listManifest(metadata, partition);
    const tierStart = manifest.reduce((min, seg) => (seg.baseOffset < min ? seg.baseOffset : min), BigInt(RECORDS));
    const third = manifest[2];
    if (!third) throw new Error('fewer than three tiered segments');
    const logStart = third.baseOffset + 3n;
    // Local retention keeps dropping uploaded segments: wait until every replica is past the point.
    let localStart = 0n;
    await waitFor(
      async () => {
        localStart = (await logStates(replicas, partition)).map(firstLocalOffset).reduce((min, start) => (start < min ? start : min), BigInt(RECORDS));
        return localStart > logStart || undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1_000, description: `every replica's first local offset above ${logStart}` },
    );
    expect(logStart).toBeGreaterThan(tierStart);
    expect(logStart).toBeLessThan(localStart);
    const below = manifest.filter((seg) => seg.endOffset <= logStart);
    expect(below.length).toBeGreaterThanOrEqual(2);

    admin = kafka.admin();
    await connectRetrying(admin);
    // Before the delete EARLIEST is the tier's first offset (also loads kafkajs's topic metadata,
    // which deleteTopicRecords needs).
    expect((await admin.fetchTopicOffsets(TOPIC))[0]).toMatchObject({ partition: 0, low: String(tierStart), high: String(RECORDS) });
    await admin.deleteTopicRecords({ topic: TOPIC, partitions: [{ partition: 0, offset: String(logStart) }] });
    // Durable on a quorum of replicas before the answer (docs/tiered-storage.md).
    const durable = (await logStates(replicas, partition)).filter((s) => s.logStartOffset === logStart);
    expect(durable.length).toBeGreaterThanOrEqual(2);

    // Kill the leader at once: the trim of the tier may not have run yet.
    const leader = await partitionPlacement(metadata, { tenant: c.tenant, topic: TOPIC, partition: 0 });
    expect(leader.leaderNodeId).toMatch(/^broker-/);
    process.kill(servicePid(cluster.child.pid ?? -1, leader.leaderNodeId), 'SIGKILL');

    // The other broker takes the partition over (higher epoch).
    let newLeader = leader;
    await waitFor(
      async () => {
        const now = await partitionPlacement(metadata as metadataV1.MetadataServiceClient, { tenant: c.tenant, topic: TOPIC, partition: 0 }).catch(() => undefined);
        if (now === undefined || now.leaderNodeId === '' || now.leaderNodeId === leader.leaderNodeId || now.leaderEpoch <= leader.leaderEpoch) return undefined;
        newLeader = now;
        return true;
      },
      { timeoutMs: 180_000, intervalMs: 1_000, description: `a new leader of ${TOPIC}-0 after ${leader.leaderNodeId} was killed` },
    );
    expect(newLeader.leaderNodeId).toMatch(/^broker-/);

    try {
      // ListOffsets EARLIEST/LATEST from the new leader (retried while clients learn of it).
      let offsets: Awaited<ReturnType<Admin['fetchTopicOffsets']>> = [];
      await waitFor(
        async () => {
          offsets = await (admin as Admin).fetchTopicOffsets(TOPIC);
          return true;
        },
        { timeoutMs: 180_000, intervalMs: 1_000, description: 'ListOffsets answered after the failover' },
      );
      expect(offsets[0]).toMatchObject({ partition: 0, low: String(logStart), high: String(RECORDS) });

      // Below the start is refused, from the tier's range too (the straddling segment still holds logStart-1).
      const port = Number(c.bootstrap.split(':')[1]);
      let refused: Awaited<ReturnType<typeof rawFetch>>;
      await waitFor(
        async () => {
          refused = await rawFetch(port, c, logStart - 1n);
          return (refused !== undefined && !TRANSIENT.has(refused.errorCode)) || undefined;
        },
        { timeoutMs: 180_000, intervalMs: 1_000, description: 'a Fetch below the log start answered by the new leader' },
      );
      expect(refused).toMatchObject({ partitionIndex: 0, errorCode: OFFSET_OUT_OF_RANGE });
      // Offset 0 (the tier's first offset, its object maybe not yet deleted) is refused as well.
      expect(await rawFetch(port, c, tierStart)).toMatchObject({ errorCode: OFFSET_OUT_OF_RANGE });
      // At the start it is served, from the tier (below every replica's first local offset).
      const served = await rawFetch(port, c, logStart);
      expect(served).toMatchObject({ errorCode: 0, logStartOffset: logStart, highWatermark: BigInt(RECORDS) });

      // A new group from the beginning: the first record is the deleted start, then every record to the end.
      const expected = RECORDS - Number(logStart);
      const seen = await consumeFromBeginning(kafka, { groupId: 'delete-records-failover', topic: TOPIC, expected, timeoutMs: 300_000 });
      expect(seen).toHaveLength(expected);
      seen.forEach((r, i) => {
        const offset = Number(logStart) + i;
        expect(r).toEqual({ offset: String(offset), key: `k${offset}`, value: tieredPayload(offset) });
      });

      // The tiered objects wholly below the start go, also when the old leader died before trimming.
      const s3c = s3Client(s3);
      try {
        await waitFor(
          async () => {
            const now = await listManifest(metadata as metadataV1.MetadataServiceClient, partition, { includeDeleting: true });
            if (now.some((seg) => seg.endOffset <= logStart)) return undefined;
            const keys = ((await s3c.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: `${PREFIX}/` }))).Contents ?? []).map((o) => o.Key ?? '');
            return below.every((seg) => !keys.some((k) => k.endsWith(seg.objectKey))) || undefined;
          },
          { timeoutMs: 180_000, intervalMs: 1_000, description: 'tiered objects below the deleted start removed after the failover' },
        );
      } finally {
        s3c.destroy();
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\ncluster warnings:\n${clusterWarnings(cluster.dataDir)}`);
    }
  }, 1_200_000);
});
