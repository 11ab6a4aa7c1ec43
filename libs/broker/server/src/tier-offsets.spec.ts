import type { brokerV1, commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { listOffsetsAcrossTiers } from './tier-offsets';
import { TierReadPath, type TierFetchOutcome, type TierPort, type TierTimestampOutcome } from './tier-read';

const REF: commonV1.PartitionRef = { topicId: { value: Buffer.alloc(16, 9) }, partition: 0 };
const OK = { code: ErrorCode.NONE, message: '' };

function tier(range: TierFetchOutcome, byTime: TierTimestampOutcome): TierReadPath {
  const port: TierPort = { fetch: async () => range, offsetForTimestamp: async () => byTime, trim: async () => ({ kind: 'none' }) };
  return new TierReadPath(port);
}

const request = (...timestamps: bigint[]): brokerV1.ListOffsetsRequest =>
  ({ header: undefined, isolationLevel: 0, partitions: timestamps.map((timestamp) => ({ partition: REF, timestamp, currentLeaderEpoch: -1 })) }) as unknown as brokerV1.ListOffsetsRequest;

/** The leader: durable start 0 (nothing deleted), first hot offset 500. */
const leader = { logStart: 0n, localLogStart: 500n };
const leaderOf = () => leader;

/** The hot tier: first hot offset 500, HW 1000; by timestamp it finds offset 700. */
const hot = async (r: brokerV1.ListOffsetsRequest): Promise<brokerV1.ListOffsetsResponse> => ({
  partitions: r.partitions.map((p) => {
    if (p.timestamp === -2n) return { partition: REF, error: OK, timestamp: -1n, offset: 500n, leaderEpoch: 3 };
    if (p.timestamp === -1n) return { partition: REF, error: OK, timestamp: -1n, offset: 1000n, leaderEpoch: 3 };
    if (p.timestamp === -5n) return { partition: REF, error: OK, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
    return { partition: REF, error: OK, timestamp: p.timestamp + 1n, offset: 700n, leaderEpoch: 3 };
  }),
});

describe('ListOffsets across tiers', () => {
  const held: TierFetchOutcome = { kind: 'out_of_range', tieredStart: 100n, tieredEnd: 600n };

  it('EARLIEST is the tiered start, LATEST_TIERED the last tiered offset, LATEST stays the HW', async () => {
    const res = await listOffsetsAcrossTiers(tier(held, { kind: 'not_found' }), request(-2n, -5n, -1n), hot, leaderOf);
    expect(res.partitions.map((p) => p.offset)).toEqual([100n, 599n, 1000n]);
  });

  it('by timestamp: the tier answer when it has one (earlier offsets), else the hot one', async () => {
    const cold = await listOffsetsAcrossTiers(tier(held, { kind: 'found', offset: 250n, timestampMs: 5_000n, leaderEpoch: 1 }), request(4_000n), hot, leaderOf);
    expect(cold.partitions[0]).toMatchObject({ offset: 250n, timestamp: 5_000n, leaderEpoch: 1 });
    const warm = await listOffsetsAcrossTiers(tier(held, { kind: 'not_found' }), request(4_000n), hot, leaderOf);
    expect(warm.partitions[0]).toMatchObject({ offset: 700n, timestamp: 4_001n });
  });

  it('without tiered data the hot answers stand; an unreachable tier is a retriable KAFKA_STORAGE_ERROR', async () => {
    const none = await listOffsetsAcrossTiers(tier({ kind: 'none' }, { kind: 'none' }), request(-2n, -5n, 4_000n), hot, leaderOf);
    expect(none.partitions.map((p) => p.offset)).toEqual([500n, -1n, 700n]);
    const down = await listOffsetsAcrossTiers(tier({ kind: 'unavailable', message: 'refused' }, { kind: 'unavailable', message: 'refused' }), request(-2n, 4_000n, -1n), hot, leaderOf);
    expect(down.partitions.map((p) => p.error?.code)).toEqual([ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.NONE]);
  });

  it('after DeleteRecords, a tier answer that predates its trim never goes below the durable log start', async () => {
    // The leader recovered after a broker restart: its start (300) came from the replicas, no
    // DeleteRecords went through this broker, and the tier was never trimmed.
    const path = tier(held, { kind: 'found', offset: 250n, timestampMs: 5_000n, leaderEpoch: 1 });
    const res = await listOffsetsAcrossTiers(path, request(-2n, 4_000n), hot, () => ({ logStart: 300n, localLogStart: 500n }));
    // EARLIEST: the durable start, not the tier's stale 100. By timestamp: the tier's 250 is deleted; the hot scan answers.
    expect(res.partitions.map((p) => p.offset)).toEqual([300n, 700n]);
    path.close();
  });

  it('EARLIEST never points at data tiered retention deleted, though the durable start is lower (the reset-loop trap)', async () => {
    // Tiered retention deleted everything below 100 without moving the replicas' logical start (40).
    const res = await listOffsetsAcrossTiers(tier(held, { kind: 'not_found' }), request(-2n), hot, () => ({ logStart: 40n, localLogStart: 500n }));
    expect(res.partitions[0]?.offset).toBe(100n);
  });

  it('a partition this broker does not lead keeps the hot answer (its error)', async () => {
    const res = await listOffsetsAcrossTiers(tier(held, { kind: 'not_found' }), request(-2n), hot, () => undefined);
    expect(res.partitions[0]?.offset).toBe(500n);
  });
});
