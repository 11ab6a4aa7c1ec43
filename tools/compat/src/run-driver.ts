// Starts one driver process with a request on stdin and reads its JSON result (the last line).
import { spawn } from 'node:child_process';
import { workspaceRoot } from '@stratus/platform-testing';
import type { DriverCommand } from './clients';
import type { DriverRequest, DriverResult } from './protocol';

export async function runDriver(command: DriverCommand, request: DriverRequest): Promise<DriverResult> {
  return new Promise((resolve) => {
    const child = spawn(command.command, [...command.args], { cwd: workspaceRoot(), env: { ...process.env, ...command.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // The driver has the request's timeout itself; this is the backstop for a hung client.
    const timer = setTimeout(() => child.kill('SIGKILL'), request.timeoutMs + 60_000);
    child.once('error', (error) => resolve({ ok: false, error: `could not start ${command.command}: ${error.message}` }));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as DriverResult);
      } catch {
        const why = signal === 'SIGKILL' ? `killed after ${request.timeoutMs + 60_000} ms` : `exited with ${String(code ?? signal)}`;
        resolve({ ok: false, error: `driver ${why} without a result: ${(stderr || stdout).trim().split('\n').slice(-6).join(' | ')}` });
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}
