export {
  createMetrics,
  Metrics,
  LATENCY_SECONDS_BUCKETS,
  SIZE_BYTES_BUCKETS,
  type CreateMetricsOptions,
  type HistogramOptions,
  type MetricOptions,
} from './metrics';
export { HotCounter, HotHistogram, type CounterCell, type HistogramCell, type LabelValues } from './hot-metrics';
