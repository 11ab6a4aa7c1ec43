// Runs @platformatic/kafka (ESM only, so outside Jest's CommonJS runtime) against a router:
//   node platformatic-produce-fetch.mjs <port> <username> <password> <topic> <count>
// Produces <count> records (value "pf-<i>", partition i mod partitions, acks=all), then reads every
// partition from offset 0 with direct Fetch requests (no consumer group; Fetch v17 names topics by
// id) and prints one JSON line: {"ok":true,"produced":n,"consumed":{"<partition>":["value", ...]}}.
import { Consumer, Producer } from '@platformatic/kafka';

const [port, username, password, topic, countText] = process.argv.slice(2);
const count = Number(countText);
const common = { bootstrapBrokers: [`127.0.0.1:${port}`], sasl: { mechanism: 'SCRAM-SHA-256', username, password }, retries: 3 };
const producer = new Producer({ ...common, clientId: 'platformatic-producer' });
const consumer = new Consumer({ ...common, clientId: 'platformatic-fetcher', groupId: 'unused-no-group' });
try {
  const metadata = await consumer.metadata({ topics: [topic] });
  const info = metadata.topics.get(topic);
  const partitions = info.partitionsCount;
  const messages = Array.from({ length: count }, (_, i) => ({ topic, partition: i % partitions, key: Buffer.from(`k${i}`), value: Buffer.from(`pf-${i}`) }));
  await producer.send({ messages, acks: -1 });

  const consumed = {};
  for (let p = 0; p < partitions; p++) {
    const leader = info.partitions[p];
    const values = [];
    let offset = 0n;
    for (let round = 0; round < 50; round++) {
      const response = await consumer.fetch({
        node: leader.leader,
        maxWaitTime: 200,
        minBytes: 1,
        maxBytes: 1 << 20,
        topics: [{ topicId: info.id, partitions: [{ partition: p, fetchOffset: offset, currentLeaderEpoch: leader.leaderEpoch, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }] }],
      });
      const data = response.responses[0].partitions[0];
      if (data.errorCode !== 0) throw new Error(`fetch error ${data.errorCode} on partition ${p}`);
      for (const batch of data.records ?? []) {
        for (const record of batch.records) {
          const at = batch.firstOffset + BigInt(record.offsetDelta);
          if (at >= offset) values.push(record.value.toString());
          offset = at + 1n;
        }
      }
      if (offset >= data.highWatermark) break;
    }
    consumed[p] = values;
  }
  process.stdout.write(JSON.stringify({ ok: true, produced: count, consumed }) + '\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error?.stack ?? error), cause: String(error?.cause ?? '') , errors: (error?.errors ?? []).map(String) }) + '\n');
} finally {
  await producer.close().catch(() => undefined);
  await consumer.close().catch(() => undefined);
}
