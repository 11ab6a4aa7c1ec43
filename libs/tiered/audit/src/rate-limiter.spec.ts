import { ByteRateLimiter, type LimiterClock } from './rate-limiter';

class FakeClock implements LimiterClock {
  t = 0;
  readonly sleeps: number[] = [];
  now = () => this.t;
  sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.t += ms;
  };
}

describe('ByteRateLimiter', () => {
  it('lets one second of bytes through at once and then paces to the configured rate', async () => {
    const clock = new FakeClock();
    const limiter = new ByteRateLimiter(1000, clock);
    await limiter.take(1000);
    expect(clock.sleeps).toEqual([]);
    for (let i = 0; i < 10; i++) await limiter.take(500);
    // 5,000 bytes beyond the burst at 1,000 B/s.
    expect(clock.t).toBe(5000);
  });

  it('makes a read larger than the burst wait for its whole cost', async () => {
    const clock = new FakeClock();
    const limiter = new ByteRateLimiter(100, clock);
    await limiter.take(350);
    expect(clock.t).toBe(2500);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new ByteRateLimiter(0)).toThrow(RangeError);
  });
});
