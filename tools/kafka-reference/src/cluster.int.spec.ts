import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { startKafkaCluster, type KafkaCluster } from './cluster';

// Starts a real Apache Kafka (downloaded once from Maven Central into ~/.cache/stratus) and checks
// that both client listeners work: PLAINTEXT, and SASL_PLAINTEXT with PLAIN and SCRAM.
describe('startKafkaCluster (1 node)', () => {
  let cluster: KafkaCluster;
  beforeAll(async () => {
    cluster = await startKafkaCluster({ nodes: 1 });
  }, 300_000);
  afterAll(() => cluster?.stop());

  const client = (listener: 'plaintext' | 'sasl', sasl?: SASLOptions) =>
    new Kafka({ brokers: cluster.bootstrap(listener).split(','), clientId: 'kafka-reference-it', logLevel: logLevel.NOTHING, sasl });

  it('creates a topic and round-trips a record over PLAINTEXT', async () => {
    const kafka = client('plaintext');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'it-plain', numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'it-plain', messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();
    const offsets = await admin.fetchTopicOffsets('it-plain');
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(1);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('authenticates with %s on the SASL listener', async (mechanism) => {
    const user = cluster.users[0];
    const admin = client('sasl', { mechanism, username: user.name, password: user.password } as SASLOptions).admin();
    await admin.connect();
    const described = await admin.describeCluster();
    await admin.disconnect();
    expect(described.brokers.map((b) => b.nodeId)).toEqual([1]);
  });

  it('rejects a wrong SCRAM password', async () => {
    const admin = client('sasl', { mechanism: 'scram-sha-256', username: cluster.users[0].name, password: 'wrong' }).admin();
    await expect(admin.connect()).rejects.toThrow(/SASL|auth/i);
  });
});
