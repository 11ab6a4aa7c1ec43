// ListOffsets, OffsetForLeaderEpoch and DeleteRecords for partitions this broker leads.
import type { PartitionLeader } from '@stratus/broker-partition';
import type { brokerV1, commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { peekBatchHeader, readRecords, splitBatches } from '@stratus/kafka-records';
import { endOffsetFor, epochAt } from './epoch-lookup';
import { NO_ERROR, checkLeaderEpoch, kafkaError, resolvePartition, type PartitionAccess } from './partition-access';
import type { TierReadPath } from './tier-read';

/** Kafka's special ListOffsets timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;
export const MAX_TIMESTAMP = -3n;
export const EARLIEST_LOCAL_TIMESTAMP = -4n;
export const LATEST_TIERED_TIMESTAMP = -5n;

const SCAN_CHUNK_BYTES = 1024 * 1024;

interface Found {
  readonly timestamp: bigint;
  readonly offset: bigint;
  readonly leaderEpoch: number;
}

const NOT_FOUND: Found = { timestamp: -1n, offset: -1n, leaderEpoch: -1 };

/**
 * Scans committed batches [logStart, HW) by their header max timestamps, decoding records only
 * of the one batch that holds the answer. `target` undefined = the max timestamp (KIP-734).
 * Cost is a read of the hot log; a time index on the replicas would make it cheaper (follow-up).
 */
async function scanTimestamps(leader: PartitionLeader, target: bigint | undefined): Promise<Found | { readonly error: number; readonly message: string }> {
  // The hot tier from its first offset; tiered storage answers for older records (tier-offsets.ts).
  let at = leader.snapshot().localLogStart;
  let best: { batch: Buffer; maxTimestamp: bigint } | undefined;
  for (;;) {
    const read = await leader.fetch({ offset: at, maxBytes: SCAN_CHUNK_BYTES });
    if (!read.ok) return { error: read.error.code, message: read.error.message };
    if (read.value.nextOffset <= at || read.value.records.length === 0) break;
    const split = splitBatches(read.value.records);
    if (!split.ok) return { error: ErrorCode.CORRUPT_MESSAGE, message: split.error.message };
    for (const batch of split.value.batches) {
      const header = peekBatchHeader(batch);
      if (!header.ok) return { error: ErrorCode.CORRUPT_MESSAGE, message: header.error.message };
      const max = header.value.maxTimestamp;
      if (target === undefined) {
        if (!best || max > best.maxTimestamp) best = { batch, maxTimestamp: max };
      } else if (max >= target) {
        return firstRecordAtOrAfter(batch, target, header.value.baseOffset, header.value.partitionLeaderEpoch);
      }
    }
    at = read.value.nextOffset;
  }
  if (!best) return NOT_FOUND;
  const header = peekBatchHeader(best.batch);
  if (!header.ok) return NOT_FOUND;
  return firstRecordAtOrAfter(best.batch, best.maxTimestamp, header.value.baseOffset, header.value.partitionLeaderEpoch);
}

function firstRecordAtOrAfter(batch: Buffer, target: bigint, baseOffset: bigint, leaderEpoch: number): Found {
  const records = readRecords(batch);
  if (records.ok) {
    for (const r of records.value) if (r.timestamp >= target) return { timestamp: r.timestamp, offset: r.offset, leaderEpoch };
  }
  // Undecodable (codec missing): the batch start is the best safe answer (never past the record).
  return { timestamp: target, offset: baseOffset, leaderEpoch };
}

export async function handleListOffsets(access: PartitionAccess, request: brokerV1.ListOffsetsRequest): Promise<brokerV1.ListOffsetsResponse> {
  const tenantId = request.header?.tenantId?.value ?? '';
  const partitions = await Promise.all(
    request.partitions.map(async (p): Promise<brokerV1.ListOffsetsPartitionResponse> => {
      const fail = (error: { code: number; message: string }): brokerV1.ListOffsetsPartitionResponse => ({ partition: p.partition, error, timestamp: -1n, offset: -1n, leaderEpoch: -1 });
      const resolved = resolvePartition(access, tenantId, p.partition);
      if (!resolved.ok) return fail(resolved.error);
      const leader = resolved.leader;
      const epochError = checkLeaderEpoch(leader, p.currentLeaderEpoch);
      if (epochError) return fail(epochError);
      const snap = leader.snapshot();
      const history = access.directory.epochHistory(p.partition ?? { topicId: undefined, partition: -1 }) ?? [];
      const ok = (found: Found): brokerV1.ListOffsetsPartitionResponse => ({ partition: p.partition, error: NO_ERROR, ...found });
      switch (p.timestamp) {
        // No transactions yet, so the last stable offset equals the high watermark for both isolation levels.
        case LATEST_TIMESTAMP:
          return ok({ timestamp: -1n, offset: snap.highWatermark, leaderEpoch: leader.epoch });
        // The first offset the hot tier serves (KIP-405 EARLIEST_LOCAL); also EARLIEST until
        // tiered storage corrects it (tier-offsets.ts). The durable start may lie below it, with
        // records that only the tier holds, or that its retention already deleted.
        case EARLIEST_TIMESTAMP:
        case EARLIEST_LOCAL_TIMESTAMP:
          return ok({ timestamp: -1n, offset: snap.localLogStart, leaderEpoch: epochAt(history, snap.localLogStart) });
        case LATEST_TIERED_TIMESTAMP:
          // Nothing is tiered yet (KIP-1005 answers -1 when no segment was uploaded).
          return ok(NOT_FOUND);
        default: {
          if (p.timestamp < 0n && p.timestamp !== MAX_TIMESTAMP) return fail(kafkaError(ErrorCode.INVALID_REQUEST, `unknown special timestamp ${p.timestamp}`));
          const found = await scanTimestamps(leader, p.timestamp === MAX_TIMESTAMP ? undefined : p.timestamp);
          return 'error' in found ? fail(kafkaError(found.error, found.message)) : ok(found);
        }
      }
    }),
  );
  return { partitions };
}

export function handleOffsetForLeaderEpoch(access: PartitionAccess, request: brokerV1.OffsetForLeaderEpochRequest): brokerV1.OffsetForLeaderEpochResponse {
  const tenantId = request.header?.tenantId?.value ?? '';
  return {
    partitions: request.partitions.map((p) => {
      const fail = (error: { code: number; message: string }): brokerV1.OffsetForLeaderEpochPartitionResponse => ({ partition: p.partition, error, leaderEpoch: -1, endOffset: -1n });
      const resolved = resolvePartition(access, tenantId, p.partition);
      if (!resolved.ok) return fail(resolved.error);
      const epochError = checkLeaderEpoch(resolved.leader, p.currentLeaderEpoch);
      if (epochError) return fail(epochError);
      const history = access.directory.epochHistory(p.partition ?? { topicId: undefined, partition: -1 });
      if (!history) return fail(kafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'leader epoch history not available'));
      const end = endOffsetFor(history, p.leaderEpoch, resolved.leader.snapshot().logEnd);
      return { partition: p.partition, error: NO_ERROR, leaderEpoch: end.epoch, endOffset: end.endOffset };
    }),
  };
}

/**
 * DeleteRecords (KIP-107): the leader moves the log start on a write quorum of its replicas under
 * its epoch (PartitionLeader.deleteRecords) and answers the new low watermark. -1 means the high
 * watermark, an offset above it is OFFSET_OUT_OF_RANGE. A request not done within
 * header.timeout_ms answers REQUEST_TIMED_OUT (the move may still complete; a retry is harmless,
 * the operation is idempotent).
 */
export async function handleDeleteRecords(access: PartitionAccess, request: brokerV1.DeleteRecordsRequest, tier?: TierReadPath): Promise<brokerV1.DeleteRecordsResponse> {
  const tenantId = request.header?.tenantId?.value ?? '';
  const timeoutMs = request.header?.timeoutMs ?? 0;
  const partitions = await Promise.all(
    request.partitions.map(async (p): Promise<brokerV1.DeleteRecordsPartitionResponse> => {
      const resolved = resolvePartition(access, tenantId, p.partition);
      if (!resolved.ok) return { partition: p.partition, error: resolved.error, lowWatermark: -1n };
      const outcome = await withDeadline(resolved.leader.deleteRecords(p.offset), timeoutMs);
      if (outcome === 'timeout') return { partition: p.partition, error: kafkaError(ErrorCode.REQUEST_TIMED_OUT, `log start not moved within ${timeoutMs} ms`), lowWatermark: -1n };
      if (!outcome.ok) return { partition: p.partition, error: kafkaError(outcome.error.code, outcome.error.message), lowWatermark: -1n };
      const lowWatermark = tier && p.partition ? await deleteAcrossTiers(tier, p.partition, resolved.leader, outcome.value.lowWatermark) : outcome.value.lowWatermark;
      return { partition: p.partition, error: NO_ERROR, lowWatermark };
    }),
  );
  return { partitions };
}

/**
 * The replicas' durable log start has moved (or already was past the offset): the same deletion
 * now applies to tiered storage (the leader refuses reads below it in both tiers, tier-trim.ts
 * deletes the objects wholly below it in the background). The low watermark answered covers both
 * tiers: the tier's start when its retention already deleted more (tier-read.ts).
 */
async function deleteAcrossTiers(tier: TierReadPath, partition: commonV1.PartitionRef, leader: PartitionLeader, durableStart: bigint): Promise<bigint> {
  tier.recordsDeleted(partition, durableStart);
  const snap = leader.snapshot();
  if (durableStart < snap.localLogStart) await tier.tieredStartOf(partition).catch(() => undefined);
  return tier.logStartFor(partition, snap);
}

function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T | 'timeout'> {
  if (timeoutMs <= 0) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
