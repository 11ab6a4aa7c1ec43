import { epoch } from '@stratus/broker-partition';
import { endOffsetFor, epochAt } from './epoch-lookup';
import { ProducerIdAllocator } from './producer-ids';
import { DEFAULT_MAX_MESSAGE_BYTES, leaderSettings } from './topic-settings';

describe('endOffsetFor (OffsetForLeaderEpoch over a leader-epoch history)', () => {
  const history = [
    { epoch: epoch(1), startOffset: 0n },
    { epoch: epoch(3), startOffset: 10n },
    { epoch: epoch(4), startOffset: 25n },
  ];
  it.each([
    [1, { epoch: 1, endOffset: 10n }],
    [2, { epoch: 1, endOffset: 10n }],
    [3, { epoch: 3, endOffset: 25n }],
    [4, { epoch: 4, endOffset: 40n }],
    [5, { epoch: -1, endOffset: -1n }],
    [0, { epoch: 0, endOffset: 0n }],
    [-1, { epoch: -1, endOffset: -1n }],
  ])('epoch %i', (requested, expected) => {
    expect(endOffsetFor(history, requested, 40n)).toEqual(expected);
  });

  it('epochAt names the epoch an offset was written under', () => {
    expect([0n, 9n, 10n, 24n, 25n, 99n].map((o) => epochAt(history, o))).toEqual([1, 1, 3, 3, 4, 4]);
  });
});

describe('leaderSettings', () => {
  it('reads the configs a leader enforces and falls back on unusable overrides', () => {
    expect(leaderSettings({ 'max.message.bytes': '2048', 'min.insync.replicas': '3', 'message.timestamp.type': 'LogAppendTime' }, 3)).toEqual({
      maxMessageBytes: 2048,
      minInsyncReplicas: 3,
      timestamps: { type: 'LogAppendTime' },
      ignored: [],
    });
    const bad = leaderSettings({ 'max.message.bytes': '-5', 'min.insync.replicas': '4', 'message.timestamp.type': 'Wallclock' }, 3);
    expect(bad).toMatchObject({ maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES, minInsyncReplicas: 2, timestamps: { type: 'CreateTime' } });
    expect(bad.ignored).toEqual(['max.message.bytes', 'min.insync.replicas', 'message.timestamp.type']);
    expect(leaderSettings(undefined, 3).minInsyncReplicas).toBe(2);
  });
});

describe('ProducerIdAllocator', () => {
  it('hands out every id of a block once, shares one fetch between concurrent callers, and prefetches', async () => {
    let calls = 0;
    const allocator = new ProducerIdAllocator({
      allocateBlock: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { first: BigInt(calls * 100), count: 4 };
      },
      prefetchBelow: 1,
    });
    const first = await Promise.all([allocator.nextId(), allocator.nextId(), allocator.nextId()]);
    expect(new Set(first)).toEqual(new Set([100n, 101n, 102n]));
    // One shared fetch for the three callers, plus the prefetch started when one id was left.
    expect(calls).toBe(2);
    expect(await allocator.nextId()).toBe(103n);
    expect(await allocator.nextId()).toBe(200n);
    expect(await allocator.nextId()).toBe(201n);
    expect(calls).toBe(2);
  });

  it('a failed block fetch is reported and the next call asks again', async () => {
    let fail = true;
    const allocator = new ProducerIdAllocator({
      allocateBlock: () => (fail ? Promise.reject(new Error('metadata down')) : Promise.resolve({ first: 7n, count: 1 })),
    });
    await expect(allocator.nextId()).rejects.toThrow('metadata down');
    fail = false;
    expect(await allocator.nextId()).toBe(7n);
  });
});
