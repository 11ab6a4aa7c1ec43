import { renderLatencySvg, renderMarkdown } from './report';
import type { HarnessResult, TargetRun } from './result';
import { loadWorkload } from './workload';

function run(target: string, mbPerSec: number, p99: number): TargetRun {
  return {
    target,
    description: target,
    round: 1,
    ok: true,
    records: 1000,
    recordsPerSec: mbPerSec * 1000,
    mbPerSec,
    latencyMs: { avg: 5, p50: 4, p95: 8, p99, p999: p99 * 2, max: p99 * 3 },
    client: [{ pid: 1, name: 'client-jvm', cpuSeconds: 1, cpuCores: 0.5, maxRssBytes: 1 }],
    servers: [],
    serverCpuCores: 1.5,
    serverRssBytes: 300_000_000,
    diskBytesWritten: 3_000_000,
    writeAmplification: 3,
  };
}

const result: HarnessResult = {
  harness: 'stratus-bench-harness/1',
  startedAt: '2026-11-29T00:00:00.000Z',
  command: 'npm run bench -- --target stratus,kafka --workload 1x16-1kb-max',
  machine: { hostname: 'h', kernel: 'k', cpuModel: 'cpu', cores: 2, memoryBytes: 2 ** 33, node: 'v20', loadAverage: [1, 1, 1] },
  limits: { tcpLoopbackBytesPerSec: 1e9, diskWriteBytesPerSec: 5e8 },
  versions: {},
  workload: loadWorkload('1x16-1kb-max'),
  runs: [run('stratus', 20, 40), run('kafka', 40, 20)],
};

describe('renderMarkdown', () => {
  it('shows both targets and the Stratus/Kafka ratio for each figure', () => {
    const md = renderMarkdown(result);
    expect(md).toContain('| figure | stratus | kafka | stratus / kafka |');
    expect(md).toMatch(/\| publish rate \(MB\/s\) \| 20\.0 \| 40\.0 \| 0\.50 \(higher is better\) \|/);
    expect(md).toMatch(/\| publish latency p99 \(ms\) \| 40\.0 \| 20\.0 \| 2\.00 \(lower is better\) \|/);
    expect(md).toContain('TCP loopback 1000 MB/s');
    expect(md).not.toContain('Loaded machine');
  });

  it('warns in the file itself when the machine was busier than its cores', () => {
    const md = renderMarkdown({ ...result, loadAverageAtStart: [30.5, 20, 10], machine: { ...result.machine, loadAverage: [12, 11, 10] } });
    expect(md).toContain('at the start 30.50 20.00 10.00, at the end 12.00 11.00 10.00');
    expect(md).toContain('**Loaded machine:** the load average reached 30.5 on 2 cores');
  });

  it('shows consumer figures and the producer and consumer JVMs apart', () => {
    const consume = { consumers: 1, expectedRecords: 1000, records: 1000, bytes: 1_024_000, complete: true, elapsedSeconds: 10, recordsPerSec: 100, mbPerSec: 0.1024, fetchRecordsPerSec: 125, fetchMbPerSec: 0.128, rebalanceMs: 2000 };
    const withConsumer = (r: TargetRun, mb: number): TargetRun => ({ ...r, consume: { ...consume, fetchMbPerSec: mb }, client: [...r.client, { pid: 2, name: 'consumer-jvm-1', cpuSeconds: 1, cpuCores: 0.25, maxRssBytes: 1 }] });
    const md = renderMarkdown({ ...result, runs: [withConsumer(run('stratus', 20, 40), 30), withConsumer(run('kafka', 40, 20), 20)] });
    expect(md).toMatch(/\| consume rate after group join \(MB\/s\) \| 30\.0 \| 20\.0 \| 1\.50 \(higher is better\) \|/);
    expect(md).toMatch(/\| producer JVM CPU \(cores\) \| 0\.50 \| 0\.50 \|/);
    expect(md).toMatch(/\| consumer JVM CPU \(cores\) \| 0\.25 \| 0\.25 \|/);
    expect(md).toMatch(/\| consumer group join \(ms\) \| 2000 \| 2000 \|/);
  });
});

describe('renderLatencySvg', () => {
  it('draws one polyline per target with a legend', () => {
    const svg = renderLatencySvg(result);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('>stratus</text>');
    expect(svg).toContain('>kafka</text>');
  });
});

describe('renderMarkdown: cold catch-up', () => {
  it('names the cold tier, shows the read rate, the cold share and the wait, and explains a failed reference', () => {
    const cold = loadWorkload('1x16-1kb-catchup-cold');
    const consume = { consumers: 1, expectedRecords: 2048, records: 2048, bytes: 2_097_152, complete: true, elapsedSeconds: 10, recordsPerSec: 204.8, mbPerSec: 0.2, fetchRecordsPerSec: 409.6, fetchMbPerSec: 0.42, rebalanceMs: 3000 };
    const stratus: TargetRun = {
      ...run('stratus', 20, 40),
      consume,
      catchUp: {
        bytes: 2_097_152,
        tier: 'cold',
        serverCpuCores: 0.8,
        readSeconds: 10,
        cold: {
          segmentBytes: 2 ** 20,
          records: 2048,
          coldRecords: 1900,
          coldFraction: 1900 / 2048,
          waitSeconds: 41.6,
          partitions: [
            { partition: 0, logStart: 0, hotStart: 950, end: 1024 },
            { partition: 1, logStart: 0, hotStart: 950, end: 1024 },
          ],
        },
      },
    };
    const kafka: TargetRun = { target: 'kafka', description: 'kafka', round: 1, ok: false, error: 'the hot tier still held the data after 600 s (0.0% of 2048 records below the hot start)', client: [], servers: [] };
    const md = renderMarkdown({ ...result, workload: cold, runs: [stratus, kafka] });
    expect(md).toContain('(cold tier: tiered storage, 1 MiB segments, local.retention.bytes=0');
    expect(md).toMatch(/\| consume rate after group join \(MB\/s\) \| 0\.4 \| — \| — \|/);
    expect(md).toMatch(/\| catch-up records only in the cold tier \(share\) \| 0\.928 \| — \| — \|/);
    expect(md).toMatch(/\| wait for local retention after the fill \(s\) \| 42 \| — \| — \|/);
    expect(md).toContain('- stratus round 1: 1900 of 2048 records (92.8%) were below the hot tier\'s start when the read began, after 42 s of waiting for local retention; still hot per partition: 74..74 records');
    expect(md).toContain('- kafka round 1: the hot tier still held the data after 600 s');
  });
});

