import { CompressionTypes, Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { CODECS, EXPECTED_RECORDS, SASL_MECHANISMS, type ClientDriver, type ClientIdentity, type Codec, type ScenarioTarget } from './driver';
import { registerKafkajsCodecs } from './kafkajs-codecs';

const COMPRESSION: Record<Codec, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** kafkajs, running in this process. */
export function kafkajsDriver(): ClientDriver {
  return {
    client: 'kafkajs',
    async prepare(): Promise<ClientIdentity> {
      await registerKafkajsCodecs();
      const version = (require('kafkajs/package.json') as { version: string }).version;
      return { client: 'kafkajs', library: 'kafkajs', clientVersion: version };
    },
    async run(target: ScenarioTarget): Promise<void> {
      const kafka = (clientId: string, sasl?: SASLOptions): Kafka =>
        new Kafka({ clientId, brokers: (sasl ? target.sasl : target.plaintext).split(','), sasl, logLevel: logLevel.NOTHING });

      const admin = kafka('kafkajs-admin').admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: target.topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      await admin.listTopics();
      await admin.disconnect();

      for (const codec of CODECS) {
        const producer = kafka(`kafkajs-produce-${codec}`).producer({ idempotent: true, maxInFlightRequests: 1 });
        await producer.connect();
        await producer.send({
          topic: target.topic,
          acks: -1,
          compression: COMPRESSION[codec],
          messages: [0, 1, 2].map((i) => ({ key: `key-${i}`, value: `golden ${codec} record ${i}` })),
        });
        await producer.disconnect();
      }

      const txnProducer = kafka('kafkajs-txn').producer({ transactionalId: 'golden-kafkajs-txn', idempotent: true, maxInFlightRequests: 1 });
      await txnProducer.connect();
      const txn = await txnProducer.transaction();
      await txn.send({ topic: target.topic, messages: [{ key: 'txn', value: 'golden transactional record' }] });
      await txn.commit();
      await txnProducer.disconnect();

      const consumer = kafka('kafkajs-consumer').consumer({ groupId: target.group, heartbeatInterval: 200 });
      await consumer.connect();
      await consumer.subscribe({ topics: [target.topic], fromBeginning: true });
      let seen = 0;
      let lastOffset = '0';
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`kafkajs consumed only ${seen} records`)), 30_000);
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            seen++;
            lastOffset = message.offset;
            if (seen >= EXPECTED_RECORDS) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await done;
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // let a Heartbeat go out
      await consumer.commitOffsets([{ topic: target.topic, partition: 0, offset: String(BigInt(lastOffset) + 1n) }]);
      await consumer.disconnect();

      for (const mechanism of SASL_MECHANISMS) {
        const sasl = { mechanism: mechanism.toLowerCase(), username: target.user.name, password: target.user.password } as SASLOptions;
        const saslAdmin = kafka(`kafkajs-sasl-${mechanism.toLowerCase()}`, sasl).admin();
        await saslAdmin.connect();
        await saslAdmin.listTopics();
        await saslAdmin.disconnect();
      }
    },
  };
}
