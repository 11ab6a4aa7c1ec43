// Real Kafka clients (kafkajs, @platformatic/kafka) through a real router listener — cluster-view
// Metadata + the data-path handlers + BrokerConnections — to fake brokers served over gRPC with
// in-memory logs. No consumer groups: consumers fetch assigned partitions directly.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { createLogger } from '@stratus/platform-logging';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { clusterMetadataHandler, InMemoryCredentialSource, startKafkaListener, tenantId, type KafkaListener } from '@stratus/router-kafka-server';
import { BrokerConnections } from '../connections/broker-connections';
import { dataPathHandlers } from '../handlers/data-path-handlers';
import { FakeBrokerCluster } from '../testing/fake-broker.testkit';
import { startFakeBrokerServer, type FakeBrokerServer } from '../testing/fake-broker-server.testkit';

const logger = createLogger({ service: 'broker-routing-it', level: 'silent' });
const credentials = new InMemoryCredentialSource([
  { username: 'alice', password: 'alice-secret', tenantId: tenantId('tenant-a') },
  { username: 'bob', password: 'bob-secret', tenantId: tenantId('tenant-b') },
]);

let cluster: FakeBrokerCluster;
let servers: FakeBrokerServer[];
let view: InMemoryClusterView;
let connections: BrokerConnections;
let listener: KafkaListener;
let events: Buffer;

beforeAll(async () => {
  cluster = new FakeBrokerCluster();
  servers = [await startFakeBrokerServer(cluster, 'b1'), await startFakeBrokerServer(cluster, 'b2')];
  const self = { nodeId: 'router-1', kafkaNodeId: 1, host: '127.0.0.1', port: 0, availabilityZone: 'az-a' };
  view = new InMemoryClusterView({ self, brokers: servers.map((s) => ({ nodeId: s.nodeId, grpcAddress: s.address, availabilityZone: 'az-a' })) });
  events = view.addTopic({ tenantId: 'tenant-a', name: 'events', partitionCount: 4, leaderNodeId: 'b1' }).topicId;
  for (const p of [1, 3]) view.setPartition({ topicId: events, partition: p, leaderNodeId: 'b2', leaderEpoch: 0, replicaNodeIds: [] });
  cluster.leadAll(events, 4, (p) => (p % 2 === 0 ? 'b1' : 'b2'));
  // Tenant B has a topic of the same name: a different topic, invisible to tenant A.
  const eventsB = view.addTopic({ tenantId: 'tenant-b', name: 'events', partitionCount: 1, leaderNodeId: 'b1' }).topicId;
  cluster.lead(eventsB, 0, 'b1');
  connections = new BrokerConnections({ view, logger });
  listener = await startKafkaListener({
    credentials,
    logger,
    handlers: [clusterMetadataHandler({ view }), ...dataPathHandlers({ view, connections, logger })],
  });
  view.setRouter({ ...self, port: listener.port });
});

afterAll(async () => {
  await listener.close();
  connections.close();
  cluster.close();
  await Promise.all(servers.map((s) => s.close()));
});

function kafka(username: string, password: string): Kafka {
  return new Kafka({
    clientId: `kafkajs-${username}`,
    brokers: [`127.0.0.1:${listener.port}`],
    sasl: { mechanism: 'scram-sha-512', username, password } as SASLOptions,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 50 },
  });
}

interface RawFetchPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  messages: Array<{ offset: string; value: Buffer | null }>;
}

/**
 * kafkajs has no public assign-and-fetch API (its consumer always joins a group), so this drives
 * its own cluster and broker classes: kafkajs still encodes the Fetch and decodes the batches.
 */
async function kafkajsFetchAll(client: Kafka, topic: string, partitions: number): Promise<Record<number, string[]>> {
  const symbol = Object.getOwnPropertySymbols(client).find((s) => s.description === 'private:Kafka:createCluster') as symbol;
  const createCluster = (client as unknown as Record<symbol, (o: object) => KafkajsCluster>)[symbol] as (o: object) => KafkajsCluster;
  const kc = createCluster({ metadataMaxAge: 60_000 });
  await kc.connect();
  try {
    await kc.addTargetTopic(topic);
    const metadata = kc.findTopicPartitionMetadata(topic);
    const out: Record<number, string[]> = {};
    for (let p = 0; p < partitions; p++) {
      const leader = metadata.find((m) => m.partitionId === p)?.leader as number;
      const broker = await kc.findBroker({ nodeId: String(leader) });
      const values: string[] = [];
      let offset = 0n;
      for (let round = 0; round < 50; round++) {
        const response = await broker.fetch({ replicaId: -1, isolationLevel: 0, maxWaitTime: 100, minBytes: 1, topics: [{ topic, partitions: [{ partition: p, fetchOffset: String(offset), maxBytes: 1 << 20 }] }] });
        const data = response.responses[0]?.partitions[0] as RawFetchPartition;
        if (data.errorCode !== 0) throw new Error(`fetch error ${data.errorCode}`);
        for (const m of data.messages) {
          if (BigInt(m.offset) < offset) continue;
          values.push(m.value?.toString() ?? '');
          offset = BigInt(m.offset) + 1n;
        }
        if (offset >= BigInt(data.highWatermark)) break;
      }
      out[p] = values;
    }
    return out;
  } finally {
    await kc.disconnect();
  }
}

interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>;
  findBroker(options: { nodeId: string }): Promise<{ fetch(request: object): Promise<{ responses: Array<{ partitions: unknown[] }> }> }>;
}

describe('kafkajs through the router', () => {
  it('produces (acks=all and acks=0) across brokers, survives a leader move, and reads everything back', async () => {
    const client = kafka('alice', 'alice-secret');
    const producer = client.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const first = Array.from({ length: 40 }, (_, i) => ({ partition: i % 4, value: `kj-${i}` }));
      await producer.send({ topic: 'events', acks: -1, messages: first });
      // Leadership of partition 0 moves to b2; the router's view learns it on catch-up only.
      cluster.lead(events, 0, 'b2');
      view.onCatchUp = () => view.setPartition({ topicId: events, partition: 0, leaderNodeId: 'b2', leaderEpoch: 1, replicaNodeIds: [] });
      await producer.send({ topic: 'events', acks: 0, messages: [0, 1, 2, 3].map((p) => ({ partition: p, value: `kj-acks0-${p}` })) });
      // Pipelined after the acks=0 request: its answer must be this request's, not a stray one.
      const last = await producer.send({ topic: 'events', acks: -1, messages: [0, 1, 2, 3].map((p) => ({ partition: p, value: `kj-last-${p}` })) });
      expect(last.every((r) => r.errorCode === 0)).toBe(true);
      // The move was absorbed by the router: it refreshed its view and retried on b2.
      expect(view.catchUpCalls).toBeGreaterThan(0);
      expect(cluster.received.some((r) => r.nodeId === 'b1' && r.rpc === 'produce')).toBe(true);
    } finally {
      await producer.disconnect();
    }
    const admin = client.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets('events');
      expect(offsets.map((o) => [o.partition, o.high, o.low]).sort()).toEqual([
        [0, '12', '0'],
        [1, '12', '0'],
        [2, '12', '0'],
        [3, '12', '0'],
      ]);
    } finally {
      await admin.disconnect();
    }
    const read = await kafkajsFetchAll(client, 'events', 4);
    for (let p = 0; p < 4; p++) {
      const expected = [...Array.from({ length: 10 }, (_, k) => `kj-${k * 4 + p}`), `kj-acks0-${p}`, `kj-last-${p}`];
      expect(read[p]).toEqual(expected);
    }

    // DeleteRecords (KIP-107) through the router to the partition's leader broker: the low
    // watermark moves and ListOffsets EARLIEST (fetchTopicOffsets' `low`) follows it.
    const trimmer = client.admin();
    await trimmer.connect();
    try {
      // kafkajs finds the leaders from metadata it must have loaded already (fetchTopicOffsets does).
      await trimmer.fetchTopicOffsets('events');
      await trimmer.deleteTopicRecords({ topic: 'events', partitions: [{ partition: 1, offset: '5' }] });
      const after = await trimmer.fetchTopicOffsets('events');
      expect(after.find((o) => o.partition === 1)).toMatchObject({ low: '5', high: '12' });
      expect(after.find((o) => o.partition === 2)).toMatchObject({ low: '0', high: '12' });
      expect(cluster.received.filter((r) => r.rpc === 'deleteRecords')).toHaveLength(1);
    } finally {
      await trimmer.disconnect();
    }
  });

  it('keeps tenants apart: the same topic name is another, empty topic for tenant B; unknown names fail', async () => {
    const admin = kafka('bob', 'bob-secret').admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets('events');
      expect(offsets.map((o) => [o.partition, o.high])).toEqual([[0, '0']]);
    } finally {
      await admin.disconnect();
    }
    const producer = kafka('bob', 'bob-secret').producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await expect(producer.send({ topic: 'alice-only', messages: [{ value: 'x' }] })).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
  });
});

describe('@platformatic/kafka through the router', () => {
  it('produces and fetches by topic id (Fetch v17) from every partition', async () => {
    const topicId = view.addTopic({ tenantId: 'tenant-a', name: 'platformatic', partitionCount: 2, leaderNodeId: 'b2' }).topicId;
    cluster.leadAll(topicId, 2, () => 'b2');
    const result = await runPlatformatic(['alice', 'alice-secret', 'platformatic', '30']);
    expect(result).toMatchObject({ ok: true, produced: 30 });
    const consumed = (result as { consumed: Record<string, string[]> }).consumed;
    for (const p of [0, 1]) expect(consumed[p]).toEqual(Array.from({ length: 15 }, (_, k) => `pf-${k * 2 + p}`));
  });
});

function runPlatformatic(args: string[]): Promise<unknown> {
  const script = join(__dirname, '..', '__fixtures__', 'platformatic-produce-fetch.mjs');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, String(listener.port), ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() as string));
    });
  });
}
