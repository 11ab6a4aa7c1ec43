import { spawn } from 'node:child_process';

export class ClientProcessError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}\n${output.split('\n').slice(-30).join('\n')}`);
    this.name = 'ClientProcessError';
  }
}

/** Runs a command to completion; rejects with its output when it fails or exceeds the timeout. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new ClientProcessError(`${command} ${args.slice(0, 2).join(' ')} failed (exit ${code ?? signal})`, output));
    });
  });
}
