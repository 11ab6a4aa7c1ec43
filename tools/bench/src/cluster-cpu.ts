// CPU each kind of service of a local cluster spends in a measured window, from /proc (the pids
// in the cluster's services.json). A throughput ratio on a shared 2-core machine moves ±10 % from
// run to run with the machine's noise; the CPU a service spends per MB moved is steadier and says
// what the router costs even when it is not the bottleneck (issue 8: router overhead).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleProcess } from '@stratus/bench-harness';

export interface ServiceEntry {
  readonly app: string;
  readonly pid: number;
  /** The service's admin URL (/metrics is served there); the local cluster writes it for every service. */
  readonly admin?: string;
}

/** CPU seconds per app (router, broker, replication, metadata, tiered-storage) so far. */
export type CpuByApp = ReadonlyMap<string, number>;

export function clusterServices(dataDir: string): readonly ServiceEntry[] {
  return (JSON.parse(readFileSync(join(dataDir, 'services.json'), 'utf8')) as { services: ServiceEntry[] }).services;
}

export function cpuByApp(services: readonly ServiceEntry[]): CpuByApp {
  const out = new Map<string, number>();
  for (const s of services) {
    const sample = sampleProcess(s.pid);
    if (sample) out.set(s.app, (out.get(s.app) ?? 0) + sample.cpuSeconds);
  }
  return out;
}

/** The name this process's own CPU is kept under by withLoadGenerator. */
export const LOAD_GENERATOR = 'load-generator';

/**
 * A reading with this process's CPU seconds added as LOAD_GENERATOR: the bench is the load
 * generator, and with --separate-cpus it shares CPU 0 with the routers, so what it spends per MB
 * on each path says whether that CPU, not the router, was the limit.
 */
export function withLoadGenerator(byApp: CpuByApp): CpuByApp {
  const usage = process.cpuUsage();
  return new Map([...byApp, [LOAD_GENERATOR, (usage.user + usage.system) / 1e6]]);
}

/** Per-app CPU seconds spent between two readings. */
export function cpuSpent(before: CpuByApp, after: CpuByApp): Map<string, number> {
  const out = new Map<string, number>();
  for (const [app, seconds] of after) out.set(app, seconds - (before.get(app) ?? 0));
  return out;
}

/** Accumulates CPU seconds and MB over the measured windows of one path. */
export class PathCost {
  private readonly cpu = new Map<string, number>();
  private megabytes = 0;

  add(spent: ReadonlyMap<string, number>, megabytes: number): void {
    for (const [app, seconds] of spent) this.cpu.set(app, (this.cpu.get(app) ?? 0) + seconds);
    this.megabytes += megabytes;
  }

  /** CPU seconds per MB moved, of the given apps together. */
  perMB(apps: readonly string[]): number {
    if (this.megabytes <= 0) return Number.NaN;
    let seconds = 0;
    for (const app of apps) seconds += this.cpu.get(app) ?? 0;
    return seconds / this.megabytes;
  }
}

/**
 * The data-path services every path goes through (the routers are counted apart). Metadata is
 * left out: its CPU is the control plane's (watches, heartbeats), the same per second whichever
 * path runs, so per MB it would only follow the rate.
 */
export const SERVER_APPS = ['broker', 'replication', 'tiered-storage'] as const;
