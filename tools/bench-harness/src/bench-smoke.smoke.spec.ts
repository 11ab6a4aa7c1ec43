// CI smoke (issue 11): the harness end to end against a real Stratus local cluster with a
// 10-second small workload. Asserts the run produced throughput and a well-formed result file;
// it deliberately asserts no speed (shared CI machines are noisy).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResult } from './output';
import { silentProgress } from './progress';
import type { HarnessResult } from './result';
import { runHarness } from './run';
import { loadWorkload } from './workload';

jest.setTimeout(900_000);

describe('bench harness smoke', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs a 10 s workload against stratus and writes a valid JSON result', async () => {
    const workload = { ...loadWorkload('smoke-1x1-1kb'), durationSeconds: 10 };
    const result = await runHarness({ targets: [{ kind: 'stratus' }], workload, rounds: 1, endToEnd: false, command: 'bench-smoke', progress: silentProgress });
    const files = writeResult(result, join(out, 'smoke.json'));

    const parsed = JSON.parse(readFileSync(files.json, 'utf8')) as HarnessResult;
    expect(parsed.harness).toBe('stratus-bench-harness/1');
    expect(parsed.workload.name).toBe('smoke-1x1-1kb');
    expect(parsed.limits.tcpLoopbackBytesPerSec).toBeGreaterThan(0);
    expect(parsed.runs).toHaveLength(1);
    const run = parsed.runs[0];
    expect(run?.error).toBeUndefined();
    expect(run?.ok).toBe(true);
    expect(run?.target).toBe('stratus');
    expect(run?.records).toBeGreaterThan(0);
    expect(run?.mbPerSec).toBeGreaterThan(0);
    expect(run?.latencyMs?.p99).toBeGreaterThanOrEqual(run?.latencyMs?.p50 ?? Infinity);
    // The server processes were found and sampled (router, brokers, replication, etcd, ...).
    expect(run?.servers.length).toBeGreaterThan(0);
    expect(run?.client[0]?.cpuSeconds).toBeGreaterThan(0);
    expect(readFileSync(files.markdown, 'utf8')).toContain('publish rate (MB/s)');
    expect(readFileSync(files.svg, 'utf8')).toContain('<polyline');
  });
});
