import type { ErrorCode } from '@stratus/kafka-errors';

declare const groupKeyBrand: unique symbol;
/** An opaque, already tenant-namespaced group key (see tenant.ts). The core never parses it. */
export type GroupKey = string & { readonly [groupKeyBrand]: 'GroupKey' };
export const groupKey = (s: string): GroupKey => s as GroupKey;

declare const topicIdBrand: unique symbol;
/** A Kafka topic id (UUID text); KIP-848 assignments name topics by id, not by name. */
export type TopicId = string & { readonly [topicIdBrand]: 'TopicId' };
export const topicId = (s: string): TopicId => s as TopicId;

/** Milliseconds since the epoch, as the injected clock reports them. */
export type Millis = number;

/** The tenant's topics as the caller sees them right now (KIP-848 assignors and regex need them). */
export interface TopicInfo {
  readonly id: TopicId;
  readonly name: string;
  readonly partitions: number;
}
export type TopicCatalog = ReadonlyMap<string, TopicInfo>;

export function topicCatalog(topics: readonly TopicInfo[]): TopicCatalog {
  return new Map(topics.map((t) => [t.name, t]));
}

/** Partitions per topic id; the unit every KIP-848 assignment is expressed in. */
export type Assignment = ReadonlyMap<TopicId, readonly number[]>;

/** A value the broker must persist to the offsets topic partition: key plus value (null = tombstone). */
export interface GroupRecord {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

export type Errored = { readonly errorCode: ErrorCode };

/** Coordinator settings; names and defaults follow Kafka's broker configs of the same meaning. */
export interface GroupConfig {
  /** group.min.session.timeout.ms */
  readonly minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  readonly maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms */
  readonly initialRebalanceDelayMs: number;
  /** group.max.size (classic) */
  readonly classicMaxSize: number;
  /** KIP-394: how long a member id handed out with MEMBER_ID_REQUIRED waits for its second join. */
  readonly pendingMemberTimeoutMsCap?: number;
  /** group.consumer.session.timeout.ms */
  readonly consumerSessionTimeoutMs: number;
  /** group.consumer.heartbeat.interval.ms */
  readonly consumerHeartbeatIntervalMs: number;
  /** group.consumer.max.size */
  readonly consumerMaxSize: number;
  /** group.consumer.assignors; the first is the default. */
  readonly consumerAssignors: readonly string[];
  /** offset.metadata.max.bytes */
  readonly offsetMetadataMaxBytes: number;
  /** offsets.retention.minutes, in ms */
  readonly offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  readonly offsetsRetentionCheckIntervalMs: number;
}

export const defaultGroupConfig: GroupConfig = Object.freeze({
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  initialRebalanceDelayMs: 3_000,
  classicMaxSize: Number.MAX_SAFE_INTEGER,
  consumerSessionTimeoutMs: 45_000,
  consumerHeartbeatIntervalMs: 5_000,
  consumerMaxSize: Number.MAX_SAFE_INTEGER,
  consumerAssignors: ['uniform', 'range'],
  offsetMetadataMaxBytes: 4096,
  offsetsRetentionMs: 7 * 24 * 60 * 60 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
});

/** Sorted, de-duplicated copy of a partition list. */
export function sortedPartitions(ps: Iterable<number>): number[] {
  return [...new Set(ps)].sort((a, b) => a - b);
}

/** Canonical form: topics sorted, partitions sorted, empty topics dropped. */
export function normalizeAssignment(a: Assignment): Map<TopicId, number[]> {
  const out = new Map<TopicId, number[]>();
  for (const t of [...a.keys()].sort()) {
    const ps = sortedPartitions(a.get(t) ?? []);
    if (ps.length > 0) out.set(t, ps);
  }
  return out;
}

export function assignmentEquals(a: Assignment, b: Assignment): boolean {
  const x = normalizeAssignment(a);
  const y = normalizeAssignment(b);
  if (x.size !== y.size) return false;
  for (const [t, ps] of x) {
    const qs = y.get(t);
    if (!qs || qs.length !== ps.length || ps.some((p, i) => p !== qs[i])) return false;
  }
  return true;
}

export function assignmentMinus(a: Assignment, b: Assignment): Map<TopicId, number[]> {
  const out = new Map<TopicId, number[]>();
  for (const [t, ps] of a) {
    const drop = new Set(b.get(t) ?? []);
    const keep = ps.filter((p) => !drop.has(p));
    if (keep.length > 0) out.set(t, sortedPartitions(keep));
  }
  return out;
}

export function assignmentIntersect(a: Assignment, b: Assignment): Map<TopicId, number[]> {
  const out = new Map<TopicId, number[]>();
  for (const [t, ps] of a) {
    const other = new Set(b.get(t) ?? []);
    const both = ps.filter((p) => other.has(p));
    if (both.length > 0) out.set(t, sortedPartitions(both));
  }
  return out;
}

export function assignmentUnion(a: Assignment, b: Assignment): Map<TopicId, number[]> {
  const out = new Map<TopicId, number[]>();
  for (const src of [a, b]) {
    for (const [t, ps] of src) out.set(t, sortedPartitions([...(out.get(t) ?? []), ...ps]));
  }
  return normalizeAssignment(out);
}

export function assignmentSize(a: Assignment): number {
  let n = 0;
  for (const ps of a.values()) n += ps.length;
  return n;
}
