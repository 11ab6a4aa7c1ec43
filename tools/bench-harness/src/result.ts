// The machine-readable result of one harness run (written as JSON, rendered as Markdown and SVG).
import type { ConsumeFigures } from './consumer';
import type { EndToEndSummary } from './perf-output';
import type { MachineInfo, MachineLimits } from './machine';
import type { ProcessUsage } from './proc';
import type { PartitionTierOffsets } from './cold-tier';
import type { Workload } from './workload';

export interface ColdTierAtRead {
  readonly segmentBytes: number;
  /** Records in the topic over both tiers. */
  readonly records: number;
  /** Records below the hot tier's start: the read of these is served by the cold tier. */
  readonly coldRecords: number;
  readonly coldFraction: number;
  /** From the end of the fill until local retention had dropped every sealed segment. */
  readonly waitSeconds: number;
  readonly partitions: readonly PartitionTierOffsets[];
}

export interface TargetRun {
  readonly target: string;
  readonly description: string;
  readonly round: number;
  readonly ok: boolean;
  readonly error?: string;
  /** Max-rate mode: the unthrottled rate the pilot measured, which sized the measured run. */
  readonly pilotRecordsPerSec?: number;
  readonly records?: number;
  readonly recordsPerSec?: number;
  readonly mbPerSec?: number;
  readonly latencyMs?: { readonly avg: number; readonly p50: number; readonly p95: number; readonly p99: number; readonly p999: number; readonly max: number };
  readonly endToEndMs?: EndToEndSummary | { readonly error: string };
  /** Throughput as a fraction of the machine's measured limits. */
  readonly fractionOfTcpLoopback?: number;
  readonly fractionOfDiskWrite?: number;
  readonly client: readonly ProcessUsage[];
  readonly servers: readonly ProcessUsage[];
  readonly serverCpuCores?: number;
  readonly serverRssBytes?: number;
  readonly diskBytesWritten?: number;
  /** Disk bytes per byte published: replication factor and log overhead made visible. */
  readonly writeAmplification?: number;
  readonly measuredSeconds?: number;
  /**
   * ConsumerPerformance in a group. Max-rate/fixed-rate: reading while the producers run (started
   * together, from the earliest offset). Catch-up: reading everything from offset 0 after the fill.
   */
  readonly consume?: ConsumeFigures;
  /** Why consume figures are missing or partial (a consumer failure is recorded, not fatal). */
  readonly consumeError?: string;
  /** Catch-up: server CPU and the consumer's wall time during the read phase only. */
  readonly catchUp?: {
    readonly bytes: number;
    readonly tier: string;
    readonly serverCpuCores: number;
    readonly readSeconds: number;
    /** Cold tier: where the data was when the read started, and how long local retention took to get there. */
    readonly cold?: ColdTierAtRead;
  };
}

export interface HarnessResult {
  readonly harness: 'stratus-bench-harness/1';
  readonly startedAt: string;
  readonly command: string;
  /** machine.loadAverage is taken at the end; this one (1/5/15 min) before the first measurement. */
  readonly loadAverageAtStart?: readonly number[];
  readonly machine: MachineInfo;
  readonly limits: MachineLimits;
  readonly versions: Readonly<Record<string, string>>;
  readonly workload: Workload;
  readonly runs: readonly TargetRun[];
}
