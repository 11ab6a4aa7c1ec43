import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics';

/**
 * Latency buckets in seconds, 0.5 ms .. 30 s. Produce with acks=all spans a replication round
 * trip (sub-millisecond to a few ms within a region); long-poll fetches wait up to fetch.max.wait.ms
 * (default 500 ms) and request.timeout.ms defaults to 30 s, hence the long tail.
 */
export const LATENCY_SECONDS_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * Size buckets in bytes, powers of 4 from 64 B to 64 MiB: a single small record batch up to the
 * largest fetch response (fetch.max.bytes defaults to 50 MiB).
 */
export const SIZE_BYTES_BUCKETS: readonly number[] = Array.from({ length: 11 }, (_, i) => 64 * 4 ** i);

export interface CreateMetricsOptions {
  /** Added as label `service` to every default process metric. */
  readonly service: string;
  /** Collect Node process metrics (CPU, memory, event-loop lag, GC); default true. */
  readonly processMetrics?: boolean;
}

export interface MetricOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  readonly buckets?: readonly number[];
}

/**
 * One process's metrics. The registry is private to this object (never prom-client's global
 * default), so tests and in-process clusters can hold several without name clashes.
 */
export class Metrics {
  readonly registry: Registry;

  constructor(options: CreateMetricsOptions) {
    this.registry = new Registry();
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, labels: { service: options.service } });
      // Event-loop lag is measured by the collection itself and reported from a setImmediate, so
      // the very first scrape would lack the series; one collection now makes it present from the start.
      void this.registry.metrics();
    }
  }

  counter<L extends string = string>(options: MetricOptions<L>): Counter<L> {
    return new Counter<L>({ ...options, labelNames: options.labelNames ?? [], registers: [this.registry] });
  }

  gauge<L extends string = string>(options: MetricOptions<L>): Gauge<L> {
    return new Gauge<L>({ ...options, labelNames: options.labelNames ?? [], registers: [this.registry] });
  }

  histogram<L extends string = string>(options: HistogramOptions<L>): Histogram<L> {
    return new Histogram<L>({
      name: options.name,
      help: options.help,
      labelNames: options.labelNames ?? [],
      buckets: [...(options.buckets ?? LATENCY_SECONDS_BUCKETS)],
      registers: [this.registry],
    });
  }

  /** A histogram of durations in seconds; name should end in `_seconds`. */
  latencyHistogram<L extends string = string>(options: MetricOptions<L>): Histogram<L> {
    return this.histogram({ ...options, buckets: LATENCY_SECONDS_BUCKETS });
  }

  /** A histogram of sizes in bytes; name should end in `_bytes`. */
  sizeHistogram<L extends string = string>(options: MetricOptions<L>): Histogram<L> {
    return this.histogram({ ...options, buckets: SIZE_BYTES_BUCKETS });
  }

  /** A counter for per-request paths: take a cell per label set once, then inc() is a plain addition (hot-metrics.ts). */
  hotCounter<L extends string = string>(options: MetricOptions<L>): HotCounter<L> {
    return new HotCounter<L>(this.registry, { ...options, labelNames: options.labelNames ?? [] });
  }

  /** A histogram for per-request paths, with cells as hotCounter's; LATENCY_SECONDS_BUCKETS unless given. */
  hotHistogram<L extends string = string>(options: HistogramOptions<L>): HotHistogram<L> {
    return new HotHistogram<L>(this.registry, { ...options, labelNames: options.labelNames ?? [], buckets: options.buckets ?? LATENCY_SECONDS_BUCKETS });
  }

  /** Prometheus text exposition, for GET /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export function createMetrics(options: CreateMetricsOptions): Metrics {
  return new Metrics(options);
}
