// Catch-up reads from the cold tier: what each target needs so a topic's data leaves the hot tier
// (small segments, KIP-405 local retention), and how to tell from per-partition offsets how much of
// a read is served below the hot tier's start. Pure functions; the probes live in cold-tier-probe.ts.

/**
 * 1 MiB: the smallest segment.bytes Kafka 4 accepts (KIP-1030 raised the floor; Stratus's topic
 * config has the same floor). Only sealed segments are tiered and dropped locally, and the active
 * one stays hot, so small segments leave all but ~1 MiB per partition in the cold tier.
 */
export const DEFAULT_COLD_SEGMENT_BYTES = 2 ** 20;

/**
 * Kafka publishes no `test` jar of kafka-storage 4.4.0 on Maven Central (nor of kafka-clients
 * 4.4.0); 4.3.1 is the newest that has one. The 4.3.1 plugin cannot run in a 4.4.0 broker: it uses
 * internal classes that 4.4.0 moved (org.apache.kafka.common.utils.LogContext → NoClassDefFoundError
 * when the RemoteLogManager configures it). So a cold catch-up runs the Kafka brokers at this
 * version too — plugin and broker from one release, as the plugin's authors test it.
 */
export const LOCAL_TIERED_STORAGE_VERSION = '4.3.1';
export const LOCAL_TIERED_STORAGE_CLASS = 'org.apache.kafka.server.log.remote.storage.LocalTieredStorage';

/** How often each side looks for work: short, so the wait measures tiering and not a timer. */
const TIER_INTERVAL_MS = 1000;

/** Topic configs asking for small segments and (almost) nothing kept locally once tiered. */
export function coldTopicConfigs(options: { target: 'stratus' | 'kafka'; segmentBytes: number }): Record<string, string> {
  return {
    'segment.bytes': String(options.segmentBytes),
    // KIP-405: local.retention.* bound the hot tier only; -2 would follow retention.* (a week).
    'local.retention.bytes': '0',
    'local.retention.ms': String(TIER_INTERVAL_MS),
    // Kafka tiers a topic only when asked (KIP-405); Stratus tiers every topic and refuses the name.
    ...(options.target === 'kafka' ? { 'remote.storage.enable': 'true' } : {}),
  };
}

/**
 * `npm start` options for a cluster whose data leaves the hot tier quickly. Stratus's replication
 * nodes roll segments by their own setting (STRATUS_SEGMENT_BYTES), not the topic's segment.bytes,
 * so it is set here too. The broker's tail cache is off: it would serve the newest offsets of each
 * partition from the leader's memory however far local retention had gone (tiered-e2e does the same).
 * The object store stays the local cluster's default, a folder under its data dir (same disk as Kafka's).
 */
export function stratusColdTierArgs(options: { segmentBytes: number }): string[] {
  return [
    '--service-env', `replication:STRATUS_SEGMENT_BYTES=${options.segmentBytes}`,
    '--service-env', `tiered-storage:STRATUS_UPLOAD_INTERVAL_MS=${TIER_INTERVAL_MS}`,
    '--service-env', 'broker:STRATUS_TAIL_CACHE_BYTES_PER_PARTITION=0',
  ];
}

/**
 * Broker configs for Kafka tiered storage (KIP-405) with LocalTieredStorage as the
 * RemoteStorageManager and the default TopicBasedRemoteLogMetadataManager.
 */
export function kafkaTieredBrokerConfig(options: { storageDir: string; pluginJars: readonly string[]; nodes: number; internalListener: string }): Record<string, string> {
  if (options.pluginJars.length === 0) throw new Error('Kafka tiered storage needs the LocalTieredStorage jar');
  const rf = String(Math.min(3, options.nodes));
  return {
    'remote.log.storage.system.enable': 'true',
    'remote.log.storage.manager.class.name': LOCAL_TIERED_STORAGE_CLASS,
    // A child-first class loader of its own: the test jar's classes cannot shadow the broker's.
    'remote.log.storage.manager.class.path': options.pluginJars.join(':'),
    // rsm.config. is the default remote.log.storage.manager.impl.prefix; every broker shares the dir,
    // as brokers share a bucket (a follower that becomes leader reads what the old leader uploaded).
    'rsm.config.dir': options.storageDir,
    // The metadata manager's own producer/consumer reach the brokers over this (PLAINTEXT) listener.
    'remote.log.metadata.manager.listener.name': options.internalListener,
    'rlmm.config.remote.log.metadata.topic.replication.factor': rf,
    // Default 50 partitions: pointless for one topic and slow to create on a loaded machine.
    'rlmm.config.remote.log.metadata.topic.num.partitions': '3',
    'remote.log.manager.task.interval.ms': String(TIER_INTERVAL_MS),
    // Local deletion runs with the retention check (default every 5 minutes).
    'log.retention.check.interval.ms': String(TIER_INTERVAL_MS),
  };
}

/** One partition's offsets: [logStart, hotStart) lives only in the cold tier, [hotStart, end) is hot. */
export interface PartitionTierOffsets {
  readonly partition: number;
  /** The log's start over all tiers (ListOffsets EARLIEST). */
  readonly logStart: number;
  /** The lowest offset any replica still holds locally (Kafka: ListOffsets EARLIEST_LOCAL, -4). */
  readonly hotStart: number;
  /** The high watermark. */
  readonly end: number;
}

export interface TierSplit {
  readonly records: number;
  /** Records below the hot start: a read of them is served by the cold tier. */
  readonly coldRecords: number;
  readonly coldFraction: number;
  readonly partitions: readonly PartitionTierOffsets[];
}

export function summarizeSplit(partitions: readonly PartitionTierOffsets[]): TierSplit {
  let records = 0;
  let coldRecords = 0;
  for (const p of partitions) {
    const end = Math.max(p.end, p.logStart);
    const hot = Math.min(Math.max(p.hotStart, p.logStart), end);
    records += end - p.logStart;
    coldRecords += hot - p.logStart;
  }
  return { records, coldRecords, coldFraction: records > 0 ? coldRecords / records : 0, partitions };
}

/**
 * Whether local retention has done what it can: every partition holds at most its active segment
 * plus one sealed segment still on its way (uploaded but not yet dropped) — about two segments of
 * records. A partition that never received data counts as drained.
 */
export function hotTierDrained(split: TierSplit, options: { recordsPerSegment: number }): boolean {
  const limit = 2 * options.recordsPerSegment;
  return split.partitions.every((p) => p.end - Math.max(p.hotStart, p.logStart) <= limit);
}

/** Records one segment holds at most (batch and record headers only lower it). */
export function recordsPerSegment(options: { segmentBytes: number; messageSize: number }): number {
  return Math.max(1, Math.ceil(options.segmentBytes / options.messageSize));
}

export class OffsetOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OffsetOutputError';
  }
}

/**
 * Parses GetOffsetShell's `topic:partition:offset` lines (topic names may contain ':' in no Kafka,
 * but the last two fields are split from the right anyway). Lines for other topics and log noise
 * are skipped; an offset that is not an integer is an error.
 */
export function parseGetOffsetShell(output: string, topic: string): Map<number, number> {
  const offsets = new Map<number, number>();
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    const last = line.lastIndexOf(':');
    const middle = line.lastIndexOf(':', last - 1);
    if (last < 0 || middle < 0 || line.slice(0, middle) !== topic) continue;
    const partition = line.slice(middle + 1, last);
    const offset = line.slice(last + 1);
    if (!/^\d+$/.test(partition)) continue;
    if (!/^-?\d+$/.test(offset)) throw new OffsetOutputError(`GetOffsetShell printed "${line}": the offset is not an integer`);
    offsets.set(Number(partition), Number(offset));
  }
  return offsets;
}

/** Joins the three ListOffsets answers per partition; a partition missing from any is an error. */
export function joinOffsets(options: { partitions: number; earliest: Map<number, number>; earliestLocal: Map<number, number>; latest: Map<number, number> }): PartitionTierOffsets[] {
  return Array.from({ length: options.partitions }, (_, partition) => {
    const logStart = options.earliest.get(partition);
    const hotStart = options.earliestLocal.get(partition);
    const end = options.latest.get(partition);
    if (logStart === undefined || hotStart === undefined || end === undefined) throw new OffsetOutputError(`no offsets for partition ${partition}`);
    return { partition, logStart, hotStart, end };
  });
}
