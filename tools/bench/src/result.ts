import { arch, cpus, loadavg, platform, totalmem } from 'node:os';

/** The machine a benchmark ran on, so results from different hosts are never compared blindly. */
export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryBytes: number;
  /** 1-minute load average at the end of the run: a loaded host explains a slow result. */
  readonly loadAverage1m: number;
}

/**
 * The one JSON shape every bench prints (one object per line on stdout), so CI and dashboards can
 * collect results without knowing each bench. `metrics` holds numbers only; `unit` names the headline.
 */
export interface BenchResult {
  readonly name: string;
  /** Unit of the headline metric, e.g. 'GB/s'. */
  readonly unit: string;
  readonly metrics: Readonly<Record<string, number>>;
  /** Free-form parameters of the run (sizes, codecs, …). */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** Target from the issue, when there is one, and whether this run met it. */
  readonly target?: { readonly metric: string; readonly atLeast: number; readonly met: boolean };
  readonly machine: MachineInfo;
}

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: platform(),
    arch: arch(),
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpuCount: cpu.length,
    totalMemoryBytes: totalmem(),
    loadAverage1m: loadavg()[0] ?? 0,
  };
}

export function formatResult(result: BenchResult): string {
  return JSON.stringify(result);
}
