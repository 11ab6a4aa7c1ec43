// A child process under test: output captured (memory + log file), exit observed once, and every
// way a test may want to end or disturb it (graceful stop with a deadline, SIGKILL, SIGSTOP/SIGCONT).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { registerResource } from './registry';
import { watchPid } from './watchdog';

export interface ExitInfo {
  /** Exit code, or null when the process died from a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface StopResult extends ExitInfo {
  /** Time from sending the signal until the process had exited. */
  readonly durationMs: number;
  /** True when the process ignored the signal past the deadline and was SIGKILLed. */
  readonly escalatedToSigkill: boolean;
}

export interface StopOptions {
  readonly signal?: NodeJS.Signals;
  /** Grace before escalating to SIGKILL. */
  readonly timeoutMs?: number;
}

export interface SpawnManagedOptions {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Output is appended here as well as kept in memory. */
  readonly logFile?: string;
}

type Stream = 'stdout' | 'stderr';
type LineListener = (line: string, stream: Stream) => void;

/** Keeps the most recent output; a chatty process must not exhaust the test runner's memory. */
const MAX_BUFFERED_CHARS = 4 * 1024 * 1024;

export class ManagedProcess {
  readonly label: string;
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  readonly logFile: string | undefined;
  private readonly child: ChildProcess;
  private readonly log: WriteStream | undefined;
  private readonly buffers: Record<Stream, string> = { stdout: '', stderr: '' };
  private readonly partial: Record<Stream, string> = { stdout: '', stderr: '' };
  private readonly listeners = new Set<LineListener>();
  private exitInfo: ExitInfo | undefined;
  private readonly unregister: () => void;

  private constructor(options: SpawnManagedOptions, child: ChildProcess, pid: number) {
    this.label = options.label;
    this.child = child;
    this.pid = pid;
    this.logFile = options.logFile;
    this.log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
    const unwatch = watchPid(pid);
    this.exited = new Promise<ExitInfo>((resolve) => {
      // 'close' (not 'exit') so that all output has been read when we resolve.
      child.once('close', (code, signal) => {
        this.flushPartial('stdout');
        this.flushPartial('stderr');
        this.exitInfo = { code, signal };
        unwatch();
        this.log?.end();
        this.unregister();
        resolve(this.exitInfo);
      });
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk: string) => this.onData(stream, chunk));
    }
    this.unregister = registerResource({
      label: `${this.label} (pid ${pid})`,
      cleanup: async () => {
        await this.stop({ signal: 'SIGTERM', timeoutMs: 5_000 });
      },
      killNow: () => {
        if (this.running) this.child.kill('SIGKILL');
      },
    });
  }

  /** Spawns the process; rejects if it cannot be started at all (e.g. ENOENT). */
  static spawn(options: SpawnManagedOptions): Promise<ManagedProcess> {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`cannot start ${options.label} (${options.command}): ${err.message}`)));
      child.once('spawn', () => {
        if (child.pid === undefined) {
          reject(new Error(`cannot start ${options.label}: no pid`));
          return;
        }
        resolve(new ManagedProcess(options, child, child.pid));
      });
    });
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Exit status once exited, else undefined. */
  get exitStatus(): ExitInfo | undefined {
    return this.exitInfo;
  }

  stdout(): string {
    return this.buffers.stdout;
  }

  stderr(): string {
    return this.buffers.stderr;
  }

  /** The last `lines` lines of both streams, for error messages. */
  tail(lines = 40): string {
    const pick = (text: string): string => text.split('\n').slice(-lines).join('\n');
    return `--- ${this.label} stdout (tail) ---\n${pick(this.buffers.stdout)}\n--- ${this.label} stderr (tail) ---\n${pick(this.buffers.stderr)}`;
  }

  /** Every complete output line from now on; returns an unsubscribe function. */
  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the first line (already printed or future) for which `match` returns a value;
   * rejects if the process exits first or the deadline passes, quoting its output.
   */
  waitForLine<T>(match: (line: string, stream: Stream) => T | undefined, options: { timeoutMs: number; description: string }): Promise<T> {
    for (const stream of ['stdout', 'stderr'] as const) {
      for (const line of this.buffers[stream].split('\n')) {
        const value = match(line, stream);
        if (value !== undefined) return Promise.resolve(value);
      }
    }
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        unsubscribe();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.description}\n${this.tail()}`));
      }, options.timeoutMs);
      const unsubscribe = this.onLine((line, stream) => {
        const value = match(line, stream);
        if (value !== undefined) {
          done();
          resolve(value);
        }
      });
      void this.exited.then((info) => {
        done();
        reject(new Error(`${this.label} exited (code ${info.code}, signal ${info.signal}) before ${options.description}\n${this.tail()}`));
      });
    });
  }

  /** Sends a signal (no-op once exited). */
  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGKILL and wait for the exit: a crash, as far as the process is concerned. */
  async kill9(): Promise<ExitInfo> {
    this.kill('SIGKILL');
    return this.exited;
  }

  /** SIGSTOP: the process stays alive but does nothing (a hung node, a GC pause, a stalled disk). */
  pause(): void {
    this.kill('SIGSTOP');
  }

  resume(): void {
    this.kill('SIGCONT');
  }

  /**
   * Sends `signal` (SIGTERM by default) and waits for the exit; if the process is still alive after
   * `timeoutMs`, SIGKILLs it and says so in the result rather than hanging the test.
   */
  async stop(options: StopOptions = {}): Promise<StopResult> {
    const signal = options.signal ?? 'SIGTERM';
    const timeoutMs = options.timeoutMs ?? 10_000;
    const started = Date.now();
    if (!this.running) {
      const info = this.exitInfo as ExitInfo;
      return { ...info, durationMs: 0, escalatedToSigkill: false };
    }
    // A paused process cannot handle SIGTERM until it runs again.
    this.child.kill('SIGCONT');
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.exited, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      const info = await this.exited;
      return { ...info, durationMs: Date.now() - started, escalatedToSigkill: true };
    }
    return { ...outcome, durationMs: Date.now() - started, escalatedToSigkill: false };
  }

  private onData(stream: Stream, chunk: string): void {
    this.log?.write(stream === 'stderr' ? prefixLines(chunk, '[stderr] ') : chunk);
    this.buffers[stream] += chunk;
    if (this.buffers[stream].length > MAX_BUFFERED_CHARS) {
      this.buffers[stream] = this.buffers[stream].slice(-MAX_BUFFERED_CHARS / 2);
    }
    const text = this.partial[stream] + chunk;
    const lines = text.split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.emit(line, stream);
  }

  private flushPartial(stream: Stream): void {
    if (this.partial[stream] !== '') {
      const line = this.partial[stream];
      this.partial[stream] = '';
      this.emit(line, stream);
    }
  }

  private emit(line: string, stream: Stream): void {
    for (const listener of [...this.listeners]) listener(line, stream);
  }
}

function prefixLines(chunk: string, prefix: string): string {
  return chunk.replace(/^(?=.)/gm, prefix);
}
