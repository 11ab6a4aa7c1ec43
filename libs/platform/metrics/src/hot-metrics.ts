// Counters and histograms for per-request hot paths. prom-client validates and hashes the label
// object on every inc()/observe(): about 5 % of a router's CPU on the produce path
// (bench-router-overhead profile, 2026-11-30). Here a caller takes a cell for one set of label
// values once (per connection, per tenant, per RPC) and each update is a plain addition; the
// Prometheus series are brought up to date when the registry is scraped.
import { Counter, type Registry } from 'prom-client';

/** One series value as prom-client's registry renders it (its own type is not exported). */
export interface SeriesValue {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

export type LabelValues<L extends string> = Readonly<Record<L, string>>;

export interface CounterCell {
  inc(value?: number): void;
}

export interface HistogramCell {
  observe(value: number): void;
}

interface PendingCount extends CounterCell {
  readonly labels: LabelValues<string>;
  pending: number;
}

/** One key per set of label values, in label-name order (a single label is its own key). */
function keyOf<L extends string>(labelNames: readonly L[], labels: LabelValues<L>): string {
  if (labelNames.length === 1) return labels[labelNames[0] as L];
  return labelNames.map((name) => labels[name]).join('\u0001');
}

function checkLabels<L extends string>(metric: string, labelNames: readonly L[], labels: LabelValues<L>): void {
  for (const name of Object.keys(labels)) {
    if (!labelNames.includes(name as L)) throw new Error(`metric ${metric} has no label "${name}"`);
  }
  for (const name of labelNames) {
    if (typeof labels[name] !== 'string') throw new Error(`metric ${metric} needs a string value for label "${name}"`);
  }
}

/** A Prometheus counter whose cells add to plain numbers, moved into the counter at each scrape. */
export class HotCounter<L extends string = string> {
  private readonly cells = new Map<string, PendingCount>();
  private readonly counter: Counter<L>;

  constructor(
    registry: Registry,
    private readonly options: { readonly name: string; readonly help: string; readonly labelNames: readonly L[] },
  ) {
    const cells = this.cells;
    this.counter = new Counter<L>({
      name: options.name,
      help: options.help,
      labelNames: [...options.labelNames],
      registers: [registry],
      collect: () => {
        for (const cell of cells.values()) {
          if (cell.pending === 0) continue;
          this.counter.inc(cell.labels as Partial<Record<L, string>>, cell.pending);
          cell.pending = 0;
        }
      },
    });
  }

  /** The cell for these label values; keep it where the same labels are counted again. */
  cell(labels: LabelValues<L>): CounterCell {
    const key = keyOf(this.options.labelNames, labels);
    let cell = this.cells.get(key);
    if (!cell) {
      checkLabels(this.options.name, this.options.labelNames, labels);
      const created: PendingCount = {
        labels: { ...labels },
        pending: 0,
        inc(value = 1) {
          // A counter never goes down (prom-client throws); a bad value is a caller's bug, dropped here
          // rather than thrown on a request path.
          if (value > 0 && Number.isFinite(value)) created.pending += value;
        },
      };
      cell = created;
      this.cells.set(key, cell);
    }
    return cell;
  }

  /** Shorthand for cell(labels).inc(value), for paths that do not keep the cell. */
  inc(labels: LabelValues<L>, value = 1): void {
    this.cell(labels).inc(value);
  }
}

interface Buckets extends HistogramCell {
  readonly labels: LabelValues<string>;
  /** Observations per bucket, not cumulative; the last slot is above the largest bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram whose cells count into their own arrays. It is registered with the
 * registry as a metric object: the registry asks it for its values (get) and resets it, and it
 * answers with the same series a prom-client histogram has (_bucket with le, _sum, _count).
 */
export class HotHistogram<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly bounds: readonly number[];
  private readonly cells = new Map<string, Buckets>();

  constructor(
    registry: Registry,
    private readonly options: { readonly name: string; readonly help: string; readonly labelNames: readonly L[]; readonly buckets: readonly number[] },
  ) {
    this.name = options.name;
    this.help = options.help;
    const bounds = [...options.buckets].sort((a, b) => a - b);
    if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b === bounds[i - 1]))) {
      throw new Error(`histogram ${options.name} needs distinct finite bucket bounds`);
    }
    this.bounds = bounds;
    // The registry only reads name, get() and reset() of what it holds (duck typing); its
    // TypeScript signature lists prom-client's own classes.
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The cell for these label values; keep it where the same labels are observed again. */
  cell(labels: LabelValues<L>): HistogramCell {
    const key = keyOf(this.options.labelNames, labels);
    let cell = this.cells.get(key);
    if (!cell) {
      checkLabels(this.name, this.options.labelNames, labels);
      const bounds = this.bounds;
      const created: Buckets = {
        labels: { ...labels },
        counts: new Float64Array(bounds.length + 1),
        sum: 0,
        count: 0,
        observe(value: number) {
          if (!Number.isFinite(value)) return;
          let slot = 0;
          while (slot < bounds.length && value > (bounds[slot] as number)) slot += 1;
          created.counts[slot] = (created.counts[slot] as number) + 1;
          created.sum += value;
          created.count += 1;
        },
      };
      cell = created;
      this.cells.set(key, cell);
    }
    return cell;
  }

  /** Shorthand for cell(labels).observe(value). */
  observe(labels: LabelValues<L>, value: number): void {
    this.cell(labels).observe(value);
  }

  /** The series as prom-client's registry renders them. */
  async get(): Promise<{ name: string; help: string; type: 'histogram'; values: SeriesValue[]; aggregator: 'sum' }> {
    const values: SeriesValue[] = [];
    for (const cell of this.cells.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, slot) => {
        cumulative += cell.counts[slot] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { le: bound, ...cell.labels }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...cell.labels }, value: cell.count });
      values.push({ metricName: `${this.name}_sum`, labels: { ...cell.labels }, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...cell.labels }, value: cell.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** Registry.resetMetrics(): every series back to zero (cells handed out keep working). */
  reset(): void {
    for (const cell of this.cells.values()) {
      cell.counts.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }
}
