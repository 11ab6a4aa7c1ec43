// A rate measured over a window of samples, with Kafka's quota semantics (KIP-13): the window is
// quota.window.num samples of quota.window.size each; a sample older than the whole window is
// forgotten, and the elapsed time is never taken as less than (num - 1) full samples so that the
// first bytes after a quiet period do not look like an enormous rate.

export interface SampleWindow {
  /** quota.window.num (Kafka default 11). */
  readonly samples: number;
  /** quota.window.size.seconds in milliseconds (Kafka default 1 s). */
  readonly sampleMs: number;
}

export const DEFAULT_SAMPLE_WINDOW: SampleWindow = { samples: 11, sampleMs: 1000 };

interface Sample {
  startMs: number;
  value: number;
}

export class SampledRate {
  private readonly ring: Sample[];
  private current = 0;

  constructor(private readonly window: SampleWindow, nowMs: number) {
    if (!Number.isInteger(window.samples) || window.samples < 2) throw new RangeError(`quota window needs at least 2 samples, got ${window.samples}`);
    if (!(window.sampleMs > 0)) throw new RangeError(`quota sample size must be positive, got ${window.sampleMs}`);
    this.ring = Array.from({ length: window.samples }, () => ({ startMs: nowMs, value: 0 }));
  }

  /** Adds `value` (bytes, requests, connections) at `nowMs`. */
  record(value: number, nowMs: number): void {
    this.advance(nowMs);
    const sample = this.ring[this.current] as Sample;
    sample.value += value;
  }

  /** Units per second over the window ending at `nowMs`. */
  ratePerSecond(nowMs: number): number {
    this.advance(nowMs);
    const total = this.ring.reduce((sum, s) => sum + s.value, 0);
    return (total * 1000) / this.windowMs(nowMs);
  }

  /** The elapsed window the rate is taken over, in ms (Kafka's Rate.windowSize). */
  windowMs(nowMs: number): number {
    const oldest = this.ring.reduce((min, s) => Math.min(min, s.startMs), Number.POSITIVE_INFINITY);
    const elapsed = Math.max(0, nowMs - oldest);
    const minimum = (this.window.samples - 1) * this.window.sampleMs;
    // A partly filled current sample counts for its elapsed part only, but the window never
    // shrinks below num-1 full samples.
    return Math.max(elapsed, minimum);
  }

  /** Moves to a fresh sample when the current one is full; drops samples older than the window. */
  private advance(nowMs: number): void {
    const { samples, sampleMs } = this.window;
    const expiry = samples * sampleMs;
    for (const s of this.ring) {
      if (nowMs - s.startMs >= expiry) {
        s.value = 0;
        s.startMs = nowMs;
      }
    }
    const cur = this.ring[this.current] as Sample;
    if (nowMs - cur.startMs >= sampleMs) {
      this.current = (this.current + 1) % samples;
      const next = this.ring[this.current] as Sample;
      next.value = 0;
      next.startMs = nowMs;
    }
  }
}

/**
 * KIP-13 / KIP-124: how long the client must stay quiet for the windowed rate to fall back to the
 * quota, i.e. (observed - quota) / quota × window. Zero when within quota; capped at the whole
 * window (a longer delay cannot help, the samples expire by then).
 */
export function throttleTimeMs(options: { ratePerSecond: number; quotaPerSecond: number; windowMs: number; maxMs: number }): number {
  const { ratePerSecond, quotaPerSecond, windowMs, maxMs } = options;
  if (ratePerSecond <= quotaPerSecond) return 0;
  if (quotaPerSecond <= 0) return maxMs;
  const ms = ((ratePerSecond - quotaPerSecond) / quotaPerSecond) * windowMs;
  return Math.min(maxMs, Math.max(0, Math.round(ms)));
}
