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
