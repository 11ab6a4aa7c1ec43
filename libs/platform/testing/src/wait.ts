// Polling helpers. Integration tests wait on real processes, so every wait has a deadline and a
// description: a timeout must say what never happened and what the last attempt saw, otherwise a
// red CI run is undebuggable.

export class HarnessTimeoutError extends Error {
  override readonly name = 'HarnessTimeoutError';
}

export interface WaitForOptions {
  /** What we are waiting for, used in the timeout error ("etcd at 127.0.0.1:1234 to be healthy"). */
  readonly description: string;
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Thrown from a waitFor probe to give up at once (the thing waited for can no longer happen, e.g. the
 * process exited); waitFor rethrows `reason` unchanged.
 */
export class StopWaiting extends Error {
  override readonly name = 'StopWaiting';
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value other than `undefined`/`false`, and returns that value.
 * A probe that throws counts as "not yet"; the last error is attached to the timeout error.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitForOptions,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      if (err instanceof StopWaiting) throw err.reason;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const last = lastError === undefined ? '' : `; last error: ${describeError(lastError)}`;
      throw new HarnessTimeoutError(`timed out after ${timeoutMs} ms waiting for ${options.description}${last}`, {
        cause: lastError,
      });
    }
    await sleep(intervalMs);
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
