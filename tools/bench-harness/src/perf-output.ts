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
