// The consumer side of the load: Kafka's own ConsumerPerformance from the same kafka-tools jars as
// the producer, in a consumer group (so the target's group coordinator, JoinGroup/SyncGroup and
// offset commits are on the measured path, as for any real consumer), reading from the earliest
// offset. Its JVM's CPU is sampled like the producer's so a saturated client is visible.
import { spawn } from 'node:child_process';
import { parseConsumerOutput, type ConsumerSummary } from './perf-output';
import { ProcessMonitor, type ProcessUsage } from './proc';
import type { RunningTarget } from './targets';

export interface ConsumerRunOptions {
  readonly classpath: string;
  readonly propertiesFile: string;
  readonly target: RunningTarget;
  readonly topic: string;
  readonly group: string;
  /** Stop after reading this many records. */
  readonly numRecords: number;
  /** ConsumerPerformance --timeout: give up when no record arrived for this long (includes the group join). */
  readonly idleTimeoutMs: number;
  /** Hard cap on the whole process. */
  readonly killAfterMs: number;
  /** Label for the JVM's CPU figures. */
  readonly name: string;
}

export interface ConsumerRunResult {
  readonly summary?: ConsumerSummary;
  /** True when the consumer gave up before reading numRecords (nothing arrived within the idle timeout). */
  readonly timedOut: boolean;
  readonly killed: boolean;
  readonly exitCode: number | null;
  readonly clientCpu: ProcessUsage;
  readonly outputTail: string;
}

export function consumerArgs(options: Omit<ConsumerRunOptions, 'killAfterMs' | 'name' | 'target'> & { bootstrap: string }): string[] {
  return [
    '-Xmx512m',
    '-cp',
    options.classpath,
    'org.apache.kafka.tools.ConsumerPerformance',
    '--bootstrap-server',
    options.bootstrap,
    '--topic',
    options.topic,
    '--group',
    options.group,
    '--num-records',
    String(options.numRecords),
    '--timeout',
    String(options.idleTimeoutMs),
    '--command-config',
    options.propertiesFile,
    '--command-property',
    'client.id=bench-harness-consumer',
  ];
}

/** Starts a ConsumerPerformance run; the promise settles when the JVM exits. */
export function runConsumer(options: ConsumerRunOptions): Promise<ConsumerRunResult> {
  const child = spawn('java', consumerArgs({ ...options, bootstrap: options.target.bootstrap }), { stdio: ['ignore', 'pipe', 'pipe'] });
  const monitor = new ProcessMonitor(new Map([[child.pid ?? -1, options.name]]));
  let stdout = '';
  let tail = '';
  child.stdout.on('data', (chunk: Buffer) => {
    // The summary is one short line at the end; keep the last 64 KiB, which always contains it.
    stdout = (stdout + chunk.toString()).slice(-65_536);
    tail = (tail + chunk.toString()).slice(-8000);
  });
  // ConsumerPerformance prints the exception's message before its stack trace: keep the start of
  // stderr too, or a long trace pushes the one line that says what went wrong out of the tail.
  let stderrHead = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderrHead.length < 1000) stderrHead = (stderrHead + chunk.toString()).slice(0, 1000);
    tail = (tail + chunk.toString()).slice(-8000);
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.killAfterMs);
  return new Promise<ConsumerRunResult>((resolve) => {
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      const clientCpu = monitor.finish()[0] ?? { pid: -1, name: options.name, cpuSeconds: 0, cpuCores: 0, maxRssBytes: 0 };
      const parsed = parseConsumerOutput(stdout);
      resolve({ ...parsed, killed, exitCode, clientCpu, outputTail: stderrHead && !tail.slice(-2000).startsWith(stderrHead) ? `${stderrHead.trim()}\n…\n${tail.slice(-1000)}` : tail.slice(-2000) });
    });
  });
}

/** What the consumers of one measured run did, combined (several consumers share one group). */
export interface ConsumeFigures {
  readonly consumers: number;
  readonly expectedRecords: number;
  readonly records: number;
  readonly bytes: number;
  /** All records read before the idle timeout. */
  readonly complete: boolean;
  /** From the first consumer's start to the last one's end (includes the group join). */
  readonly elapsedSeconds: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  /** Rates over the fetch time only (after the group join): the read path itself. */
  readonly fetchRecordsPerSec: number;
  readonly fetchMbPerSec: number;
  /** Longest group join (JoinGroup → partitions assigned) among the consumers. */
  readonly rebalanceMs: number;
}

/**
 * Combines ConsumerPerformance summaries. Consumers in one group read in parallel, so the group's
 * rate is the records of all of them over the longest one's time (not a sum of rates, which would
 * overstate it when one consumer finished early).
 */
export function combineConsumers(summaries: readonly ConsumerSummary[], options: { expectedRecords: number }): ConsumeFigures | undefined {
  if (summaries.length === 0) return undefined;
  const records = summaries.reduce((a, s) => a + s.records, 0);
  const bytes = summaries.reduce((a, s) => a + s.bytes, 0);
  const elapsedMs = Math.max(...summaries.map((s) => s.elapsedMs));
  const fetchMs = Math.max(...summaries.map((s) => s.fetchMs));
  const perSec = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : 0);
  return {
    consumers: summaries.length,
    expectedRecords: options.expectedRecords,
    records,
    bytes,
    complete: records >= options.expectedRecords,
    elapsedSeconds: elapsedMs / 1000,
    recordsPerSec: perSec(records, elapsedMs),
    mbPerSec: perSec(bytes / 1_000_000, elapsedMs),
    fetchRecordsPerSec: perSec(records, fetchMs),
    fetchMbPerSec: perSec(bytes / 1_000_000, fetchMs),
    rebalanceMs: Math.max(...summaries.map((s) => s.rebalanceMs)),
  };
}
