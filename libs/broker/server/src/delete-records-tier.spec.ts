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

  it('after a broker restart the recovered leader takes the durable start from the replicas, refuses below it and re-sends the trim', async () => {
    const farm = new ReplicaFarm();
    const first = manager(farm, { topics: topics() });
    first.sync([assignment(0)]);
    await until(() => first.served().length === 1, 'partition served');
    const old = first.get(ref(0));
    if (!old) throw new Error('no leader');
    // Batches [0, 1), [1, 2), [2, 4).
    for (const values of [['a'], ['b'], ['c', 'd']]) expect((await old.produce({ records: batch(values), acks: -1 })).ok).toBe(true);
    // DeleteRecords to 1 reaches the replicas, but its trim never reaches tiered storage (the broker dies).
    await handleDeleteRecords({ directory: first, topics: topics() }, request(1n), undefined);
    first.sync([]);
    // Local retention after tiering drops [0, 2) on every replica; the tier holds [0, 2).
    for (const r of farm.replicas.values()) r.dropLocalBefore(2n);

    const second = manager(farm, { topics: topics() });
    second.sync([assignment(0, { leaderEpoch: 2 })]);
    await until(() => second.served().length === 1, 'partition served again');
    const leader = second.get(ref(0));
    if (!leader) throw new Error('no leader');
    // The durable start, not the first local offset, and the first local offset for EARLIEST_LOCAL.
    expect(leader.snapshot()).toMatchObject({ logStart: 1n, localLogStart: 2n });
    await settle();
    // Recovery spread the durable start, never the hot one (which would delete tiered records).
    expect([...farm.replicas.values()].map((r) => r.state().durableLogStart)).toEqual([1n, 1n, 1n]);

    const t = tier({ start: 0n, end: 2n });
    const path = new TierReadPath(t.port);
    await path.leaderStarted(ref(0), leader.snapshot().logStart);
    await settle();
    expect(t.trims).toEqual([1n]);
    const below = await path.fetch(leader, ref(0), { offset: 0n, maxBytes: 1000 });
    expect(!below.ok && below.error.code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const at = await path.fetch(leader, ref(0), { offset: 1n, maxBytes: 1000 });
    expect(at.ok && at.value).toMatchObject({ records: Buffer.from('cold@1'), logStartOffset: 1n });
    const hot = await path.fetch(leader, ref(0), { offset: 2n, maxBytes: 1000 });
    expect(hot.ok && hot.value.logStartOffset).toBe(1n);
    // DeleteRecords at or below the start changes nothing and answers the start over both tiers.
    const again = await handleDeleteRecords({ directory: second, topics: topics() }, request(1n), path);
    expect(again.partitions[0]).toMatchObject({ error: { code: ErrorCode.NONE }, lowWatermark: 1n });
    path.close();
    second.sync([]);
  });
});
