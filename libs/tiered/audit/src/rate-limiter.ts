// Bounds how fast the audit re-reads objects (bytes/s), so verification never competes with
// uploads and cold reads for S3 bandwidth and request budget. A token bucket holding at most one
// second of tokens: a read larger than that waits for its whole cost rather than being refused.

export interface LimiterClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export class ByteRateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly clock: LimiterClock = realClock,
  ) {
    if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) throw new RangeError(`bytesPerSecond must be > 0, got ${bytesPerSecond}`);
    this.tokens = bytesPerSecond;
    this.last = clock.now();
  }

  /** Waits until `bytes` may be read (resolves early when `signal` aborts). */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    this.refill();
    this.tokens -= bytes;
    if (this.tokens >= 0) return;
    await this.clock.sleep(Math.ceil((-this.tokens / this.bytesPerSecond) * 1000), signal);
    this.refill();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.bytesPerSecond, this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond);
    this.last = now;
  }
}
