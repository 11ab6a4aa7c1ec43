// DescribeProducers (KIP-664) end to end: a real kafkajs idempotent producer writes through a
// router, then DescribeProducers v0 is sent with @stratus/kafka-raw-client (kafkajs has no such
// call, and @platformatic/kafka's is ES-module only, which Jest here cannot load) after SASL/PLAIN
// login; the router resolves the tenant's topic and asks the partition's leader broker.
// The answer shows the producer's epoch, the sequence of its last record and its last batch's
// timestamp; a plain (non-idempotent) producer is not listed. Real processes (the `npm start` cluster).
import { RawClient } from '@stratus/kafka-raw-client';
import type { ApiVersionsResponse, DescribeProducersResponse, SaslAuthenticateResponse, SaslHandshakeResponse } from '@stratus/kafka-messages';
import { useHarness } from '@stratus/platform-testing';
import type { Admin } from 'kafkajs';
import { kafkajsClient, launchLocalCluster, stopLocalCluster, type LaunchedCluster } from './launch.testkit';

useHarness();

describe('DescribeProducers through the routers', () => {
  let cluster: LaunchedCluster | undefined;
  let admin: Admin | undefined;
  let raw: RawClient | undefined;

  beforeAll(async () => {
    cluster = await launchLocalCluster('describe-producers');
  }, 240_000);

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    raw?.socket.destroy();
    await stopLocalCluster(cluster);
  }, 60_000);

  it("shows an idempotent producer's id, epoch, last sequence and last timestamp; unknown partitions are refused", async () => {
    const creds = (cluster as LaunchedCluster).credentials();
    const kafka = kafkajsClient(cluster as LaunchedCluster, 'describe-producers-it');
    admin = kafka.admin();
    await admin.connect();
    const topic = 'described';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

    const t0 = 1_700_000_000_000;
    const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await idempotent.connect();
    // Sequences 0..2 in one batch, then 3..4: the last sequence is 4, the last batch's max timestamp t0 + 11.
    await idempotent.send({ topic, acks: -1, messages: [0, 1, 2].map((i) => ({ value: `a${i}`, timestamp: String(t0 + i) })) });
    await idempotent.send({ topic, acks: -1, messages: [10, 11].map((i) => ({ value: `b${i}`, timestamp: String(t0 + i) })) });
    await idempotent.disconnect();
    const plain = kafka.producer({ idempotent: false });
    await plain.connect();
    await plain.send({ topic, acks: -1, messages: [{ value: 'plain' }] });
    await plain.disconnect();

    raw = await RawClient.connect(Number(creds.bootstrap.split(':')[1]));
    // Advertised in ApiVersions (v0 only, as Kafka 4.x), so admin clients send it at all.
    const versions = await raw.call<ApiVersionsResponse>(18, 3, { clientSoftwareName: 'describe-producers-it', clientSoftwareVersion: '1' }, 30_000);
    expect(versions.body.apiKeys).toContainEqual(expect.objectContaining({ apiKey: 61, minVersion: 0, maxVersion: 0 }));
    expect((await raw.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' }, 30_000)).body.errorCode).toBe(0);
    const auth = await raw.call<SaslAuthenticateResponse>(36, 2, { authBytes: Buffer.from(`\u0000${creds.username}\u0000${creds.password}`) }, 30_000);
    expect(auth.body.errorCode).toBe(0);
    const describe = async (partitionIndexes: number[]) =>
      (await raw?.call<DescribeProducersResponse>(61, 0, { topics: [{ name: topic, partitionIndexes }, { name: 'no-such-topic', partitionIndexes: [0] }] }, 60_000))?.body;
    expect((await describe([0, 5]))?.topics).toEqual([
      {
        name: topic,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            errorMessage: null,
            activeProducers: [{ producerId: expect.any(BigInt), producerEpoch: 0, lastSequence: 4, lastTimestamp: BigInt(t0 + 11), coordinatorEpoch: -1, currentTxnStartOffset: -1n }],
          },
          // Kafka answers a partition the topic does not have, and a topic that does not exist, UNKNOWN_TOPIC_OR_PARTITION (3).
          { partitionIndex: 5, errorCode: 3, errorMessage: null, activeProducers: [] },
        ],
      },
      { name: 'no-such-topic', partitions: [{ partitionIndex: 0, errorCode: 3, errorMessage: null, activeProducers: [] }] },
    ]);
  }, 180_000);
});
