import type { replicationV1 } from '@stratus/contracts';
import { durableLogStart } from './hot-state';

const partition = { tenantId: 't', topicId: Buffer.alloc(16, 3), partition: 0 };

/** A replication client answering GetLogState with `state` (undefined: unreachable). */
function replica(state: Partial<replicationV1.LogState> | undefined): replicationV1.ReplicationServiceClient {
  return {
    getLogState: (_req: unknown, _md: unknown, _opts: unknown, cb: (err: Error | null, res?: replicationV1.GetLogStateResponse) => void) => {
      if (!state) cb(new Error('14 UNAVAILABLE'));
      else cb(null, { error: undefined, state: { promisedEpoch: 1, logStartOffset: 0n, logEndOffset: 100n, localLogStartOffset: 0n, epochHistory: [], committedOffset: 100n, sizeBytes: 0n, ...state } });
    },
  } as unknown as replicationV1.ReplicationServiceClient;
}

describe('durableLogStart (the replicas persisted start, read back after a tiered-storage restart)', () => {
  it('is the highest logical start any replica reports, also below the first local offsets', async () => {
    const start = await durableLogStart(
      [replica({ logStartOffset: 20n, localLogStartOffset: 60n }), replica({ logStartOffset: 0n, localLogStartOffset: 55n }), replica({ logStartOffset: 25n, localLogStartOffset: 60n })],
      partition,
    );
    expect(start).toBe(25n);
  });

  it('is undefined when nothing was deleted or no replica answers', async () => {
    expect(await durableLogStart([replica({ logStartOffset: 0n, localLogStartOffset: 60n }), replica(undefined)], partition)).toBeUndefined();
    expect(await durableLogStart([replica(undefined)], partition)).toBeUndefined();
  });

  it('skips a start equal to the first local offset (what a replication node from before the logical start reported)', async () => {
    expect(await durableLogStart([replica({ logStartOffset: 60n, localLogStartOffset: 60n })], partition)).toBeUndefined();
    // DeleteRecords inside the hot tier: above the first local offset, trusted.
    expect(await durableLogStart([replica({ logStartOffset: 70n, localLogStartOffset: 60n })], partition)).toBe(70n);
  });
});
