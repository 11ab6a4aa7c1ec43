// `npx nx run kafka-reference:start [-- --nodes 3]`: runs a reference Apache Kafka cluster until Ctrl-C.
import { startKafkaCluster } from './cluster';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const nodesAt = args.indexOf('--nodes');
  const nodes = nodesAt >= 0 ? Number(args[nodesAt + 1]) : 1;
  const cluster = await startKafkaCluster({ nodes });
  const user = cluster.users[0];
  console.log(`Apache Kafka ${cluster.version} (cluster ${cluster.clusterId}, ${nodes} node(s)) is ready`);
  console.log(`  PLAINTEXT       bootstrap ${cluster.bootstrap('plaintext')}`);
  console.log(`  SASL_PLAINTEXT  bootstrap ${cluster.bootstrap('sasl')}  (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; user ${user.name} / ${user.password})`);
  console.log(`  work dir ${cluster.workDir}`);
  const stop = (): void => {
    console.log('stopping…');
    cluster.stop().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
