// Last line of defence against leaked processes. Hooks inside the test process are not enough:
// Jest runs tests with a sandboxed copy of `process` whose 'exit' listeners never fire, and a
// runner killed by a CI timeout (SIGKILL) runs no code at all. So the first child we start also
// starts a small detached watchdog that holds the read end of a pipe from us; we tell it which pids
// and temp dirs are live. When the pipe closes — because this process ended, however it ended —
// the watchdog SIGKILLs whatever is still listed, removes the listed dirs and exits.
import { spawn, type ChildProcess } from 'node:child_process';

const WATCHDOG_SCRIPT = `
const fs = require('node:fs');
const pids = new Set();
const dirs = new Set();
let pending = '';
let reaped = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let newline;
  while ((newline = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, newline);
    pending = pending.slice(newline + 1);
    const set = line[1] === 'p' ? pids : dirs;
    const value = line.slice(3);
    if (line[0] === '+') set.add(value); else set.delete(value);
  }
});
const reap = () => {
  if (reaped) return;
  reaped = true;
  for (const pid of pids) { try { process.kill(Number(pid), 'SIGKILL'); } catch {} }
  for (const dir of dirs) { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
`;

let watchdog: ChildProcess | undefined;
let broken = false;

function send(line: string): void {
  if (broken) return;
  if (watchdog === undefined) {
    try {
      watchdog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT], {
        // Own process group: a Ctrl-C aimed at the test run must not kill the watchdog first.
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
    } catch {
      broken = true;
      return;
    }
    watchdog.on('error', () => {
      broken = true;
    });
    watchdog.stdin?.on('error', () => {
      broken = true;
    });
    // The watchdog must never keep the test process alive.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  watchdog.stdin?.write(`${line}\n`);
}

/** Has the watchdog SIGKILL `pid` if this process dies first; returns the "it exited" notifier. */
export function watchPid(pid: number): () => void {
  send(`+p ${pid}`);
  return () => send(`-p ${pid}`);
}

/** Has the watchdog remove `path` if this process dies first; returns the "it is gone" notifier. */
export function watchDir(path: string): () => void {
  if (/[\r\n]/.test(path)) return () => undefined;
  send(`+d ${path}`);
  return () => send(`-d ${path}`);
}

/** Pid of the watchdog, if one was started (for the harness's own tests). */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}
