import { brokerV1, type commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { handleDeleteRecords } from './offsets-handler';
import { ReplicaFarm, TENANT, assignment, batch, manager, ref, topics, until } from './server.testkit';
import { TierReadPath, type TierFetchOutcome, type TierPort } from './tier-read';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A tier holding [start, end) whose trims move `start` (whole segments: straddling ones stay). */
function tier(range: { start: bigint; end: bigint }) {
  const trims: bigint[] = [];
  const port: TierPort = {
    fetch: async (_p, r): Promise<TierFetchOutcome> =>
      r.offset >= range.start && r.offset < range.end
        ? { kind: 'records', records: Buffer.from(`cold@${r.offset}`), nextOffset: r.offset + 1n, tieredStart: range.start, tieredEnd: range.end }
        : { kind: 'out_of_range', tieredStart: range.start, tieredEnd: range.end },
    offsetForTimestamp: async () => ({ kind: 'not_found' }),
    trim: async (_p: commonV1.PartitionRef, offset: bigint) => {
      trims.push(offset);
      return { kind: 'trimmed', tieredStart: range.start, segmentsDeleted: 0 };
    },
  };
  return { port, trims };
}

async function servedPartition() {
  const farm = new ReplicaFarm();
  const m = manager(farm, { topics: topics() });
  m.sync([assignment(0)]);
  await until(() => m.served().length === 1, 'partition served');
  const leader = m.get(ref(0));
  if (!leader) throw new Error('no leader');
  // Four records: [0, 4).
  const produced = await leader.produce({ records: batch(['a', 'b', 'c', 'd']), acks: -1 });
  expect(produced.ok).toBe(true);
  return { access: { directory: m, topics: topics() }, leader };
}

const request = (offset: bigint) =>
  brokerV1.DeleteRecordsRequest.fromPartial({ header: { tenantId: { value: TENANT }, timeoutMs: 5_000 }, partitions: [{ partition: ref(0), offset }] });

describe('DeleteRecords across tiers', () => {
  it('moves the replicas first, then trims the tier to the same offset and refuses reads below it', async () => {
    const { access, leader } = await servedPartition();
    const t = tier({ start: 0n, end: 2n });
    const path = new TierReadPath(t.port);
    const answer = await handleDeleteRecords(access, request(3n), path);
    expect(answer.partitions[0]).toMatchObject({ error: { code: ErrorCode.NONE }, lowWatermark: 3n });
    expect(leader.snapshot().logStart).toBe(3n);
    await settle();
    expect(t.trims).toEqual([3n]);
    const below = await path.fetch(leader, ref(0), { offset: 1n, maxBytes: 1000 });
    expect(!below.ok && below.error.code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    path.close();
  });

  it('-1 deletes up to the high watermark in both tiers', async () => {
    const { access } = await servedPartition();
    const t = tier({ start: 0n, end: 2n });
    const path = new TierReadPath(t.port);
    const answer = await handleDeleteRecords(access, request(-1n), path);
    expect(answer.partitions[0]?.lowWatermark).toBe(4n);
    await settle();
    expect(t.trims).toEqual([4n]);
    path.close();
  });

  it('a refused DeleteRecords trims nothing', async () => {
    const { access } = await servedPartition();
    const t = tier({ start: 0n, end: 2n });
    const path = new TierReadPath(t.port);
    const answer = await handleDeleteRecords(access, request(9n), path);
    expect(answer.partitions[0]?.error?.code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    await settle();
    expect(t.trims).toEqual([]);
    path.close();
  });

  it('below a leader start that is only the hot start, the tiered records are still deleted and the low watermark covers both tiers', async () => {
    const { access, leader } = await servedPartition();
    // The leader's start is 3 (as after recovering on replicas that dropped [0, 3) locally); the tier holds [0, 3).
    await handleDeleteRecords(access, request(3n), undefined);
    expect(leader.snapshot().logStart).toBe(3n);
    const t = tier({ start: 0n, end: 3n });
    const path = new TierReadPath(t.port);
    const answer = await handleDeleteRecords(access, request(2n), path);
    expect(answer.partitions[0]).toMatchObject({ error: { code: ErrorCode.NONE }, lowWatermark: 2n });
    await settle();
    expect(t.trims).toEqual([2n]);
    const below = await path.fetch(leader, ref(0), { offset: 1n, maxBytes: 1000 });
    expect(!below.ok && below.error.code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const at = await path.fetch(leader, ref(0), { offset: 2n, maxBytes: 1000 });
    expect(at.ok && at.value).toMatchObject({ records: Buffer.from('cold@2'), logStartOffset: 2n });
    path.close();
  });
});
