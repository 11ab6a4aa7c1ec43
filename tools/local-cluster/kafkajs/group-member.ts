// One real kafkajs group member for the consumer-group chaos tests
// (tools/local-cluster/src/groups-kafkajs.chaos.spec.ts, issue 7). Each member is its own Node.js
// process so a test can kill -9 it. Started with `node -r @swc-node/register` (SWC_NODE_PROJECT set).
//
//   group-member.ts produce key=value...   bootstrap, mechanism, username, password, topic, partitions,
//                                          perPartition (create=true creates the topic first)
//   group-member.ts consume key=value...   bootstrap, mechanism, username, password, topic, pollDelayMs,
//                                          batch, group.id, session.timeout.ms, heartbeat.interval.ms
//
// It prints the same JSON lines as tools/local-cluster/java/GroupMember.java:
//   {"ev":"gen","generation":-1,"member":"id"}   joined the group as this member id
//   {"ev":"assigned","parts":[0,3,...]}          the consumer's whole assignment changed ([] while rebalancing:
//                                                kafkajs' protocol is eager, every partition is revoked first)
//   {"ev":"rec","p":P,"o":O}                      a record handed to the application
//   {"ev":"commit","p":P,"o":O}                   offset O of partition P committed (commitOffsets resolved)
// Log lines go to stderr so stdout holds only events; "close" on stdin disconnects cleanly.
import { createInterface } from 'node:readline';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';

const args = new Map<string, string>();
for (const a of process.argv.slice(3)) {
  const eq = a.indexOf('=');
  args.set(a.slice(0, eq), a.slice(eq + 1));
}
const arg = (k: string): string => {
  const v = args.get(k);
  if (v === undefined) throw new Error(`missing ${k}=`);
  return v;
};
const out = (ev: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(ev)}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const kafka = new Kafka({
  clientId: 'groups-kafkajs',
  brokers: arg('bootstrap').split(','),
  sasl: { mechanism: args.get('mechanism') === 'PLAIN' ? 'plain' : 'scram-sha-256', username: arg('username'), password: arg('password') } as SASLOptions,
  connectionTimeout: 10_000,
  requestTimeout: 30_000,
  retry: { retries: 10 },
  logLevel: logLevel.WARN,
  logCreator: () => (entry: LogEntry) => process.stderr.write(`${entry.namespace} ${entry.log.message} ${JSON.stringify(entry.log)}\n`),
});
const topic = arg('topic');

async function produce(): Promise<void> {
  const partitions = Number(arg('partitions'));
  const per = Number(arg('perPartition'));
  if (args.get('create') === 'true') {
    const admin = kafka.admin();
    await admin.connect();
    // Right after start-up on a loaded machine the replication nodes may still be registering with
    // metadata, which answers INVALID_REPLICATION_FACTOR until 3 zones have one: try again for a while.
    for (let attempt = 1; ; attempt++) {
      const failed = await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }).then(
        () => undefined,
        (error: Error & { errors?: { type?: string }[] }) => error,
      );
      if (!failed) break;
      const types = (failed.errors ?? []).map((e) => e.type);
      if (attempt > 1 && types.every((t) => t === 'TOPIC_ALREADY_EXISTS')) break;
      // kafkajs' aggregate error names no topic error by itself.
      if (attempt >= 60 || !types.every((t) => t === 'INVALID_REPLICATION_FACTOR')) throw new Error(`CreateTopics ${topic}: ${failed.message} ${JSON.stringify(failed.errors ?? [])}`);
      process.stderr.write(`CreateTopics ${topic}: ${types.join(',')}; trying again\n`);
      await sleep(2_000);
    }
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // Explicit partitions (keys k<partition>), so every partition gets exactly perPartition records.
  const messages = [];
  for (let i = 0; i < per; i++) for (let p = 0; p < partitions; p++) messages.push({ partition: p, key: `k${p}`, value: `v${p}-${i}` });
  const acked = await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
  out({ ev: 'produced', count: messages.length, batches: acked.length });
}

async function consume(): Promise<void> {
  const delayMs = Number(args.get('pollDelayMs') ?? '200');
  const batchSize = Number(args.get('batch') ?? '10');
  const consumer = kafka.consumer({
    groupId: arg('group.id'),
    sessionTimeout: Number(args.get('session.timeout.ms') ?? '10000'),
    heartbeatInterval: Number(args.get('heartbeat.interval.ms') ?? '1000'),
    retry: { retries: 10, restartOnFailure: async () => true },
  });
  let assigned = '';
  const assign = (parts: number[]): void => {
    const next = JSON.stringify([...parts].sort((a, b) => a - b));
    if (next === assigned) return;
    assigned = next;
    out({ ev: 'assigned', parts: JSON.parse(next) as number[] });
  };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    out({ ev: 'gen', generation: -1, member: e.payload.memberId });
    assign(e.payload.memberAssignment[topic] ?? []);
  });
  consumer.on(consumer.events.REBALANCING, () => assign([]));
  consumer.on(consumer.events.CRASH, (e) => process.stderr.write(`crash: ${String(e.payload.error)} (restart: ${String(e.payload.restart)})\n`));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      // `batchSize` records at a time with a commit and a pause after each, like max.poll.records
      // and the poll delay of the Java member: consumption spans the test's kill.
      for (let i = 0; i < batch.messages.length; i += batchSize) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(i, i + batchSize);
        for (const m of chunk) out({ ev: 'rec', p: batch.partition, o: Number(m.offset) });
        const last = chunk[chunk.length - 1];
        if (!last) continue;
        resolveOffset(last.offset);
        const next = Number(last.offset) + 1;
        try {
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(next) }]);
          out({ ev: 'commit', p: batch.partition, o: next });
        } catch (error) {
          // Refused during a rebalance: those records come again (at least once).
          out({ ev: 'commitFailed', error: String(error) });
          return;
        }
        await heartbeat();
        if (delayMs > 0) await sleep(delayMs);
      }
    },
  });
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await consumer.disconnect();
    out({ ev: 'closed' });
    process.exit(0);
  };
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      if (line.trim() === 'close') void close();
    })
    .on('close', () => void close());
}

(process.argv[2] === 'produce' ? produce() : consume()).catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
