// Parsers for the text Kafka's perf tools print (kafka-tools 4.x). Kept apart from the process
// handling so they can be tested against captured lines.

export interface ProducerWindow {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
}

export interface ProducerSummary extends ProducerWindow {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

const NUM = '([0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)';
const WINDOW = new RegExp(`^${NUM} records sent, ${NUM} records/sec \\(${NUM} MB/sec\\), ${NUM} ms avg latency, ${NUM} ms max latency`);
const PERCENTILES = new RegExp(`${NUM} ms 50th, ${NUM} ms 95th, ${NUM} ms 99th, ${NUM} ms 99\\.9th`);

/** A periodic or final ProducerPerformance line; undefined for anything else (warnings, logs). */
export function parseProducerLine(line: string): { window: ProducerWindow; summary?: ProducerSummary } | undefined {
  const w = WINDOW.exec(line.trim());
  if (!w) return undefined;
  const window: ProducerWindow = {
    records: Number(w[1]),
    recordsPerSec: Number(w[2]),
    mbPerSec: Number(w[3]),
    avgLatencyMs: Number(w[4]),
    maxLatencyMs: Number(w[5]),
  };
  const p = PERCENTILES.exec(line);
  if (!p) return { window };
  return { window, summary: { ...window, p50Ms: Number(p[1]), p95Ms: Number(p[2]), p99Ms: Number(p[3]), p999Ms: Number(p[4]) } };
}

export interface EndToEndSummary {
  readonly avgMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

/** EndToEndLatency prints "Avg latency: X ms" and "Percentiles: 50th = a, 99th = b, 99.9th = c". */
export function parseEndToEnd(output: string): EndToEndSummary | undefined {
  const avg = new RegExp(`Avg latency: ${NUM} ms`).exec(output);
  const p = new RegExp(`50th = ${NUM}, 99th = ${NUM}, 99\\.9th = ${NUM}`).exec(output);
  if (!avg || !p) return undefined;
  return { avgMs: Number(avg[1]), p50Ms: Number(p[1]), p99Ms: Number(p[2]), p999Ms: Number(p[3]) };
}

/** ConsumerPerformance's final line (without --show-detailed-stats, which suppresses it). */
export interface ConsumerSummary {
  readonly records: number;
  /** Value bytes read (ConsumerPerformance prints MiB; converted back to bytes here). */
  readonly bytes: number;
  /** Whole run: from the consumer's start (before it joined its group) to its last record. */
  readonly elapsedMs: number;
  /** Time spent joining the group (JoinGroup/SyncGroup until partitions are assigned). */
  readonly rebalanceMs: number;
  /** elapsedMs minus rebalanceMs: the time spent fetching. */
  readonly fetchMs: number;
  readonly recordsPerSec: number;
  /** Decimal MB (1,000,000 bytes) per second, like ProducerPerformance, so the two compare directly. */
  readonly mbPerSec: number;
  readonly fetchRecordsPerSec: number;
  readonly fetchMbPerSec: number;
}

const DATE = '(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3})';
const CONSUMER_SUMMARY = new RegExp(`^${DATE}, ${DATE}, ${NUM}, ${NUM}, (\\d+), ${NUM}, (-?\\d+), (-?\\d+), ${NUM}, ${NUM}$`);
const MIB = 1024 * 1024;

/** One ConsumerPerformance summary line ("start.time, end.time, data.consumed.in.MB, ..."); undefined for anything else. */
export function parseConsumerLine(line: string): ConsumerSummary | undefined {
  const m = CONSUMER_SUMMARY.exec(line.trim());
  if (!m) return undefined;
  const bytes = Math.round(Number(m[3]) * MIB);
  const records = Number(m[5]);
  const rebalanceMs = Number(m[7]);
  const fetchMs = Number(m[8]);
  const elapsedMs = rebalanceMs + fetchMs;
  const perSec = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : 0);
  return {
    records,
    bytes,
    elapsedMs,
    rebalanceMs,
    fetchMs,
    recordsPerSec: perSec(records, elapsedMs),
    mbPerSec: perSec(bytes / 1_000_000, elapsedMs),
    fetchRecordsPerSec: perSec(records, fetchMs),
    fetchMbPerSec: perSec(bytes / 1_000_000, fetchMs),
  };
}

/**
 * The whole output of one ConsumerPerformance run: its summary and whether it stopped early because
 * no record arrived within --timeout (it then still prints a summary of what it read).
 */
export function parseConsumerOutput(output: string): { summary?: ConsumerSummary; timedOut: boolean } {
  let summary: ConsumerSummary | undefined;
  for (const line of output.split('\n')) summary = parseConsumerLine(line) ?? summary;
  return { ...(summary ? { summary } : {}), timedOut: /Exiting before consuming the expected number of (?:messages|records)/.test(output) };
}
