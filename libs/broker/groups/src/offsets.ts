// Committed offsets: OffsetCommit / OffsetFetch / OffsetDelete, pending transactional offsets and
// retention (KIP-211: offsets of an empty group expire offsets.retention.minutes after it emptied).
import { ErrorCode } from '@stratus/kafka-errors';
import type { OffsetValue } from './records/records';
import type { Ctx, Group } from './state';
import type { GroupKey } from './types';

export type PartitionOffsets = Map<number, OffsetValue>;
export type GroupOffsets = Map<string, PartitionOffsets>;

/** Committed and pending (transactional) offsets of every group, keyed by group then topic. */
export class OffsetStore {
  readonly committed = new Map<GroupKey, GroupOffsets>();
  /** producer id → topic → partition → offset, until the transaction commits or aborts. */
  readonly pending = new Map<GroupKey, Map<bigint, GroupOffsets>>();

  get(group: GroupKey, topic: string, partition: number): OffsetValue | undefined {
    return this.committed.get(group)?.get(topic)?.get(partition);
  }

  put(group: GroupKey, topic: string, partition: number, v: OffsetValue | null): void {
    setNested(this.committed, group, topic, partition, v);
  }

  putPending(group: GroupKey, producerId: bigint, topic: string, partition: number, v: OffsetValue | null): void {
    let byProducer = this.pending.get(group);
    if (!byProducer) {
      if (v === null) return;
      this.pending.set(group, (byProducer = new Map()));
    }
    setNested(byProducer, producerId, topic, partition, v);
    if (byProducer.size === 0) this.pending.delete(group);
  }

  hasPending(group: GroupKey, topic: string, partition: number): boolean {
    for (const offsets of this.pending.get(group)?.values() ?? []) if (offsets.get(topic)?.has(partition)) return true;
    return false;
  }

  hasAny(group: GroupKey): boolean {
    return (this.committed.get(group)?.size ?? 0) > 0 || (this.pending.get(group)?.size ?? 0) > 0;
  }
}

function setNested<K>(m: Map<K, GroupOffsets>, group: K, topic: string, partition: number, v: OffsetValue | null): void {
  let byTopic = m.get(group);
  if (!byTopic) {
    if (v === null) return;
    m.set(group, (byTopic = new Map()));
  }
  let byPartition = byTopic.get(topic);
  if (!byPartition) {
    if (v === null) return;
    byTopic.set(topic, (byPartition = new Map()));
  }
  if (v === null) {
    byPartition.delete(partition);
    if (byPartition.size === 0) byTopic.delete(topic);
    if (byTopic.size === 0) m.delete(group);
  } else byPartition.set(partition, v);
}

export interface OffsetCommitPartition {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  readonly committedLeaderEpoch: number;
  readonly committedMetadata: string | null;
}

export interface OffsetCommitTopic {
  readonly name: string;
  readonly partitions: readonly OffsetCommitPartition[];
}

export interface OffsetCommitResponse {
  readonly topics: readonly { name: string; partitions: readonly { partitionIndex: number; errorCode: ErrorCode }[] }[];
}

/** Writes the offsets of an already validated commit; oversized metadata fails per partition. */
export function writeOffsets(
  ctx: Ctx,
  store: OffsetStore,
  group: GroupKey,
  topics: readonly OffsetCommitTopic[],
  opts: { retentionTimeMs: number; producerId?: bigint },
): OffsetCommitResponse {
  return {
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const metadata = p.committedMetadata ?? '';
        // Kafka measures offset.metadata.max.bytes in UTF-16 code units (Java String length).
        if (metadata.length > ctx.config.offsetMetadataMaxBytes) {
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE };
        }
        const value: OffsetValue = {
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata,
          commitTimestamp: ctx.now,
          expireTimestamp: opts.retentionTimeMs >= 0 ? ctx.now + opts.retentionTimeMs : -1,
        };
        if (opts.producerId === undefined) {
          store.put(group, t.name, p.partitionIndex, value);
          ctx.records.push({ type: 'offset', group, topic: t.name, partition: p.partitionIndex, value });
        } else {
          store.putPending(group, opts.producerId, t.name, p.partitionIndex, value);
          ctx.records.push({ type: 'txn-offset', group, producerId: opts.producerId, topic: t.name, partition: p.partitionIndex, value });
        }
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
      }),
    })),
  };
}

/** A transaction ended: its offsets become committed (commit) or vanish (abort). */
export function completeTransaction(ctx: Ctx, store: OffsetStore, group: GroupKey, producerId: bigint, commit: boolean): void {
  const offsets = store.pending.get(group)?.get(producerId);
  if (!offsets) return;
  for (const [topic, parts] of [...offsets]) {
    for (const [partition, value] of [...parts]) {
      if (commit) {
        store.put(group, topic, partition, value);
        ctx.records.push({ type: 'offset', group, topic, partition, value });
      }
      store.putPending(group, producerId, topic, partition, null);
      ctx.records.push({ type: 'txn-offset', group, producerId, topic, partition, value: null });
    }
  }
}

export interface OffsetFetchPartitionResult {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  readonly committedLeaderEpoch: number;
  readonly metadata: string | null;
  readonly errorCode: ErrorCode;
}

export interface OffsetFetchGroupResult {
  readonly errorCode: ErrorCode;
  readonly topics: readonly { name: string; partitions: readonly OffsetFetchPartitionResult[] }[];
}

/**
 * Offsets of one group. `topics` null means all committed offsets. With requireStable, a
 * partition with a pending transactional offset answers UNSTABLE_OFFSET_COMMIT (KIP-447) so the
 * consumer retries rather than read past what the transaction will commit.
 */
export function fetchOffsets(
  store: OffsetStore,
  group: GroupKey,
  topics: readonly { name: string; partitionIndexes: readonly number[] }[] | null,
  opts: { requireStable: boolean },
): OffsetFetchGroupResult {
  const one = (topic: string, partition: number): OffsetFetchPartitionResult => {
    if (opts.requireStable && store.hasPending(group, topic, partition)) {
      return { partitionIndex: partition, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT };
    }
    const v = store.get(group, topic, partition);
    return v
      ? { partitionIndex: partition, committedOffset: v.offset, committedLeaderEpoch: v.leaderEpoch, metadata: v.metadata, errorCode: ErrorCode.NONE }
      : { partitionIndex: partition, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE };
  };
  if (topics === null) {
    const all = store.committed.get(group) ?? new Map<string, PartitionOffsets>();
    return {
      errorCode: ErrorCode.NONE,
      topics: [...all.keys()].sort().map((name) => ({
        name,
        partitions: [...(all.get(name)?.keys() ?? [])].sort((a, b) => a - b).map((p) => one(name, p)),
      })),
    };
  }
  return { errorCode: ErrorCode.NONE, topics: topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => one(t.name, p)) })) };
}

/**
 * Offsets eligible for expiry now (KIP-211), by Kafka's rules:
 * - simple groups (no protocol type; admin or manual-assignment commits): from the commit time;
 * - classic groups while Empty: from when the group became empty;
 * - Stable classic "consumer" groups whose subscriptions are known, and KIP-848 groups: offsets of
 *   topics nobody subscribes to, from the commit time;
 * - nothing else expires. An explicit expire timestamp (OffsetCommit v2–v4) replaces the base rule.
 */
export function expiredOffsets(
  ctx: Ctx,
  store: OffsetStore,
  group: GroupKey,
  g: Group | undefined,
  subscribed: ReadonlySet<string> | undefined,
): { topic: string; partition: number }[] {
  const out: { topic: string; partition: number }[] = [];
  const offsets = store.committed.get(group);
  if (!offsets) return out;
  let base: (v: OffsetValue) => number;
  let skipTopic: (topic: string) => boolean = () => false;
  if (!g || (g.kind === 'classic' && g.protocolType === null)) {
    base = (v) => v.commitTimestamp;
  } else if (g.kind === 'classic' && g.state === 'Empty') {
    const since = g.emptySince;
    base = (v) => since ?? v.commitTimestamp;
  } else if (g.kind === 'classic') {
    if (g.state !== 'Stable' || g.protocolType !== 'consumer' || subscribed === undefined) return out;
    base = (v) => v.commitTimestamp;
    skipTopic = (t) => subscribed.has(t);
  } else {
    base = (v) => v.commitTimestamp;
    skipTopic = (t) => g.members.size > 0 && (subscribed?.has(t) ?? false);
  }
  const retention = ctx.config.offsetsRetentionMs;
  for (const [topic, parts] of offsets) {
    if (skipTopic(topic)) continue;
    for (const [partition, v] of parts) {
      if (store.hasPending(group, topic, partition)) continue;
      const expired = v.expireTimestamp >= 0 ? ctx.now >= v.expireTimestamp : ctx.now - base(v) >= retention;
      if (expired) out.push({ topic, partition });
    }
  }
  return out;
}
