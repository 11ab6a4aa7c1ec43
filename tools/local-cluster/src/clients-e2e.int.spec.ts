// Issue #10 acceptance: on the cluster `npm start` runs, the kcat commands it prints produce and
// consume a message, and Kafka's own Java console producer and consumer work with the properties
// file it writes. Real processes all the way: etcd, the ten services, kcat (librdkafka) and the JVM.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultCacheRoot, fetchMavenClasspath, DEFAULT_KAFKA_VERSION } from '@stratus/kafka-reference';
import { useHarness, workspaceRoot } from '@stratus/platform-testing';
import { launchLocalCluster, type LaunchedCluster } from './launch.testkit';

useHarness();
const run = promisify(execFile);

/** The printed example line (indented two spaces) that starts with `prefix`. */
function printedLine(output: string, prefix: string): string {
  const line = output.split('\n').find((l) => l.startsWith(`  ${prefix}`));
  if (!line) throw new Error(`npm start printed no line starting with "${prefix}":\n${output}`);
  return line.trim();
}

/** Runs a JVM main class with `input` on stdin; resolves with stdout, rejects with the output on failure. */
function java(classpath: string, args: readonly string[], input: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', classpath, ...args], { cwd: workspaceRoot(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`java ${args[0]} exited with ${code}\nstdout:\n${stdout}\nstderr:\n${stderr.slice(-4000)}`));
    });
    child.stdin.end(input);
  });
}

describe('Kafka clients against `npm start`', () => {
  let cluster: LaunchedCluster;

  beforeAll(async () => {
    cluster = await launchLocalCluster('clients-e2e');
  }, 240_000);

  afterAll(async () => {
    if (!cluster) return;
    cluster.child.kill('SIGTERM');
    await cluster.exited;
  }, 60_000);

  it('the printed kcat commands produce a message and consume it back', async () => {
    const output = cluster.output();
    const produce = printedLine(output, 'echo hello | kcat ');
    const consume = printedLine(output, 'kcat ');
    expect(consume).toContain(' -C ');
    await run('bash', ['-c', produce], { cwd: workspaceRoot(), timeout: 60_000 });
    const consumed = await run('bash', ['-c', consume], { cwd: workspaceRoot(), timeout: 60_000 });
    expect(consumed.stdout.split('\n')).toContain('hello');
  }, 150_000);

  it("Kafka's Java console producer and consumer work with the printed properties", async () => {
    const output = cluster.output();
    const producerLine = printedLine(output, 'kafka-console-producer.sh ');
    const consumerLine = printedLine(output, 'kafka-console-consumer.sh ');
    const props = /--producer\.config (\S+)/.exec(producerLine)?.[1];
    expect(props).toBeDefined();
    expect(consumerLine).toContain(`--consumer.config ${props}`);
    const bootstrap = cluster.credentials().bootstrap;
    // What kafka-console-*.sh run: the tools' main classes on the kafka-tools classpath (Maven).
    const tools = await fetchMavenClasspath({
      artifacts: [`org.apache.kafka:kafka-tools:${DEFAULT_KAFKA_VERSION}`, 'org.slf4j:slf4j-nop:1.7.36'],
      dir: join(defaultCacheRoot(), 'kafka-tools', DEFAULT_KAFKA_VERSION),
    });
    const classpath = join(tools.libDir, '*');
    const topic = 'java-console';
    const lines = Array.from({ length: 5 }, (_, i) => `from-java-${i}`);
    // The console producer is idempotent by default (enable.idempotence=true since Kafka 3.0).
    await java(classpath, ['org.apache.kafka.tools.ConsoleProducer', '--bootstrap-server', bootstrap, '--producer.config', props ?? '', '--topic', topic], lines.join('\n') + '\n', 90_000);
    const consumed = await java(
      classpath,
      ['org.apache.kafka.tools.consumer.ConsoleConsumer', '--bootstrap-server', bootstrap, '--consumer.config', props ?? '', '--topic', topic, '--from-beginning', '--max-messages', String(lines.length), '--timeout-ms', '60000'],
      '',
      120_000,
    );
    // The tool also prints notices on stdout (e.g. Kafka 4.x's --consumer.config deprecation).
    expect(consumed.split('\n').filter((l) => l.startsWith('from-java-'))).toEqual(lines);
  }, 300_000);
});
