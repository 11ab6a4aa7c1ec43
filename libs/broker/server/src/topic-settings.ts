// Topic configs that shape a partition leader, read from the topic's overrides in metadata.
// Values outside what Kafka accepts fall back to the default and are reported, so a bad override
// degrades to documented behaviour instead of a leader that cannot start.
import type { TimestampPolicy } from '@stratus/broker-partition';

/** Kafka's default max.message.bytes (1 MiB + record batch overhead). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
/** Stratus writes to 3 replicas in 3 AZs; 2 keeps W + Q > N (design/replication-protocol.md). */
export const DEFAULT_MIN_INSYNC_REPLICAS = 2;

export interface LeaderSettings {
  readonly maxMessageBytes: number;
  readonly minInsyncReplicas: number;
  readonly timestamps: TimestampPolicy;
  /** Overrides that were present but unusable, for a log line. */
  readonly ignored: readonly string[];
}

function positiveInt(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function nonNegativeMs(raw: string | undefined): bigint | undefined {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return BigInt(raw.trim());
}

export function leaderSettings(configs: Readonly<Record<string, string>> | undefined, replicaCount: number): LeaderSettings {
  const c = configs ?? {};
  const ignored: string[] = [];
  const maxMessageBytes = positiveInt(c['max.message.bytes']);
  if (c['max.message.bytes'] !== undefined && maxMessageBytes === undefined) ignored.push('max.message.bytes');
  let minInsync = positiveInt(c['min.insync.replicas']);
  if (c['min.insync.replicas'] !== undefined && (minInsync === undefined || minInsync > replicaCount)) {
    ignored.push('min.insync.replicas');
    minInsync = undefined;
  }
  const type = c['message.timestamp.type'];
  if (type !== undefined && type !== 'CreateTime' && type !== 'LogAppendTime') ignored.push('message.timestamp.type');
  const beforeMaxMs = nonNegativeMs(c['message.timestamp.before.max.ms']);
  const afterMaxMs = nonNegativeMs(c['message.timestamp.after.max.ms']);
  return {
    maxMessageBytes: maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    minInsyncReplicas: minInsync ?? Math.min(DEFAULT_MIN_INSYNC_REPLICAS, replicaCount),
    timestamps: {
      type: type === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
      ...(beforeMaxMs !== undefined ? { beforeMaxMs } : {}),
      ...(afterMaxMs !== undefined ? { afterMaxMs } : {}),
    },
    ignored,
  };
}
