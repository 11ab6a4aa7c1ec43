import { ManagedProcess, sleep, useHarness, waitFor } from './index';

const node = (script: string, label = 'child'): Promise<ManagedProcess> =>
  ManagedProcess.spawn({ label, command: process.execPath, args: ['-e', script] });

describe('ManagedProcess', () => {
  useHarness();

  it('stop() sends SIGTERM and reports a clean exit', async () => {
    const proc = await node(
      // Handler first, then 'up': a SIGTERM sent on seeing 'up' must find the handler installed.
      "process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000)",
    );
    await proc.waitForLine((line) => (line === 'up' ? true : undefined), { timeoutMs: 10_000, description: 'up' });
    const result = await proc.stop({ signal: 'SIGTERM', timeoutMs: 10_000 });
    expect(result).toMatchObject({ code: 0, signal: null, escalatedToSigkill: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(proc.stdout()).toContain('bye');
  });

  it('stop() escalates to SIGKILL when the process ignores SIGTERM past the deadline', async () => {
    const proc = await node("process.on('SIGTERM', () => console.log('ignored')); console.log('up'); setInterval(() => {}, 1000)");
    await proc.waitForLine((line) => (line === 'up' ? true : undefined), { timeoutMs: 10_000, description: 'up' });
    const result = await proc.stop({ timeoutMs: 300 });
    expect(result).toMatchObject({ code: null, signal: 'SIGKILL', escalatedToSigkill: true });
  });

  it('kill9() is a crash: the exit carries SIGKILL', async () => {
    const proc = await node('setInterval(() => {}, 1000)');
    expect(await proc.kill9()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(proc.running).toBe(false);
  });

  it('pause() freezes the process and resume() lets it continue', async () => {
    const proc = await node('let i = 0; setInterval(() => console.log(i++), 10)');
    await waitFor(() => proc.stdout().length > 0, { description: 'first tick' });
    proc.pause();
    await sleep(100); // output already in the pipe may still arrive
    const frozen = proc.stdout().length;
    await sleep(300);
    expect(proc.stdout().length).toBe(frozen);
    proc.resume();
    await waitFor(() => proc.stdout().length > frozen, { description: 'ticks after resume', timeoutMs: 10_000 });
  });

  it('separates stdout from stderr and keeps output of a process that already exited', async () => {
    const proc = await node("console.log('to out'); console.error('to err'); process.exit(3)");
    expect(await proc.exited).toEqual({ code: 3, signal: null });
    expect(proc.stdout()).toBe('to out\n');
    expect(proc.stderr()).toBe('to err\n');
    expect(await proc.stop()).toMatchObject({ code: 3, durationMs: 0 });
  });

  it('waitForLine fails fast, quoting the output, when the process exits before the line', async () => {
    const proc = await node("console.error('config key STRATUS_X is bad'); process.exit(2)");
    await expect(
      proc.waitForLine((line) => (line === 'never' ? true : undefined), { timeoutMs: 30_000, description: 'a line that never comes' }),
    ).rejects.toThrow(/exited \(code 2.*\)[\s\S]*STRATUS_X is bad/);
  });

  it('spawn rejects with a clear error when the command does not exist', async () => {
    await expect(ManagedProcess.spawn({ label: 'ghost', command: '/nonexistent/binary', args: [] })).rejects.toThrow(/cannot start ghost/);
  });
});
