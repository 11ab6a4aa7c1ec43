import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cleanupResources,
  currentMark,
  HarnessCleanupError,
  makeTempDir,
  ManagedProcess,
  registerResource,
  useHarness,
  waitFor,
  workspaceRoot,
} from './index';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runJest(testFile: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const root = workspaceRoot();
  const config = {
    rootDir: join(__dirname, '__fixtures__'),
    testMatch: [testFile],
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
    moduleNameMapper: { '^(\\.\\./index)$': join(__dirname, 'index.ts') },
    testTimeout: 60_000,
  };
  const child = spawn(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--runInBand', '--ci', '--config', JSON.stringify(config)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('harness cleanup', () => {
  useHarness();

  it('a failing test leaves no process and no temp dir behind', async () => {
    const reportDir = await makeTempDir('cleanup-report');
    const reportFile = join(reportDir.path, 'report.json');
    const run = await runJest('**/failing-suite.fixture.ts', { ...process.env, STRATUS_FIXTURE_REPORT: reportFile });

    expect(run.output).toContain('simulated test failure');
    expect(run.code).not.toBe(0);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { pids: number[]; dirs: string[] };
    expect(report.pids).toHaveLength(2);
    for (const pid of report.pids) expect({ pid, alive: isAlive(pid) }).toEqual({ pid, alive: false });
    for (const dir of report.dirs) expect({ dir, exists: existsSync(dir) }).toEqual({ dir, exists: false });
  });

  it('kills children when the test runner exits without running any cleanup hook', async () => {
    const reportDir = await makeTempDir('exit-report');
    const reportFile = join(reportDir.path, 'report.json');
    const run = await runJest('**/exiting-suite.fixture.ts', { ...process.env, STRATUS_FIXTURE_REPORT: reportFile });

    expect(run.code).toBe(7);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { pids: number[]; dirs: string[] };
    expect(report.pids).toHaveLength(1);
    expect(report.dirs).toHaveLength(1);
    // The watchdog notices the closed pipe a moment after the runner is gone.
    await waitFor(() => report.pids.every((pid) => !isAlive(pid)) && report.dirs.every((dir) => !existsSync(dir)), {
      description: 'orphaned child and its temp dir to be gone',
      timeoutMs: 10_000,
    });
  });

  it('cleanupResources releases newest first, attempts all and reports every failure', async () => {
    const mark = currentMark();
    const dir = await makeTempDir('order');
    const proc = await ManagedProcess.spawn({ label: 'idler', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] });
    const order: string[] = [];
    const unregisterBroken = registerResource({
      label: 'broken resource',
      cleanup: async () => {
        order.push('broken');
        unregisterBroken();
        throw new Error('disk on fire');
      },
    });
    const unregisterLast = registerResource({
      label: 'last resource',
      cleanup: async () => {
        order.push('last');
        unregisterLast();
      },
    });

    const cleanup = cleanupResources({ after: mark });
    await expect(cleanup).rejects.toBeInstanceOf(HarnessCleanupError);
    await expect(cleanup).rejects.toThrow(/1 harness resource/);
    expect(order).toEqual(['last', 'broken']);
    expect(proc.running).toBe(false);
    expect(isAlive(proc.pid)).toBe(false);
    expect(existsSync(dir.path)).toBe(false);
    expect(currentMark()).toBeGreaterThan(mark);
  });
});
