// Declarative workloads, shaped like the OpenMessaging Benchmark's YAML files (topics, partitions
// per topic, message size, producers/consumers per topic, rate) plus the producer settings that
// decide Kafka throughput (acks, linger.ms, batch.size), so a result file says exactly what ran.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type WorkloadMode = 'max-rate' | 'fixed-rate' | 'catch-up';

/** Where a catch-up read is served from: the brokers' local log (hot) or tiered storage (cold). */
export type CatchUpTier = 'hot' | 'cold';

/** 1 GiB, the catch-up read size. */
export const DEFAULT_CATCH_UP_BYTES = 2 ** 30;

export interface Workload {
  readonly name: string;
  readonly description: string;
  readonly topics: number;
  readonly partitionsPerTopic: number;
  readonly messageSize: number;
  readonly producersPerTopic: number;
  readonly consumersPerTopic: number;
  readonly acks: 'all' | '1' | '0';
  readonly lingerMs: number;
  readonly batchSize: number;
  readonly mode: WorkloadMode;
  /** Target publish rate for fixed-rate mode, in MB/s (1 MB = 1,000,000 bytes, as ProducerPerformance reports). */
  readonly rateMBps?: number;
  /** Max-rate and fixed-rate: the measured run's length. Catch-up: unused (the size decides). */
  readonly durationSeconds: number;
  /** Catch-up mode: bytes produced before the consumer starts reading from offset 0. */
  readonly catchUpBytes?: number;
  readonly catchUpTier?: CatchUpTier;
  /**
   * Cold catch-up: segment size of the topic (and of Stratus's replication nodes), default 1 MiB.
   * Only sealed segments leave the hot tier, so this bounds what stays hot per partition.
   */
  readonly tierSegmentBytes?: number;
}

/** KIP-1030's floor for segment.bytes, which Kafka 4 and Stratus's topic config both enforce. */
export const MIN_SEGMENT_BYTES = 2 ** 20;

export class WorkloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadError';
  }
}

export const WORKLOADS_DIR = join(__dirname, '..', 'workloads');

function positiveInt(raw: Record<string, unknown>, key: string, options: { min: number; max: number }): number {
  const value = raw[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < options.min || value > options.max) {
    throw new WorkloadError(`workload field "${key}" must be an integer in ${options.min}..${options.max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates a parsed workload file; every problem is a WorkloadError naming the field. */
export function parseWorkload(raw: unknown): Workload {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new WorkloadError('a workload must be a JSON object');
  const r = raw as Record<string, unknown>;
  if (typeof r['name'] !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(r['name'])) throw new WorkloadError('workload field "name" must be a lowercase name ([a-z0-9.-])');
  const mode = r['mode'];
  if (mode !== 'max-rate' && mode !== 'fixed-rate' && mode !== 'catch-up') throw new WorkloadError(`workload field "mode" must be "max-rate", "fixed-rate" or "catch-up", got ${JSON.stringify(mode)}`);
  if (mode !== 'catch-up' && r['catchUpTier'] !== undefined) throw new WorkloadError('workload field "catchUpTier" applies to "mode": "catch-up" only');
  const tier = r['catchUpTier'] ?? (mode === 'catch-up' ? 'hot' : undefined);
  if (tier !== undefined && tier !== 'hot' && tier !== 'cold') throw new WorkloadError(`workload field "catchUpTier" must be "hot" or "cold", got ${JSON.stringify(tier)}`);
  const segmentBytes = r['tierSegmentBytes'];
  if (segmentBytes !== undefined) {
    if (tier !== 'cold') throw new WorkloadError('workload field "tierSegmentBytes" applies to "catchUpTier": "cold" only');
    if (typeof segmentBytes !== 'number' || !Number.isInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > 2 ** 30) {
      throw new WorkloadError(`workload field "tierSegmentBytes" must be an integer in ${MIN_SEGMENT_BYTES}..${2 ** 30} (segment.bytes floor, KIP-1030), got ${JSON.stringify(segmentBytes)}`);
    }
  }
  const catchUpBytes = r['catchUpBytes'] ?? (mode === 'catch-up' ? DEFAULT_CATCH_UP_BYTES : undefined);
  if (catchUpBytes !== undefined && (typeof catchUpBytes !== 'number' || !Number.isInteger(catchUpBytes) || catchUpBytes < 1)) throw new WorkloadError('workload field "catchUpBytes" must be a positive integer');
  if (mode === 'catch-up' && r['consumersPerTopic'] !== 1) throw new WorkloadError('a catch-up workload reads with exactly one consumer ("consumersPerTopic": 1)');
  const acks = r['acks'] ?? 'all';
  if (acks !== 'all' && acks !== '1' && acks !== '0') throw new WorkloadError(`workload field "acks" must be "all", "1" or "0"`);
  const rate = r['rateMBps'];
  if (mode === 'fixed-rate' && (typeof rate !== 'number' || !(rate > 0))) throw new WorkloadError('a fixed-rate workload needs a positive "rateMBps"');
  if (rate !== undefined && rate !== null && typeof rate !== 'number') throw new WorkloadError('workload field "rateMBps" must be a number');
  return {
    name: r['name'],
    description: typeof r['description'] === 'string' ? r['description'] : '',
    topics: positiveInt(r, 'topics', { min: 1, max: 1 }),
    partitionsPerTopic: positiveInt(r, 'partitionsPerTopic', { min: 1, max: 10_000 }),
    messageSize: positiveInt(r, 'messageSize', { min: 1, max: 1_000_000 }),
    producersPerTopic: positiveInt(r, 'producersPerTopic', { min: 1, max: 4 }),
    consumersPerTopic: positiveInt(r, 'consumersPerTopic', { min: 0, max: 4 }),
    acks,
    lingerMs: positiveInt(r, 'lingerMs', { min: 0, max: 60_000 }),
    batchSize: positiveInt(r, 'batchSize', { min: 1, max: 64 * 1024 * 1024 }),
    mode,
    ...(typeof rate === 'number' ? { rateMBps: rate } : {}),
    durationSeconds: positiveInt(r, 'durationSeconds', { min: 1, max: 86_400 }),
    ...(catchUpBytes !== undefined ? { catchUpBytes } : {}),
    ...(tier !== undefined ? { catchUpTier: tier } : {}),
    ...(typeof segmentBytes === 'number' ? { tierSegmentBytes: segmentBytes } : {}),
  };
}

/** A name from workloads/ (without .json) or a path to a workload file. */
export function loadWorkload(nameOrFile: string, dir: string = WORKLOADS_DIR): Workload {
  const byName = join(dir, `${nameOrFile}.json`);
  const path = existsSync(byName) ? byName : nameOrFile;
  if (!existsSync(path)) throw new WorkloadError(`no workload "${nameOrFile}": not in ${dir} and not a file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WorkloadError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseWorkload(parsed);
}

/** Records per second ProducerPerformance is asked for; -1 means unthrottled (max-rate, and catch-up's fill). */
export function targetRecordsPerSecond(workload: Workload): number {
  if (workload.mode !== 'fixed-rate' || workload.rateMBps === undefined) return -1;
  return Math.max(1, Math.round((workload.rateMBps * 1_000_000) / workload.messageSize));
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

/** "1073741824", "256MiB", "256M", "1GiB", "1g": binary units, as the "1 GiB". Undefined when malformed. */
export function parseByteSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(value.trim());
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1));
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
