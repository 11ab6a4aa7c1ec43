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

export interface RoundsOptions {
  /** How many times every variant is timed. */
  readonly rounds: number;
  /** Timed duration of one variant in one round. */
  readonly roundMs: number;
  /** Untimed warm-up of every variant before the first round. */
  readonly warmupMs: number;
}

/**
 * Times several variants of the same work in interleaved rounds (the start variant rotates each
 * round) and returns each variant's median iterations per second. On a shared, noisy machine a
 * burst of load then hits every variant alike instead of whichever happened to run during it, so
 * ratios between variants are far steadier than with one long run per variant.
 */
export function medianRatesInRounds(variants: ReadonlyArray<{ readonly name: string; readonly step: (i: number) => void }>, options: RoundsOptions, batchSize = 1): Map<string, number> {
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (const v of variants) measure(v.step, { minDurationMs: 0, warmupMs: options.warmupMs }, batchSize);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(round + k) % variants.length]!;
      const m = measure(v.step, { minDurationMs: options.roundMs, warmupMs: 0 }, batchSize);
      samples.get(v.name)!.push(m.iterations / (Number(m.elapsedNs) / 1e9));
    }
  }
  return new Map([...samples].map(([name, rates]) => [name, median(rates)]));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
