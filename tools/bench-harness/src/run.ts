// One harness run: measure the machine, then for each round start each target in turn (order
// alternates between rounds to cancel drift), create the topic, run the workload, record
// everything, and stop the target before the next one starts so they never share the CPU.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createTopic, kafkaToolsClasspath, recordsForDuration, runEndToEnd, runProducer, writeClientProperties, type ProducerRunResult } from './client';
import { machineInfo, measureMachineLimits } from './machine';
import { DEFAULT_KAFKA_VERSION } from '@stratus/kafka-reference';
import { diskUsageBytes, ProcessMonitor } from './proc';
import type { Progress } from './progress';
import type { HarnessResult, TargetRun } from './result';
import { startTarget, type RunningTarget, type TargetSpec } from './targets';
import { targetRecordsPerSecond, type Workload } from './workload';

export interface HarnessOptions {
  readonly targets: readonly TargetSpec[];
  readonly workload: Workload;
  readonly rounds: number;
  readonly endToEnd: boolean;
  readonly command: string;
  readonly progress: Progress;
}

function javaVersionLine(): string {
  try {
    // `java -version` writes to stderr.
    return execFileSync('sh', ['-c', 'java -version 2>&1 | head -1'], { encoding: 'utf8' }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function runHarness(options: HarnessOptions): Promise<HarnessResult> {
  const startedAt = new Date().toISOString();
  const p = options.progress;
  p.status('measuring machine limits (TCP loopback, sequential disk write)');
  const limits = await measureMachineLimits({ dir: tmpdir() });
  p.status('fetching kafka-tools (cached after the first run)');
  const classpath = await kafkaToolsClasspath();
  const runs: TargetRun[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? options.targets : [...options.targets].reverse();
    for (const spec of order) runs.push(await runOne({ spec, round, classpath, limits, options }));
  }
  p.done();
  return {
    harness: 'stratus-bench-harness/1',
    startedAt,
    command: options.command,
    machine: machineInfo(),
    limits,
    versions: { node: process.version, java: javaVersionLine(), kafkaClientTools: DEFAULT_KAFKA_VERSION, kafkaServer: DEFAULT_KAFKA_VERSION },
    workload: options.workload,
    runs,
  };
}

async function runOne(args: { spec: TargetSpec; round: number; classpath: string; limits: HarnessResult['limits']; options: HarnessOptions }): Promise<TargetRun> {
  const { spec, round, classpath, limits, options } = args;
  const w = options.workload;
  const p = options.progress;
  const label = spec.kind === 'bootstrap' ? `bootstrap:${spec.bootstrap}` : spec.kind === 'stratus-existing' ? 'stratus' : spec.kind;
  p.status(`[${label}] starting`);
  let target: RunningTarget | undefined;
  try {
    target = await startTarget(spec);
    const topic = `bench-${w.name}-${Date.now()}`;
    p.status(`[${label}] creating ${topic} (${w.partitionsPerTopic} partitions)`);
    await createTopic(target, { topic, partitions: w.partitionsPerTopic });
    const propertiesFile = writeClientProperties(target, tmpdir());
    const base = { classpath, propertiesFile, target, topic, workload: w };
    p.status(`[${label}] ${w.mode === 'max-rate' ? 'pilot (warm-up, finds the max rate)' : 'sizing'}`);
    const sizing = await recordsForDuration({ ...base, pilotSeconds: Math.min(5, Math.max(2, Math.round(w.durationSeconds / 4))) });
    const perProducer = Math.max(1, Math.round(sizing.records / w.producersPerTopic));
    const fixed = targetRecordsPerSecond(w);
    const throughput = fixed > 0 ? Math.max(1, Math.round(fixed / w.producersPerTopic)) : -1;

    const servers = target.serverProcesses();
    const diskBefore = diskUsageBytes(target.dataDirs);
    const serverMonitor = new ProcessMonitor(servers);
    const started = Date.now();
    const recent = new Map<number, number>();
    const producers = Array.from({ length: w.producersPerTopic }, (_, i) =>
      runProducer({
        ...base,
        numRecords: perProducer,
        throughput,
        killAfterMs: (w.durationSeconds * 3 + 60) * 1000,
        onWindow: (window) => {
          recent.set(i, window.mbPerSec);
          const mb = [...recent.values()].reduce((a, b) => a + b, 0);
          p.status(`[${label}] round ${round} ${Math.round((Date.now() - started) / 1000)}s/${w.durationSeconds}s ${mb.toFixed(1)} MB/s avg latency ${window.avgLatencyMs.toFixed(0)} ms`);
        },
      }),
    );
    const results: ProducerRunResult[] = await Promise.all(producers);
    const measuredSeconds = (Date.now() - started) / 1000;
    const serverUsage = serverMonitor.finish();
    const diskBytesWritten = Math.max(0, diskUsageBytes(target.dataDirs) - diskBefore);
    const summaries = results.map((r) => r.summary);
    if (summaries.some((s) => s === undefined)) {
      const bad = results.find((r) => !r.summary);
      throw new Error(`a producer gave no summary (exit ${bad?.exitCode}${bad?.killed ? ', killed after the time cap' : ''}): ${bad?.outputTail ?? ''}`);
    }
    const ok = summaries.filter((s): s is NonNullable<typeof s> => s !== undefined);
    const records = ok.reduce((a, s) => a + s.records, 0);
    const recordsPerSec = ok.reduce((a, s) => a + s.recordsPerSec, 0);
    const mbPerSec = ok.reduce((a, s) => a + s.mbPerSec, 0);
    // Several producers: the worst producer's percentile (a conservative bound, not a merged histogram).
    const worst = (f: (s: (typeof ok)[number]) => number): number => Math.max(...ok.map(f));
    let endToEndMs: TargetRun['endToEndMs'];
    if (options.endToEnd && w.consumersPerTopic > 0) {
      p.status(`[${label}] end-to-end latency (EndToEndLatency, 1 partition)`);
      const e2eTopic = `${topic}-e2e`;
      try {
        await createTopic(target, { topic: e2eTopic, partitions: 1 });
        endToEndMs = await runEndToEnd({ classpath, propertiesFile, target, topic: e2eTopic, records: 500, messageSize: w.messageSize, timeoutMs: 120_000 });
      } catch (error) {
        endToEndMs = { error: (error as Error).message };
      }
    }
    const bytesPerSec = mbPerSec * 1_000_000;
    const serverCpuCores = serverUsage.reduce((a, s) => a + s.cpuCores, 0);
    const serverRssBytes = serverUsage.reduce((a, s) => a + s.maxRssBytes, 0);
    const published = records * w.messageSize;
    return {
      target: target.label,
      description: target.description,
      round,
      ok: true,
      ...(sizing.pilotRecordsPerSec !== undefined ? { pilotRecordsPerSec: sizing.pilotRecordsPerSec } : {}),
      records,
      recordsPerSec,
      mbPerSec,
      latencyMs: { avg: worst((s) => s.avgLatencyMs), p50: worst((s) => s.p50Ms), p95: worst((s) => s.p95Ms), p99: worst((s) => s.p99Ms), p999: worst((s) => s.p999Ms), max: worst((s) => s.maxLatencyMs) },
      ...(endToEndMs ? { endToEndMs } : {}),
      fractionOfTcpLoopback: bytesPerSec / limits.tcpLoopbackBytesPerSec,
      fractionOfDiskWrite: bytesPerSec / limits.diskWriteBytesPerSec,
      client: results.map((r) => r.clientCpu),
      servers: serverUsage,
      serverCpuCores,
      serverRssBytes,
      diskBytesWritten,
      writeAmplification: published > 0 ? diskBytesWritten / published : 0,
      measuredSeconds,
    };
  } catch (error) {
    p.note(`[${label}] failed: ${(error as Error).message.split('\n')[0]}`);
    return { target: target?.label ?? label, description: target?.description ?? label, round, ok: false, error: (error as Error).message.slice(0, 4000), client: [], servers: [] };
  } finally {
    p.status(`[${label}] stopping`);
    await target?.stop().catch(() => undefined);
  }
}
