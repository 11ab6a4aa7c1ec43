// A produce answer's log_start_offset must be the start Fetch and ListOffsets answer: with tiered
// storage that is the tier-aware start (tier-read.ts logStartFor), not the leader's durable start.
import { brokerV1 } from '@stratus/contracts';
import type { LeaderStarts } from './tier-read';
import { handleProduce } from './produce-handler';
import { ReplicaFarm, TENANT, assignment, batch, manager, ref, topics, until } from './server.testkit';

async function servedAccess() {
  const farm = new ReplicaFarm();
  const m = manager(farm, { topics: topics() });
  m.sync([assignment(0)]);
  await until(() => m.served().length === 1, 'partition served');
  return { directory: m, topics: topics() };
}

const produce = () =>
  brokerV1.ProduceRequest.fromPartial({ header: { tenantId: { value: TENANT }, timeoutMs: 5_000 }, acks: -1, partitions: [{ partition: ref(0), records: batch(['a', 'b']) }] });

describe('Produce answers across tiers', () => {
  it('carries the tier-aware log start when tiered storage is configured', async () => {
    const access = await servedAccess();
    const seen: LeaderStarts[] = [];
    const tier = {
      logStartFor: (_p: unknown, starts: LeaderStarts) => {
        seen.push(starts);
        return 7n;
      },
    };
    const answer = await handleProduce({ ...access, defaultTimeoutMs: 5_000, tier }, produce());
    expect(answer.partitions[0]).toMatchObject({ error: { code: 0 }, baseOffset: 0n, logStartOffset: 7n });
    // It asked with the leader's own starts (durable start and first hot offset).
    expect(seen).toEqual([expect.objectContaining({ logStart: 0n, localLogStart: 0n })]);
  });

  it('reads the starts after DeleteRecords moved them, without building a leader snapshot', async () => {
    const access = await servedAccess();
    const leader = access.directory.get(ref(0));
    if (!leader) throw new Error('no leader');
    await handleProduce({ ...access, defaultTimeoutMs: 5_000 }, produce());
    expect(await leader.deleteRecords(1n)).toEqual({ ok: true, value: { lowWatermark: 1n } });
    const snapshot = jest.spyOn(leader, 'snapshot');
    const seen: { logStart: bigint; localLogStart: bigint }[] = [];
    const tier = {
      logStartFor: (_p: unknown, starts: LeaderStarts) => {
        seen.push({ logStart: starts.logStart, localLogStart: starts.localLogStart });
        return starts.logStart;
      },
    };
    const answer = await handleProduce({ ...access, defaultTimeoutMs: 5_000, tier }, produce());
    expect(answer.partitions[0]).toMatchObject({ error: { code: 0 }, baseOffset: 2n, logStartOffset: 1n });
    expect(seen).toEqual([{ logStart: 1n, localLogStart: 1n }]);
    expect(snapshot).not.toHaveBeenCalled();
  });

  it('carries the leader durable start without tiered storage', async () => {
    const access = await servedAccess();
    const answer = await handleProduce({ ...access, defaultTimeoutMs: 5_000 }, produce());
    expect(answer.partitions[0]).toMatchObject({ error: { code: 0 }, logStartOffset: 0n });
  });
});
