// One harness run: measure the machine, then for each round start each target in turn (order
// alternates between rounds to cancel drift), create the topic, run the workload, record
// everything, and stop the target before the next one starts so they never share the CPU.
// Max-rate/fixed-rate: producers and consumers (one group, from the earliest offset) run together.
// Catch-up: the producers fill the topic first, then one consumer reads it all from offset 0.
import { execFileSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { createTopic, kafkaToolsClasspath, recordsForDuration, runEndToEnd, runProducer, writeClientProperties, type ProducerRunResult } from './client';
import { combineConsumers, runConsumer, type ConsumeFigures, type ConsumerRunResult } from './consumer';
import { machineInfo, measureMachineLimits } from './machine';
import { DEFAULT_KAFKA_VERSION } from '@stratus/kafka-reference';
import { diskUsageBytes, ProcessMonitor } from './proc';
import type { Progress } from './progress';
import type { HarnessResult, TargetRun } from './result';
import { startTarget, type RunningTarget, type TargetSpec } from './targets';
import { DEFAULT_COLD_SEGMENT_BYTES, hotTierDrained, LOCAL_TIERED_STORAGE_VERSION, recordsPerSegment, type TierSplit } from './cold-tier';
import { waitForColdTier } from './cold-tier-probe';
import { DEFAULT_CATCH_UP_BYTES, targetRecordsPerSecond, type Workload } from './workload';
import { clockPair, writeWindowMarker, type ClockPair } from './window-marker';

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
  const loadAverageAtStart = loadavg();
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
    loadAverageAtStart,
    machine: machineInfo(),
    limits,
    versions: {
      node: process.version,
      java: javaVersionLine(),
      kafkaClientTools: DEFAULT_KAFKA_VERSION,
      // A cold catch-up runs Kafka at the newest release whose LocalTieredStorage is published (cold-tier.ts).
      kafkaServer: coldTierOf(options.workload) ? LOCAL_TIERED_STORAGE_VERSION : DEFAULT_KAFKA_VERSION,
      ...(coldTierOf(options.workload) ? { kafkaLocalTieredStorage: LOCAL_TIERED_STORAGE_VERSION } : {}),
    },
    workload: options.workload,
    runs,
  };
}

/** A cold catch-up starts its targets with tiered storage and segments of this size. */
function coldTierOf(w: Workload): { segmentBytes: number } | undefined {
  return w.mode === 'catch-up' && w.catchUpTier === 'cold' ? { segmentBytes: w.tierSegmentBytes ?? DEFAULT_COLD_SEGMENT_BYTES } : undefined;
}

async function runOne(args: { spec: TargetSpec; round: number; classpath: string; limits: HarnessResult['limits']; options: HarnessOptions }): Promise<TargetRun> {
  const { spec, round, classpath, limits, options } = args;
  const w = options.workload;
  const p = options.progress;
  const label = spec.kind === 'bootstrap' ? `bootstrap:${spec.bootstrap}` : spec.kind === 'stratus-existing' ? 'stratus' : spec.kind;
  p.status(`[${label}] starting`);
  let target: RunningTarget | undefined;
  try {
    const coldTier = coldTierOf(w);
    // The harness can only put data out of the hot tier of a cluster it configures itself.
    if (coldTier && spec.kind !== 'stratus' && spec.kind !== 'kafka' && spec.kind !== 'kafka-rf1') {
      throw new Error(`a cold-tier catch-up needs a target the harness starts with tiered storage (stratus, kafka, kafka-rf1), not ${label} (an existing cluster)`);
    }
    target = await startTarget(spec, coldTier ? { coldTier } : {});
    const topic = `bench-${w.name}-${Date.now()}`;
    p.status(`[${label}] creating ${topic} (${w.partitionsPerTopic} partitions)`);
    await createTopic(target, { topic, partitions: w.partitionsPerTopic });
    const propertiesFile = writeClientProperties(target, tmpdir());
    const base = { classpath, propertiesFile, target, topic, workload: w };
    const catchUp = w.mode === 'catch-up';
    let sizing: { records: number; pilotRecordsPerSec?: number };
    if (catchUp) {
      sizing = { records: Math.ceil((w.catchUpBytes ?? DEFAULT_CATCH_UP_BYTES) / w.messageSize) };
    } else {
      p.status(`[${label}] ${w.mode === 'max-rate' ? 'pilot (warm-up, finds the max rate)' : 'sizing'}`);
      // The pilot writes to a topic of its own, so the measured topic holds exactly the measured
      // records and the consumers know how many to expect.
      const pilotTopic = `${topic}-pilot`;
      if (w.mode === 'max-rate') await createTopic(target, { topic: pilotTopic, partitions: w.partitionsPerTopic });
      sizing = await recordsForDuration({ ...base, topic: pilotTopic, pilotSeconds: Math.min(5, Math.max(2, Math.round(w.durationSeconds / 4))) });
    }
    const perProducer = Math.max(1, Math.round(sizing.records / w.producersPerTopic));
    const expectedRecords = perProducer * w.producersPerTopic;
    const fixed = targetRecordsPerSecond(w);
    const throughput = fixed > 0 ? Math.max(1, Math.round(fixed / w.producersPerTopic)) : -1;
    // Hard caps, generous because a loaded machine can run far below the asked rate: catch-up fills
    // at 1 MB/s at worst, timed runs at a tenth of their rate.
    const capMs = catchUp ? (Math.max(600, (expectedRecords * w.messageSize) / 1_000_000) + 120) * 1000 : (w.durationSeconds * 10 + 120) * 1000;
    // The idle timeout also runs while the consumer's JVM starts and joins its group, and on a
    // loaded machine the first acknowledged records can take a minute: be generous.
    const idleTimeoutMs = 180_000;
    const consumerOptions = (i: number, records: number) => ({ classpath, propertiesFile, target: target as RunningTarget, topic, group: `${topic}-group`, numRecords: records, idleTimeoutMs, killAfterMs: capMs, name: `consumer-jvm-${i + 1}` });

    const servers = target.serverProcesses();
    const diskBefore = diskUsageBytes(target.dataDirs);
    const serverMonitor = new ProcessMonitor(servers);
    const windowStart = clockPair();
    const started = Date.now();
    // Concurrent consumers start first; they read from the earliest offset, so nothing is missed
    // while they join their group.
    const consumers: Promise<ConsumerRunResult>[] = catchUp ? [] : Array.from({ length: w.consumersPerTopic }, (_, i) => runConsumer(consumerOptions(i, Math.ceil(expectedRecords / w.consumersPerTopic))));
    const recent = new Map<number, number>();
    const producers = Array.from({ length: w.producersPerTopic }, (_, i) =>
      runProducer({
        ...base,
        numRecords: perProducer,
        throughput,
        killAfterMs: capMs,
        onWindow: (window) => {
          recent.set(i, window.mbPerSec);
          const mb = [...recent.values()].reduce((a, b) => a + b, 0);
          const of = catchUp ? `${Math.round((expectedRecords * w.messageSize) / 1_000_000)} MB fill` : `${w.durationSeconds}s`;
          p.status(`[${label}] round ${round} ${Math.round((Date.now() - started) / 1000)}s/${of} ${mb.toFixed(1)} MB/s avg latency ${window.avgLatencyMs.toFixed(0)} ms`);
        },
      }),
    );
    const results: ProducerRunResult[] = await Promise.all(producers);
    const measuredSeconds = (Date.now() - started) / 1000;
    const serverUsage = serverMonitor.finish();
    const windowEnd = clockPair();
    markWindow(label, round, 'produce', windowStart, windowEnd);
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

    let consumed: ConsumerRunResult[] = [];
    let catchUpFigures: TargetRun['catchUp'];
    let tierAtRead: (TierSplit & { waitSeconds: number }) | undefined;
    if (catchUp && coldTier) {
      if (!target.tierProbe) throw new Error(`${label} was started without a tier probe`);
      const probe = target.tierProbe({ classpath, propertiesFile });
      const perSegment = recordsPerSegment({ segmentBytes: coldTier.segmentBytes, messageSize: w.messageSize });
      const waitStart = Date.now();
      const split = await waitForColdTier({
        probe,
        topic,
        partitions: w.partitionsPerTopic,
        drained: (s) => s.records >= records && hotTierDrained(s, { recordsPerSegment: perSegment }),
        timeoutMs: capMs,
        onSplit: (s) => p.status(`[${label}] waiting for local retention: ${(s.coldFraction * 100).toFixed(1)}% of ${s.records} records only in the cold tier (${Math.round((Date.now() - waitStart) / 1000)} s)`),
      });
      tierAtRead = { ...split, waitSeconds: (Date.now() - waitStart) / 1000 };
    }
    if (catchUp) {
      p.status(`[${label}] catch-up read of ${records} records from offset 0${tierAtRead ? ` (${(tierAtRead.coldFraction * 100).toFixed(1)}% from the cold tier)` : ''}`);
      const readMonitor = new ProcessMonitor(servers);
      const readStart = clockPair();
      consumed = [await runConsumer(consumerOptions(0, records))];
      const readUsage = readMonitor.finish();
      const readEnd = clockPair();
      markWindow(label, round, 'catch-up-read', readStart, readEnd);
      catchUpFigures = {
        bytes: records * w.messageSize,
        tier: w.catchUpTier ?? 'hot',
        serverCpuCores: readUsage.reduce((a, s) => a + s.cpuCores, 0),
        readSeconds: (readEnd.wallMs - readStart.wallMs) / 1000,
        ...(tierAtRead
          ? {
              cold: {
                segmentBytes: coldTier?.segmentBytes ?? 0,
                records: tierAtRead.records,
                coldRecords: tierAtRead.coldRecords,
                coldFraction: tierAtRead.coldFraction,
                waitSeconds: tierAtRead.waitSeconds,
                partitions: tierAtRead.partitions,
              },
            }
          : {}),
      };
    } else if (consumers.length > 0) {
      p.status(`[${label}] waiting for the consumers to read the last records`);
      consumed = await Promise.all(consumers);
    }
    const consume: ConsumeFigures | undefined = combineConsumers(
      consumed.flatMap((c) => (c.summary ? [c.summary] : [])),
      { expectedRecords: catchUp ? records : expectedRecords },
    );
    const consumeProblems = consumed
      .filter((c) => !c.summary || c.timedOut)
      .map((c) =>
        c.summary
          ? `a consumer stopped early (no record for ${idleTimeoutMs / 1000} s${c.summary.rebalanceMs === 0 ? ', and it was never assigned partitions' : ''}) after ${c.summary.records} records`
          : `a consumer gave no summary (exit ${c.exitCode}${c.killed ? ', killed after the time cap' : ''}): ${c.outputTail.slice(0, 1500)}`,
      );
    if (consume && !consume.complete && consumeProblems.length === 0) consumeProblems.push(`the consumers read ${consume.records} of ${consume.expectedRecords} records`);

    let endToEndMs: TargetRun['endToEndMs'];
    if (options.endToEnd && w.consumersPerTopic > 0 && !catchUp) {
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
      client: [...results.map((r) => r.clientCpu), ...consumed.map((c) => c.clientCpu)],
      servers: serverUsage,
      serverCpuCores,
      serverRssBytes,
      diskBytesWritten,
      writeAmplification: published > 0 ? diskBytesWritten / published : 0,
      measuredSeconds,
      ...(consume ? { consume } : {}),
      ...(consumeProblems.length ? { consumeError: consumeProblems.join('; ').slice(0, 4000) } : {}),
      ...(catchUpFigures ? { catchUp: catchUpFigures } : {}),
    };
  } catch (error) {
    p.note(`[${label}] failed: ${(error as Error).message.split('\n')[0]}`);
    return { target: target?.label ?? label, description: target?.description ?? label, round, ok: false, error: (error as Error).message.slice(0, 4000), client: [], servers: [] };
  } finally {
    p.status(`[${label}] stopping`);
    await target?.stop().catch(() => undefined);
  }
}

/** With STRATUS_CPU_PROFILE_DIR set (see cpu-profile-hook.cjs), records the window for profile-summary.ts --window. */
function markWindow(target: string, round: number, phase: string, start: ClockPair, end: ClockPair): void {
  const dir = process.env['STRATUS_CPU_PROFILE_DIR'];
  if (dir) writeWindowMarker(dir, { target, round, phase, start, end });
}
