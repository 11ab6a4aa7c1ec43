import { Admin, Consumer, MessagesStreamModes, Producer, stringDeserializers, stringSerializers, type SASLOptions } from '@platformatic/kafka';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODECS, EXPECTED_RECORDS, SASL_MECHANISMS, type ClientDriver, type ClientIdentity, type Codec, type ScenarioTarget } from './driver';

// @platformatic/kafka compresses zstd with node:zlib, which only has zstd from Node 22.15; on
// older Node the producer would throw, so that one codec is skipped and the records made up
// with uncompressed sends.
const hasZstd = (): boolean => 'zstdCompressSync' in (require('node:zlib') as object);

/** @platformatic/kafka, running in this process. */
export function platformaticDriver(): ClientDriver {
  return {
    client: 'platformatic',
    async prepare(): Promise<ClientIdentity> {
      const pkg = join(require.resolve('@platformatic/kafka').split('/dist/')[0], 'package.json');
      const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
      return { client: 'platformatic', library: '@platformatic/kafka', clientVersion: version };
    },
    async run(target: ScenarioTarget): Promise<void> {
      const base = (clientId: string, sasl?: SASLOptions) => ({ clientId, bootstrapBrokers: (sasl ? target.sasl : target.plaintext).split(','), sasl });

      const admin = new Admin(base('platformatic-admin'));
      await admin.createTopics({ topics: [target.topic], partitions: 1, replicas: 1 });
      await admin.listTopics();
      await admin.close();

      for (const codec of CODECS) {
        const compression: Codec = codec === 'zstd' && !hasZstd() ? 'none' : codec;
        const producer = new Producer({ ...base(`platformatic-produce-${codec}`), idempotent: true, compression, serializers: stringSerializers });
        await producer.send({ messages: [0, 1, 2].map((i) => ({ topic: target.topic, key: `key-${i}`, value: `golden ${codec} record ${i}` })) });
        await producer.close();
      }

      const txnProducer = new Producer({ ...base('platformatic-txn'), idempotent: true, transactionalId: 'golden-platformatic-txn', serializers: stringSerializers });
      const txn = await txnProducer.beginTransaction();
      await txn.send({ messages: [{ topic: target.topic, key: 'txn', value: 'golden transactional record' }] });
      await txn.commit();
      await txnProducer.close();

      const consumer = new Consumer({ ...base('platformatic-consumer'), groupId: target.group, heartbeatInterval: 200, deserializers: stringDeserializers });
      const stream = await consumer.consume({
        topics: [target.topic],
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: 'earliest',
        autocommit: false,
      });
      let seen = 0;
      const timer = setTimeout(() => void stream.close(), 30_000);
      for await (const message of stream) {
        seen++;
        if (seen >= EXPECTED_RECORDS) {
          await new Promise((resolve) => setTimeout(resolve, 1_000)); // let a Heartbeat go out
          await message.commit();
          break;
        }
      }
      clearTimeout(timer);
      await stream.close();
      await consumer.close();
      if (seen < EXPECTED_RECORDS) throw new Error(`platformatic consumed only ${seen} records`);

      for (const mechanism of SASL_MECHANISMS) {
        const saslAdmin = new Admin(base(`platformatic-sasl-${mechanism.toLowerCase()}`, { mechanism, username: target.user.name, password: target.user.password }));
        await saslAdmin.listTopics();
        await saslAdmin.close();
      }
    },
  };
}
