import { tieredV1 } from '@stratus/contracts';
import { ObjectStoreUnavailableError } from '@stratus/tiered-object-store';
import { handleListOffsetsByTimestamp, type TimestampPort } from './list-offsets';

const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() } as unknown as Parameters<typeof handleListOffsetsByTimestamp>[2];
const TOPIC = Buffer.alloc(16, 0x22);
const request = (fields: Partial<tieredV1.ListOffsetsByTimestampRequest> = {}) =>
  tieredV1.ListOffsetsByTimestampRequest.fromPartial({ partition: { topicId: { value: TOPIC }, partition: 3 }, timestampMs: 1_000n, ...fields });

describe('tieredV1 ListOffsetsByTimestamp', () => {
  it('answers the reader result, or found=false', async () => {
    const asked: unknown[] = [];
    const port: TimestampPort = {
      offsetForTimestamp: async (partition, ts) => {
        asked.push({ partition: partition.partition, ts });
        return ts <= 5_000n ? { found: true, offset: 42n, timestampMs: 1_234n, leaderEpoch: 7 } : { found: false };
      },
    };
    const hit = await handleListOffsetsByTimestamp(port, request(), logger);
    expect(hit).toMatchObject({ found: true, offset: 42n, timestampMs: 1_234n, leaderEpoch: 7 });
    expect(hit.error).toBeUndefined();
    const miss = await handleListOffsetsByTimestamp(port, request({ timestampMs: 9_000n }), logger);
    expect(miss).toMatchObject({ found: false, offset: -1n });
    expect(asked).toEqual([{ partition: 3, ts: 1_000n }, { partition: 3, ts: 9_000n }]);
  });

  it('refuses malformed requests, has NOT_READY without a reader, maps object store outages', async () => {
    const never: TimestampPort = { offsetForTimestamp: async () => ({ found: false }) };
    expect((await handleListOffsetsByTimestamp(never, request({ partition: { topicId: { value: Buffer.alloc(3) }, partition: 0 } }), logger)).error?.code).toBe(tieredV1.TieredErrorCode.INVALID_REQUEST);
    expect((await handleListOffsetsByTimestamp(never, request({ timestampMs: -2n }), logger)).error?.code).toBe(tieredV1.TieredErrorCode.INVALID_REQUEST);
    expect((await handleListOffsetsByTimestamp(undefined, request(), logger)).error?.code).toBe(tieredV1.TieredErrorCode.NOT_READY);
    const down: TimestampPort = {
      offsetForTimestamp: async () => {
        throw new ObjectStoreUnavailableError('getRange', 3, new Error('ECONNREFUSED'));
      },
    };
    expect((await handleListOffsetsByTimestamp(down, request(), logger)).error?.code).toBe(tieredV1.TieredErrorCode.OBJECT_STORE_UNAVAILABLE);
    const bug: TimestampPort = {
      offsetForTimestamp: async () => {
        throw new TypeError('bug');
      },
    };
    await expect(handleListOffsetsByTimestamp(bug, request(), logger)).rejects.toThrow(TypeError);
  });
});
