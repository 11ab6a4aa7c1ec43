import { summarizeSplit, type TierSplit } from './cold-tier';
import { ColdTierTimeoutError, readableLogStart, waitForColdTier } from './cold-tier-probe';

const split = (hotStart: number): TierSplit => summarizeSplit([{ partition: 0, logStart: 0, hotStart, end: 1000 }]);

describe('waitForColdTier', () => {
  it('polls until the split is drained and returns that split', async () => {
    const answers = [split(0), split(400), split(950)];
    const seen: number[] = [];
    const result = await waitForColdTier({
      probe: async () => answers.shift() ?? split(950),
      topic: 't',
      partitions: 1,
      drained: (s) => s.coldFraction >= 0.9,
      timeoutMs: 10_000,
      intervalMs: 1,
      onSplit: (s) => seen.push(s.coldRecords),
    });
    expect(result.coldRecords).toBe(950);
    expect(seen).toEqual([0, 400, 950]);
  });

  it('retries a probe that fails, and keeps going', async () => {
    let calls = 0;
    const result = await waitForColdTier({
      probe: async () => {
        calls++;
        if (calls < 3) throw new Error('JVM did not start');
        return split(1000);
      },
      topic: 't',
      partitions: 1,
      drained: () => true,
      timeoutMs: 10_000,
      intervalMs: 1,
    });
    expect(calls).toBe(3);
    expect(result.coldFraction).toBe(1);
  });

  it('times out with the share reached and the last probe error', async () => {
    let calls = 0;
    const wait = waitForColdTier({
      probe: async () => {
        calls++;
        if (calls % 2 === 0) throw new Error('broker busy');
        return split(250);
      },
      topic: 't',
      partitions: 1,
      drained: () => false,
      timeoutMs: 30,
      intervalMs: 5,
    });
    await expect(wait).rejects.toBeInstanceOf(ColdTierTimeoutError);
    await expect(wait).rejects.toThrow(/25\.0% of 1000 records below the hot start/);
  });
});

// The probe maps the replicas' and the manifest's view onto the broker's own rule
// (broker-server logStartAcrossTiers); these pin that each input lands in the right place.
describe('readableLogStart', () => {
  it('is the tier start when the tier reaches below the hot tier and nothing was deleted', () => {
    expect(readableLogStart({ durableStart: 0n, tieredStart: 0n, hotStart: 900n })).toBe(0n);
  });

  it('is the durable start after DeleteRecords inside a tiered segment that still straddles it', () => {
    expect(readableLogStart({ durableStart: 131n, tieredStart: 128n, hotStart: 900n })).toBe(131n);
  });

  it('is the tier start when tiered retention deleted objects without moving the durable start', () => {
    expect(readableLogStart({ durableStart: 0n, tieredStart: 256n, hotStart: 900n })).toBe(256n);
  });

  it('is the hot start when nothing is uploaded', () => {
    expect(readableLogStart({ durableStart: 0n, tieredStart: undefined, hotStart: 40n })).toBe(40n);
  });

  it('is the hot start when the tier starts above it (local retention has not caught up)', () => {
    expect(readableLogStart({ durableStart: 0n, tieredStart: 500n, hotStart: 40n })).toBe(40n);
  });

  it('is the durable start when DeleteRecords went above the hot start', () => {
    expect(readableLogStart({ durableStart: 950n, tieredStart: 0n, hotStart: 900n })).toBe(950n);
  });
});
