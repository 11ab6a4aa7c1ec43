// The leader's two starts as getters (logStart, localLogStart): the produce path reads them per
// partition instead of building a snapshot, so they must always agree with LeaderSnapshot.
import { PartitionLeader } from './partition-leader';
import { memoryCluster, producerBatch } from './testing/batches';
import { epoch } from './types';

async function startLeader(ports: Parameters<typeof PartitionLeader.start>[0]['replicas'], e: number): Promise<PartitionLeader> {
  const started = await PartitionLeader.start({ epoch: epoch(e), replicas: ports, minInsyncReplicas: 2, maxMessageBytes: 1_000_000, retryBackoffMs: 1 });
  if (!started.ok) throw new Error(`leader did not start: ${started.error.code}`);
  return started.value;
}

const startsOf = (l: PartitionLeader) => ({ logStart: l.logStart, localLogStart: l.localLogStart });

describe('PartitionLeader starts', () => {
  it('match the snapshot across local retention (KIP-405) and DeleteRecords (KIP-107)', async () => {
    const { replicas, ports } = memoryCluster();
    const first = await startLeader(ports, 1);
    for (const v of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const r = await first.produce({ records: producerBatch({ values: [v] }), acks: -1 });
      if (!r.ok) throw new Error(`produce failed: ${r.error.code}`);
    }
    expect(startsOf(first)).toEqual({ logStart: 0n, localLogStart: 0n });
    first.resign();

    // Local retention after tiering dropped [0, 4) everywhere: the next leader's hot tier starts at 4.
    for (const r of replicas) r.dropLocalBefore(4n);
    const second = await startLeader(ports, 2);
    expect(startsOf(second)).toEqual({ logStart: 0n, localLogStart: 4n });
    expect(second.snapshot()).toMatchObject(startsOf(second));

    // DeleteRecords below the hot start moves only the durable start.
    expect(await second.deleteRecords(2n)).toEqual({ ok: true, value: { lowWatermark: 2n } });
    expect(startsOf(second)).toEqual({ logStart: 2n, localLogStart: 4n });
    expect(second.snapshot()).toMatchObject(startsOf(second));

    // Past it, the hot start is never reported below the durable start.
    expect(await second.deleteRecords(5n)).toEqual({ ok: true, value: { lowWatermark: 5n } });
    expect(startsOf(second)).toEqual({ logStart: 5n, localLogStart: 5n });
    expect(second.snapshot()).toMatchObject(startsOf(second));
  });
});
