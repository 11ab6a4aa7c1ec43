// Runs @platformatic/kafka (ESM only, so outside Jest's CommonJS runtime) against a router:
//   node platformatic-metadata.mjs <bootstrap host:port> <username> <password> <topic>
// Prints one JSON line: {"ok":true,"topics":[...],"clusterId":..,"brokers":[[id,host,port,rack]],"partitions":[[leader,epoch]]}
// or {"ok":false,"error":"..."}.
import { Admin } from '@platformatic/kafka';

const [bootstrap, username, password, topic] = process.argv.slice(2);
const admin = new Admin({ clientId: 'platformatic-cluster-it', bootstrapBrokers: [bootstrap], sasl: { mechanism: 'PLAIN', username, password }, retries: 2 });
try {
  const topics = await admin.listTopics();
  const metadata = await admin.metadata({ topics: [topic], autocreateTopics: false, forceUpdate: true });
  const t = metadata.topics.get(topic);
  process.stdout.write(
    JSON.stringify({
      ok: true,
      topics,
      clusterId: metadata.id,
      brokers: [...metadata.brokers.entries()].map(([id, b]) => [id, b.host, b.port, b.rack]),
      topicId: t?.id,
      partitions: (t?.partitions ?? []).map((p) => [p.leader, p.leaderEpoch]),
    }) + '\n',
  );
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error?.message ?? error) }) + '\n');
} finally {
  await admin.close().catch(() => undefined);
}
