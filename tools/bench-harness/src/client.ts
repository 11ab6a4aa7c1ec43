// The load generator: Kafka's own ProducerPerformance (and EndToEndLatency), the same jars and the
// same flags for every target. The JVM's CPU is sampled from /proc so a saturated client shows up
// in the results instead of being mistaken for a slow server.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { DEFAULT_KAFKA_VERSION, defaultCacheRoot, fetchMavenClasspath } from '@stratus/kafka-reference';
import { parseEndToEnd, parseProducerLine, type EndToEndSummary, type ProducerSummary, type ProducerWindow } from './perf-output';
import { ProcessMonitor, type ProcessUsage } from './proc';
import type { RunningTarget } from './targets';
import { targetRecordsPerSecond, type Workload } from './workload';

export async function kafkaToolsClasspath(): Promise<string> {
  const jars = await fetchMavenClasspath({
    artifacts: [`org.apache.kafka:kafka-tools:${DEFAULT_KAFKA_VERSION}`, 'org.slf4j:slf4j-nop:1.7.36'],
    dir: join(defaultCacheRoot(), 'kafka-tools', DEFAULT_KAFKA_VERSION),
  });
  return join(jars.libDir, '*');
}

/** Client properties file (security + SASL) for the Java tools; owner-only because it holds a password. */
export function writeClientProperties(target: RunningTarget, dir: string): string {
  const lines = ['client.dns.lookup=use_all_dns_ips'];
  if (target.sasl) {
    const module = target.sasl.mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    lines.push('security.protocol=SASL_PLAINTEXT', `sasl.mechanism=${target.sasl.mechanism}`, `sasl.jaas.config=${module} required username="${target.sasl.username}" password="${target.sasl.password}";`);
  }
  const path = join(dir, `client-${process.pid}-${Date.now()}.properties`);
  writeFileSync(path, lines.join('\n') + '\n', { mode: 0o600 });
  return path;
}

/**
 * Creates a topic, retrying for up to `readyTimeoutMs`: a freshly started cluster can report ready
 * a moment before every router accepts the SCRAM login (credentials arrive through a watch), which
 * shows up as an authentication failure or a closed connection on the first admin request.
 */
export async function createTopic(target: RunningTarget, options: { topic: string; partitions: number; readyTimeoutMs?: number }): Promise<void> {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    try {
      await createTopicOnce(target, options);
      return;
    } catch (error) {
      const message = (error as Error).message;
      // An existing topic means an earlier attempt succeeded after all (its answer was lost).
      if (/already exists/i.test(message)) return;
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

async function createTopicOnce(target: RunningTarget, options: { topic: string; partitions: number }): Promise<void> {
  const sasl: SASLOptions | undefined = target.sasl
    ? target.sasl.mechanism === 'PLAIN'
      ? { mechanism: 'plain', username: target.sasl.username, password: target.sasl.password }
      : { mechanism: 'scram-sha-256', username: target.sasl.username, password: target.sasl.password }
    : undefined;
  const kafka = new Kafka({ clientId: 'bench-harness', brokers: target.bootstrap.split(','), logLevel: logLevel.NOTHING, ...(sasl ? { sasl } : {}), connectionTimeout: 30_000, requestTimeout: 60_000 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      timeout: 60_000,
      topics: [
        {
          topic: options.topic,
          numPartitions: options.partitions,
          replicationFactor: target.replicationFactor,
          configEntries: Object.entries(target.topicConfigs).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

export interface ProducerRunOptions {
  readonly classpath: string;
  readonly propertiesFile: string;
  readonly target: RunningTarget;
  readonly topic: string;
  readonly workload: Workload;
  readonly numRecords: number;
  /** Records/s, -1 unthrottled. */
  readonly throughput: number;
  /** Kill the producer after this long (pilot runs, and a hard cap on a stuck run). */
  readonly killAfterMs: number;
  /** Stop after this many 1-second report windows (the pilot: JVM start-up and SASL do not count). */
  readonly stopAfterWindows?: number;
  readonly onWindow?: (window: ProducerWindow) => void;
}

export interface ProducerRunResult {
  readonly summary?: ProducerSummary;
  readonly windows: readonly ProducerWindow[];
  readonly clientCpu: ProcessUsage;
  readonly killed: boolean;
  readonly exitCode: number | null;
  readonly outputTail: string;
}

export async function runProducer(options: ProducerRunOptions): Promise<ProducerRunResult> {
  const w = options.workload;
  const args = [
    '-Xmx512m',
    '-cp',
    options.classpath,
    'org.apache.kafka.tools.ProducerPerformance',
    '--bootstrap-server',
    options.target.bootstrap,
    '--topic',
    options.topic,
    '--num-records',
    String(options.numRecords),
    '--record-size',
    String(w.messageSize),
    '--throughput',
    String(options.throughput),
    '--reporting-interval',
    '1000',
    '--command-config',
    options.propertiesFile,
    '--command-property',
    `acks=${w.acks}`,
    `linger.ms=${w.lingerMs}`,
    `batch.size=${w.batchSize}`,
    'compression.type=none',
    'client.id=bench-harness',
  ];
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const monitor = new ProcessMonitor(new Map([[child.pid ?? -1, 'producer-jvm']]));
  const windows: ProducerWindow[] = [];
  let summary: ProducerSummary | undefined;
  let output = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseProducerLine(line);
      if (!parsed) continue;
      if (parsed.summary) summary = parsed.summary;
      else {
        windows.push(parsed.window);
        options.onWindow?.(parsed.window);
        if (options.stopAfterWindows !== undefined && windows.length >= options.stopAfterWindows && child.exitCode === null) child.kill('SIGKILL');
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.killAfterMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  const clientCpu = monitor.finish()[0] ?? { pid: -1, name: 'producer-jvm', cpuSeconds: 0, cpuCores: 0, maxRssBytes: 0 };
  const tail = parseProducerLine(pending);
  if (tail?.summary) summary = tail.summary;
  return { ...(summary ? { summary } : {}), windows, clientCpu, killed, exitCode, outputTail: output.slice(-2000) };
}

/**
 * Max-rate mode has no record count to give ProducerPerformance (it has no --duration): a short
 * unthrottled pilot (which doubles as warm-up) measures the rate, and the measured run is sized to
 * last the workload's duration at that rate.
 */
export async function recordsForDuration(options: Omit<ProducerRunOptions, 'numRecords' | 'throughput' | 'killAfterMs'> & { pilotSeconds: number }): Promise<{ records: number; pilotRecordsPerSec?: number }> {
  const w = options.workload;
  const fixed = targetRecordsPerSecond(w);
  if (fixed > 0) return { records: fixed * w.durationSeconds };
  // Counted in report windows rather than wall time: on a loaded machine the JVM can take longer to
  // start than the whole pilot, which would leave nothing to measure.
  const pilot = await runProducer({ ...options, numRecords: 1_000_000_000, throughput: -1, killAfterMs: 120_000, stopAfterWindows: options.pilotSeconds + 1 });
  // The first window includes connection set-up; the rest is the unthrottled rate.
  const steady = pilot.windows.length > 1 ? pilot.windows.slice(1) : pilot.windows;
  if (steady.length === 0) throw new Error(`the max-rate pilot produced no report within 120 s (exit ${pilot.exitCode}): ${pilot.outputTail}`);
  const rate = steady.reduce((sum, x) => sum + x.recordsPerSec, 0) / steady.length;
  return { records: Math.max(1000, Math.round(rate * w.durationSeconds)), pilotRecordsPerSec: rate };
}

export async function runEndToEnd(options: { classpath: string; propertiesFile: string; target: RunningTarget; topic: string; records: number; messageSize: number; timeoutMs: number }): Promise<EndToEndSummary | { error: string }> {
  const child = spawn(
    'java',
    ['-Xmx256m', '-cp', options.classpath, 'org.apache.kafka.tools.EndToEndLatency', options.target.bootstrap, options.topic, String(options.records), 'all', String(options.messageSize), options.propertiesFile],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return parseEndToEnd(output) ?? { error: `EndToEndLatency exited with ${code}: ${output.slice(-600).trim()}` };
}
