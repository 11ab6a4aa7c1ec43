// Capped exponential backoff with jitter. Jitter matters here: when the metadata service restarts,
// every router, broker and replication node reconnects at once; without it they would all retry in
// lock step and hit the new process together.

export interface BackoffOptions {
  /** First delay (default 100 ms). */
  readonly initialMs?: number;
  /** Upper bound of any delay (default 5 s). */
  readonly maxMs?: number;
  /** Growth per attempt (default 2). */
  readonly multiplier?: number;
  /** Source of randomness in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly multiplier: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = Math.max(1, options.initialMs ?? 100);
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? 5_000);
    this.multiplier = Math.max(1, options.multiplier ?? 2);
    this.random = options.random ?? Math.random;
  }

  /** The next delay: the capped exponential value scaled into [50 %, 100 %] ("equal jitter"). */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * this.multiplier ** this.attempt);
    if (ceiling < this.maxMs) this.attempt += 1;
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  /** Call after a success (a message arrived) so the next failure starts small again. */
  reset(): void {
    this.attempt = 0;
  }
}
