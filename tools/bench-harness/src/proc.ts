// Per-process CPU and memory from /proc, and disk usage of data directories: the same figures for
// every server process of every target, read the same way.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every mainstream Linux). */
const USER_HZ = 100;

export interface ProcSample {
  readonly pid: number;
  /** utime + stime in seconds. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { pid, cpuSeconds: (utime + stime) / USER_HZ, rssBytes: rssPages * 4096 };
  } catch {
    return undefined;
  }
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Pids whose command line mentions `needle` (e.g. a cluster's private data directory). */
export function pidsMentioning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid && cmdline(pid).includes(needle));
}

/**
 * Bytes allocated on disk under the given directories (du -s -B1); missing directories count 0.
 * Allocated blocks, not apparent size: Kafka preallocates sparse 10 MiB index files per segment,
 * which an apparent-size sum (du -sb) counted as written and made small runs look 100× amplified.
 */
export function diskUsageBytes(dirs: readonly string[]): number {
  let total = 0;
  for (const dir of dirs) {
    try {
      total += Number(execFileSync('du', ['-s', '-B1', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\t')[0]);
    } catch {
      // du exits non-zero when files vanish under it (segment rolls); the partial sum is still printed.
    }
  }
  return total;
}

export interface ProcessUsage {
  readonly pid: number;
  readonly name: string;
  readonly cpuSeconds: number;
  /** CPU seconds per wall second over the window (1.0 = one core busy). */
  readonly cpuCores: number;
  readonly maxRssBytes: number;
}

/** Samples a fixed set of processes periodically; `finish` returns each one's usage over the window. */
export class ProcessMonitor {
  private readonly first = new Map<number, ProcSample>();
  private readonly last = new Map<number, ProcSample>();
  private readonly maxRss = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = Date.now();

  constructor(private readonly processes: ReadonlyMap<number, string>) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
  }

  private sample(): void {
    for (const pid of this.processes.keys()) {
      const s = sampleProcess(pid);
      if (!s) continue;
      if (!this.first.has(pid)) this.first.set(pid, s);
      this.last.set(pid, s);
      this.maxRss.set(pid, Math.max(this.maxRss.get(pid) ?? 0, s.rssBytes));
    }
  }

  finish(): ProcessUsage[] {
    clearInterval(this.timer);
    this.sample();
    const wall = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    return [...this.processes].map(([pid, name]) => {
      const cpu = (this.last.get(pid)?.cpuSeconds ?? 0) - (this.first.get(pid)?.cpuSeconds ?? 0);
      return { pid, name, cpuSeconds: cpu, cpuCores: cpu / wall, maxRssBytes: this.maxRss.get(pid) ?? 0 };
    });
  }
}
