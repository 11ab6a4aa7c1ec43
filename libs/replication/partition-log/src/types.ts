// Identifiers and configuration shared by the partition log. Epochs are int32 (Kafka's
// partitionLeaderEpoch field); offsets are int64 and therefore bigint.

declare const epochBrand: unique symbol;
/** A partition leader epoch (assigned by the controller, strictly increasing per partition). */
export type LeaderEpoch = number & { readonly [epochBrand]: 'LeaderEpoch' };

declare const partitionKeyBrand: unique symbol;
/** `<topicId as 32 lowercase hex chars>-<partition index>`: also the partition's directory name. */
export type PartitionKey = string & { readonly [partitionKeyBrand]: 'PartitionKey' };

const INT32_MAX = 2 ** 31 - 1;

export function leaderEpoch(value: number): LeaderEpoch {
  if (!Number.isInteger(value) || value < 0 || value > INT32_MAX) {
    throw new RangeError(`leader epoch must be an int32 >= 0, got ${value}`);
  }
  return value as LeaderEpoch;
}

const TOPIC_ID_HEX = /^[0-9a-f]{32}$/;
const KEY_PATTERN = /^([0-9a-f]{32})-(0|[1-9][0-9]{0,9})$/;

export function partitionKey(topicIdHex: string, index: number): PartitionKey {
  if (!TOPIC_ID_HEX.test(topicIdHex)) throw new RangeError(`topic id must be 32 lowercase hex chars, got "${topicIdHex}"`);
  if (!Number.isInteger(index) || index < 0 || index > INT32_MAX) throw new RangeError(`partition index must be an int32 >= 0, got ${index}`);
  return `${topicIdHex}-${index}` as PartitionKey;
}

/** Parses a directory name back into a key; undefined when the name is not a partition directory. */
export function parsePartitionKey(name: string): { key: PartitionKey; topicIdHex: string; index: number } | undefined {
  const m = KEY_PATTERN.exec(name);
  if (!m) return undefined;
  const index = Number(m[2]);
  if (index > INT32_MAX) return undefined;
  return { key: name as PartitionKey, topicIdHex: m[1] as string, index };
}

/** One entry of the leader epoch history: the first offset written (or marked) under `epoch`. */
export interface EpochEntry {
  readonly epoch: LeaderEpoch;
  readonly startOffset: bigint;
}

/**
 * When appended bytes are fsynced. `none` leaves it to the page cache (Kafka's default: durability
 * comes from replication, and a process crash does not lose the page cache); `interval` flushes
 * dirty partitions every `intervalMs` (Kafka's flush.ms); `every-append` fsyncs before each ack
 * (Kafka's flush.messages=1).
 */
export type FlushPolicy = { readonly kind: 'none' } | { readonly kind: 'interval'; readonly intervalMs: number } | { readonly kind: 'every-append' };

export interface PartitionLogConfig {
  /** Roll the active segment when an append would take it past this many bytes (Kafka segment.bytes). */
  readonly segmentBytes: number;
  /** Roll the active segment when it is older than this (Kafka segment.ms). */
  readonly segmentMs: number;
  /** Bytes between sparse offset/time index entries (Kafka index.interval.bytes). */
  readonly indexIntervalBytes: number;
  readonly flush: FlushPolicy;
}

export const DEFAULT_PARTITION_LOG_CONFIG: PartitionLogConfig = {
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  indexIntervalBytes: 4096,
  flush: { kind: 'none' },
};

/** Index entries store positions as uint32, so a segment must stay below 4 GiB; Kafka caps at 2 GiB. */
export const MAX_SEGMENT_BYTES = 2 ** 31 - 1;

export function validateConfig(config: PartitionLogConfig): PartitionLogConfig {
  if (!Number.isInteger(config.segmentBytes) || config.segmentBytes < 1024 || config.segmentBytes > MAX_SEGMENT_BYTES) {
    throw new RangeError(`segmentBytes must be an integer in [1024, ${MAX_SEGMENT_BYTES}], got ${config.segmentBytes}`);
  }
  if (!Number.isInteger(config.segmentMs) || config.segmentMs < 1) throw new RangeError(`segmentMs must be a positive integer, got ${config.segmentMs}`);
  if (!Number.isInteger(config.indexIntervalBytes) || config.indexIntervalBytes < 1) {
    throw new RangeError(`indexIntervalBytes must be a positive integer, got ${config.indexIntervalBytes}`);
  }
  if (config.flush.kind === 'interval' && (!Number.isInteger(config.flush.intervalMs) || config.flush.intervalMs < 1)) {
    throw new RangeError(`flush intervalMs must be a positive integer, got ${config.flush.intervalMs}`);
  }
  return config;
}

/** Wall clock, injected so segment.ms rolling and retention are testable. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The structured-logging surface the log needs (a pino logger satisfies it). */
export interface LogSink {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export const silentLog: LogSink = { warn: () => undefined, error: () => undefined };
