// Retries with exponential backoff and full jitter: attempt n waits a uniformly random time in
// [0, min(maxDelay, base * 2^(n-1))). Full jitter spreads the retries of many clients that failed
// together (an S3 503 SlowDown hits every uploader at once) instead of synchronising them.
// Bounded by attempts and by a time budget, so an outage surfaces as an error, never a hang.

export interface RetryPolicy {
  /** Attempts in total, the first included (>= 1). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No new attempt starts once this much time has passed since the first one. */
  readonly budgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 5_000, budgetMs: 30_000 };

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RetryAttemptInfo {
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  readonly error: unknown;
  readonly delayMs: number;
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly isRetriable: (error: unknown) => boolean;
  readonly clock?: RetryClock;
  /** Uniform in [0, 1); injectable for tests. */
  readonly random?: () => number;
  readonly onRetry?: (info: RetryAttemptInfo) => void;
}

/** Thrown when retriable failures went on until the policy gave up. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly elapsedMs: number,
    readonly lastError: unknown,
  ) {
    super(`gave up after ${attempts} attempt(s) in ${elapsedMs} ms`);
    this.name = 'RetriesExhaustedError';
  }
}

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const ok =
    Number.isSafeInteger(policy.maxAttempts) &&
    policy.maxAttempts >= 1 &&
    policy.baseDelayMs >= 0 &&
    policy.maxDelayMs >= policy.baseDelayMs &&
    policy.budgetMs >= 0;
  if (!ok) throw new RangeError(`invalid retry policy ${JSON.stringify(policy)}`);
  return policy;
}

/** The ceiling of the jittered delay after `attempt` failures. */
export function backoffCeilingMs(policy: RetryPolicy, attempt: number): number {
  // 2^(attempt-1) overflows to Infinity for huge attempts, which min() then caps.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = validateRetryPolicy(options.policy);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const started = clock.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!options.isRetriable(error)) throw error;
      const elapsed = clock.now() - started;
      const delayMs = Math.floor(random() * backoffCeilingMs(policy, attempt));
      if (attempt >= policy.maxAttempts || elapsed + delayMs >= policy.budgetMs) {
        throw new RetriesExhaustedError(attempt, elapsed, error);
      }
      options.onRetry?.({ attempt, error, delayMs });
      await clock.sleep(delayMs);
    }
  }
}
