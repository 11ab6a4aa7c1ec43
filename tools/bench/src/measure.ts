export interface MeasureOptions {
  /** Run at least this long (after warm-up). */
  readonly minDurationMs: number;
  /** Untimed runs first so the JIT has compiled the hot path. */
  readonly warmupMs: number;
}

export interface Measurement {
  readonly iterations: number;
  readonly elapsedNs: bigint;
}

/**
 * Calls `step(i)` repeatedly and times it with the monotonic clock. The clock is read once per
 * `batchSize` calls so that reading it does not dominate very short steps.
 */
export function measure(step: (i: number) => void, options: MeasureOptions, batchSize = 64): Measurement {
  const run = (ms: number, start: number): number => {
    const until = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
    let i = start;
    do {
      for (let k = 0; k < batchSize; k++) step(i++);
    } while (process.hrtime.bigint() < until);
    return i - start;
  };
  const warm = run(options.warmupMs, 0);
  const t0 = process.hrtime.bigint();
  const iterations = run(options.minDurationMs, warm);
  return { iterations, elapsedNs: process.hrtime.bigint() - t0 };
}

/** Bytes per second for a measurement that processed `bytesPerIteration` each call. */
export function throughput(m: Measurement, bytesPerIteration: number): number {
  return (m.iterations * bytesPerIteration) / (Number(m.elapsedNs) / 1e9);
}
