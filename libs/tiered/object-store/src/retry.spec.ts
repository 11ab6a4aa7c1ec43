import { backoffCeilingMs, retry, RetriesExhaustedError, type RetryClock, type RetryPolicy } from './retry';

/** A clock that only moves when the code under test sleeps. */
function fakeClock(): RetryClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const policy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1_000, budgetMs: 60_000 };
const transient = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
const isRetriable = (err: unknown): boolean => err === transient;

describe('retry', () => {
  it('returns the first success without sleeping', async () => {
    const clock = fakeClock();
    expect(await retry(async () => 'ok', { policy, isRetriable, clock })).toBe('ok');
    expect(clock.sleeps).toEqual([]);
  });

  it('backs off exponentially with full jitter, capped at maxDelay', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retry(
      async (attempt) => {
        calls++;
        if (attempt < 6) throw transient;
        return attempt;
      },
      { policy, isRetriable, clock, random: () => 0.5 },
    );
    expect(result).toBe(6);
    expect(calls).toBe(6);
    // ceilings 100, 200, 400, 800, 1000 (capped) times the jitter draw 0.5
    expect(clock.sleeps).toEqual([50, 100, 200, 400, 500]);
  });

  it('draws each delay uniformly below the ceiling (random 0 means retry at once)', async () => {
    const clock = fakeClock();
    const draws = [0, 0.999];
    let i = 0;
    await retry(
      async (attempt) => {
        if (attempt < 3) throw transient;
      },
      { policy, isRetriable, clock, random: () => draws[i++] as number },
    );
    expect(clock.sleeps).toEqual([0, Math.floor(0.999 * 200)]);
  });

  it('gives up after maxAttempts with the last error attached', async () => {
    const clock = fakeClock();
    let calls = 0;
    const failing = retry(
      async () => {
        calls++;
        throw transient;
      },
      { policy, isRetriable, clock, random: () => 1 - Number.EPSILON },
    );
    await expect(failing).rejects.toBeInstanceOf(RetriesExhaustedError);
    await failing.catch((err: RetriesExhaustedError) => {
      expect(err.attempts).toBe(6);
      expect(err.lastError).toBe(transient);
    });
    expect(calls).toBe(6);
    expect(clock.sleeps.length).toBe(5);
  });

  it('stops early when the next sleep would overrun the time budget', async () => {
    const clock = fakeClock();
    let calls = 0;
    const tight: RetryPolicy = { maxAttempts: 100, baseDelayMs: 100, maxDelayMs: 100, budgetMs: 350 };
    await expect(
      retry(
        async () => {
          calls++;
          throw transient;
        },
        { policy: tight, isRetriable, clock, random: () => 0.99 },
      ),
    ).rejects.toBeInstanceOf(RetriesExhaustedError);
    // sleeps of 99 ms: after 3 of them (297 ms) a fourth would end at 396 >= 350
    expect(calls).toBe(4);
    expect(clock.now()).toBe(297);
  });

  it('never retries a non-retriable error', async () => {
    const clock = fakeClock();
    const fatal = new Error('access denied');
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw fatal;
        },
        { policy, isRetriable, clock },
      ),
    ).rejects.toBe(fatal);
    expect(calls).toBe(1);
  });

  it('reports each retry before sleeping', async () => {
    const seen: number[] = [];
    await retry(
      async (attempt) => {
        if (attempt < 3) throw transient;
      },
      { policy, isRetriable, clock: fakeClock(), random: () => 0, onRetry: (info) => seen.push(info.attempt) },
    );
    expect(seen).toEqual([1, 2]);
  });

  it('rejects nonsensical policies', async () => {
    await expect(retry(async () => 1, { policy: { ...policy, maxAttempts: 0 }, isRetriable })).rejects.toBeInstanceOf(RangeError);
    await expect(retry(async () => 1, { policy: { ...policy, maxDelayMs: 1 }, isRetriable })).rejects.toBeInstanceOf(RangeError);
  });

  it('computes ceilings without overflowing for huge attempt numbers', () => {
    expect(backoffCeilingMs(policy, 1)).toBe(100);
    expect(backoffCeilingMs(policy, 5000)).toBe(1_000);
  });
});
