import fc from 'fast-check';
import { SampledRate, throttleTimeMs } from './sampled-rate';

const window = { samples: 11, sampleMs: 1000 };

describe('SampledRate', () => {
  it('takes the rate over at least num-1 full samples, so a first burst is not an enormous rate', () => {
    const rate = new SampledRate(window, 0);
    rate.record(10_000, 0);
    expect(rate.windowMs(0)).toBe(10_000);
    expect(rate.ratePerSecond(0)).toBe(1000);
  });

  it('measures a steady rate over the elapsed window once it is longer than num-1 samples', () => {
    const rate = new SampledRate(window, 0);
    // 500 units every 100 ms = 5000/s, for 15 s.
    for (let t = 0; t <= 15_000; t += 100) rate.record(500, t);
    expect(rate.ratePerSecond(15_000)).toBeGreaterThan(4500);
    expect(rate.ratePerSecond(15_000)).toBeLessThan(5500);
  });

  it('forgets samples older than the whole window', () => {
    const rate = new SampledRate(window, 0);
    rate.record(1_000_000, 0);
    expect(rate.ratePerSecond(5_000)).toBeGreaterThan(0);
    expect(rate.ratePerSecond(11_000)).toBe(0);
    rate.record(100, 30_000);
    expect(rate.ratePerSecond(30_000)).toBe(10);
  });

  it('rejects a window Kafka would reject', () => {
    expect(() => new SampledRate({ samples: 1, sampleMs: 1000 }, 0)).toThrow(RangeError);
    expect(() => new SampledRate({ samples: 11, sampleMs: 0 }, 0)).toThrow(RangeError);
  });
});

describe('throttleTimeMs (KIP-13/KIP-124)', () => {
  it('is (rate - quota) / quota × window', () => {
    // Twice the quota over a 10 s window: 10 s of silence halves the rate.
    expect(throttleTimeMs({ ratePerSecond: 2000, quotaPerSecond: 1000, windowMs: 10_000, maxMs: 11_000 })).toBe(10_000);
    expect(throttleTimeMs({ ratePerSecond: 1100, quotaPerSecond: 1000, windowMs: 10_000, maxMs: 11_000 })).toBe(1000);
  });

  it('is zero within quota and capped at the maximum', () => {
    expect(throttleTimeMs({ ratePerSecond: 1000, quotaPerSecond: 1000, windowMs: 10_000, maxMs: 11_000 })).toBe(0);
    expect(throttleTimeMs({ ratePerSecond: 1e9, quotaPerSecond: 1, windowMs: 10_000, maxMs: 11_000 })).toBe(11_000);
    expect(throttleTimeMs({ ratePerSecond: 5, quotaPerSecond: 0, windowMs: 10_000, maxMs: 11_000 })).toBe(11_000);
  });

  it('waiting the throttle time brings the windowed rate back to the quota', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 50 }), (quota, factorTenths) => {
        const windowMs = 10_000;
        const rate = quota * (1 + factorTenths / 10);
        const wait = throttleTimeMs({ ratePerSecond: rate, quotaPerSecond: quota, windowMs, maxMs: Number.MAX_SAFE_INTEGER });
        // Same bytes spread over window + wait.
        const after = (rate * windowMs) / (windowMs + wait);
        expect(Math.abs(after - quota) / quota).toBeLessThan(0.01);
      }),
    );
  });
});
