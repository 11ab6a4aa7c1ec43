// Topic-level configs Stratus supports, with Kafka's types, defaults and validators
// (Kafka's LogConfig / TopicConfig). Values travel and are stored as strings, exactly as
// DescribeConfigs / AlterConfigs carry them on the wire.

export type ConfigType = 'int' | 'long' | 'enum' | 'list';

export interface ConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  readonly defaultValue: string;
  /** Inclusive bounds for int/long. */
  readonly min?: bigint;
  readonly max?: bigint;
  /** Allowed values for enum, or allowed items for list. */
  readonly allowed?: readonly string[];
  readonly doc: string;
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const WEEK_MS = '604800000';

const defs: ConfigDef[] = [
  {
    name: 'cleanup.policy',
    type: 'list',
    defaultValue: 'delete',
    allowed: ['delete', 'compact'],
    doc: 'Retention policy: delete old segments, compact by key, or both.',
  },
  { name: 'retention.ms', type: 'long', defaultValue: WEEK_MS, min: -1n, doc: 'Time to keep data; -1 means forever.' },
  { name: 'retention.bytes', type: 'long', defaultValue: '-1', min: -1n, doc: 'Bytes to keep per partition; -1 means no limit.' },
  {
    // KIP-405: -2 means "same as retention.ms".
    name: 'local.retention.ms',
    type: 'long',
    defaultValue: '-2',
    min: -2n,
    doc: 'Time to keep data in the hot tier before only the tiered copy remains; -2 follows retention.ms.',
  },
  {
    name: 'local.retention.bytes',
    type: 'long',
    defaultValue: '-2',
    min: -2n,
    doc: 'Bytes to keep in the hot tier per partition; -2 follows retention.bytes.',
  },
  {
    // KIP-1030 raised the floor to 1 MiB: tiny segments explode file counts.
    name: 'segment.bytes',
    type: 'int',
    defaultValue: '1073741824',
    min: 1048576n,
    doc: 'Segment size at which the log rolls.',
  },
  { name: 'segment.ms', type: 'long', defaultValue: WEEK_MS, min: 1n, doc: 'Time after which the log rolls.' },
  {
    name: 'max.message.bytes',
    type: 'int',
    defaultValue: '1048588',
    min: 0n,
    doc: 'Largest record batch size accepted (after compression).',
  },
  {
    name: 'message.timestamp.type',
    type: 'enum',
    defaultValue: 'CreateTime',
    allowed: ['CreateTime', 'LogAppendTime'],
    doc: 'Whether record timestamps are the producer\'s or the broker\'s append time.',
  },
  {
    // Every Stratus partition has 3 replicas (3 AZs), so at most 3 can be in sync; 2 of 3 is the
    // write quorum by default (ARCHITECTURE.md, write path).
    name: 'min.insync.replicas',
    type: 'int',
    defaultValue: '2',
    min: 1n,
    max: 3n,
    doc: 'Replicas that must acknowledge an acks=all write.',
  },
  {
    name: 'compression.type',
    type: 'enum',
    defaultValue: 'producer',
    allowed: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
    doc: 'Final compression of stored batches; producer keeps what the producer sent.',
  },
];

export const TOPIC_CONFIG_DEFS: ReadonlyMap<string, ConfigDef> = new Map(defs.map((d) => [d.name, d]));

export function typeBounds(def: ConfigDef): { min: bigint; max: bigint } {
  const [lo, hi] = def.type === 'int' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
  return { min: def.min ?? lo, max: def.max ?? hi };
}
