// ListOffsets across tiers (KIP-405, KIP-1005): the hot tier answers first (handleListOffsets),
// then tiered storage corrects what it knows better — EARLIEST is the tiered log start when older
// data lives only in the object store (never below the leader's durable start, tier-read.ts), LATEST_TIERED (-5) is the last tiered offset, and a search by
// timestamp takes the earlier of the two tiers' answers. While tiered storage is unreachable these
// answer a retriable KAFKA_STORAGE_ERROR rather than a hot-only answer that would skip cold data.
import type { brokerV1, commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { kafkaError } from './partition-access';
import { logStartAcrossTiers, type LeaderStarts, type TierReadPath } from './tier-read';

const EARLIEST = -2n;
const LATEST_TIERED = -5n;

type Answer = brokerV1.ListOffsetsPartitionResponse;

async function tieredRange(tier: TierReadPath, partition: commonV1.PartitionRef): Promise<{ start: bigint; end: bigint } | 'none' | { unavailable: string }> {
  // One batch at most: the answer carries the tiered range either way.
  const r = await tier.port.fetch(partition, { offset: 0n, maxBytes: 1, maxOffset: 0n });
  if (r.kind === 'records' || r.kind === 'out_of_range') {
    tier.noteTieredStart(partition, r.tieredStart);
    return { start: r.tieredStart, end: r.tieredEnd };
  }
  return r.kind === 'none' ? 'none' : { unavailable: r.message };
}

const unavailable = (answer: Answer, message: string): Answer => ({ ...answer, error: kafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `tiered storage unavailable: ${message}`), timestamp: -1n, offset: -1n, leaderEpoch: -1 });

async function correct(tier: TierReadPath, request: brokerV1.ListOffsetsPartition, answer: Answer, leader: LeaderStarts | undefined): Promise<Answer> {
  const partition = request.partition;
  // Tenancy, leadership and epoch refusals stand; only a hot answer (or a hot read failure) is corrected.
  if (!partition || !leader || (answer.error && answer.error.code !== ErrorCode.NONE && answer.error.code !== ErrorCode.KAFKA_STORAGE_ERROR)) return answer;
  if (request.timestamp === EARLIEST || request.timestamp === LATEST_TIERED) {
    const range = await tieredRange(tier, partition);
    if (range === 'none') return answer;
    if ('unavailable' in range) return unavailable(answer, range.unavailable);
    if (request.timestamp === LATEST_TIERED) return { ...answer, error: { code: ErrorCode.NONE, message: '' }, timestamp: -1n, offset: range.end - 1n, leaderEpoch: -1 };
    // The tier may still hold records below the durable start (a trim pending, a straddling object).
    const start = logStartAcrossTiers(leader, range.start);
    return { ...answer, error: { code: ErrorCode.NONE, message: '' }, timestamp: -1n, offset: start, leaderEpoch: start === answer.offset ? answer.leaderEpoch : -1 };
  }
  if (request.timestamp < 0n) return answer;
  const found = await tier.port.offsetForTimestamp(partition, request.timestamp);
  if (found.kind === 'unavailable') return unavailable(answer, found.message);
  // A tiered record below a DeleteRecords log start (its trim pending, or a straddling segment) is
  // deleted: the hot scan, which starts at the leader's log start, answers instead.
  if (found.kind !== 'found' || found.offset < leader.logStart) return answer;
  const hotFound = (!answer.error || answer.error.code === ErrorCode.NONE) && answer.offset >= 0n;
  if (hotFound && answer.offset < found.offset) return answer;
  return { ...answer, error: { code: ErrorCode.NONE, message: '' }, timestamp: found.timestampMs, offset: found.offset, leaderEpoch: found.leaderEpoch };
}

export async function listOffsetsAcrossTiers(
  tier: TierReadPath,
  request: brokerV1.ListOffsetsRequest,
  hot: (request: brokerV1.ListOffsetsRequest) => Promise<brokerV1.ListOffsetsResponse>,
  /** The serving leader's starts (LeaderSnapshot), undefined when this broker does not lead it. */
  leaderOf: (partition: commonV1.PartitionRef) => LeaderStarts | undefined,
): Promise<brokerV1.ListOffsetsResponse> {
  const answered = await hot(request);
  const partitions = await Promise.all(answered.partitions.map((answer, i) => {
    const asked = request.partitions[i];
    return asked ? correct(tier, asked, answer, asked.partition ? leaderOf(asked.partition) : undefined) : answer;
  }));
  return { ...answered, partitions };
}
