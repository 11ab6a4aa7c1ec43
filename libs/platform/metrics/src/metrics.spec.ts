import { register as globalRegistry } from 'prom-client';
import { createMetrics, LATENCY_SECONDS_BUCKETS, SIZE_BYTES_BUCKETS } from './metrics';

describe('Metrics', () => {
  it('keeps a registry per instance so two processes-in-one do not clash', async () => {
    const a = createMetrics({ service: 'broker', processMetrics: false });
    const b = createMetrics({ service: 'router', processMetrics: false });
    a.counter({ name: 'stratus_requests_total', help: 'requests' }).inc(3);
    b.counter({ name: 'stratus_requests_total', help: 'requests' }).inc(5);
    expect(await a.render()).toContain('stratus_requests_total 3');
    expect(await b.render()).toContain('stratus_requests_total 5');
    expect(await globalRegistry.metrics()).not.toContain('stratus_requests_total');
  });

  it('collects default process metrics labelled with the service', async () => {
    const metrics = createMetrics({ service: 'metadata' });
    const text = await metrics.render();
    expect(text).toMatch(/process_cpu_user_seconds_total\{service="metadata"\} \d/);
    expect(text).toContain('nodejs_heap_size_used_bytes{service="metadata"}');
    expect(metrics.contentType).toContain('text/plain');
  });

  it('has event-loop lag from the first scrape on', async () => {
    const metrics = createMetrics({ service: 'router' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await metrics.render()).toMatch(/^nodejs_eventloop_lag_seconds\{service="router"\} \d/m);
  });

  it('builds latency and size histograms with the shared buckets', async () => {
    const metrics = createMetrics({ service: 'x', processMetrics: false });
    const latency = metrics.latencyHistogram({ name: 'stratus_rpc_seconds', help: 'rpc', labelNames: ['method'] });
    const size = metrics.sizeHistogram({ name: 'stratus_batch_bytes', help: 'batch' });
    latency.observe({ method: 'Append' }, 0.003);
    size.observe(1000);
    const text = await metrics.render();
    expect(text).toContain('stratus_rpc_seconds_bucket{le="0.0025",method="Append"} 0');
    expect(text).toContain('stratus_rpc_seconds_bucket{le="0.005",method="Append"} 1');
    expect(text).toContain('stratus_batch_bytes_bucket{le="1024"} 1');
    expect(text).toContain('stratus_batch_bytes_bucket{le="256"} 0');
  });

  it('offers increasing buckets covering sub-millisecond to request timeout, and 64 B to 64 MiB', () => {
    const increasing = (xs: readonly number[]) => xs.every((x, i) => i === 0 || x > (xs[i - 1] ?? 0));
    expect(increasing(LATENCY_SECONDS_BUCKETS)).toBe(true);
    expect(increasing(SIZE_BYTES_BUCKETS)).toBe(true);
    expect(LATENCY_SECONDS_BUCKETS[0]).toBeLessThan(0.001);
    expect(LATENCY_SECONDS_BUCKETS.at(-1)).toBeGreaterThanOrEqual(30);
    expect(SIZE_BYTES_BUCKETS[0]).toBe(64);
    expect(SIZE_BYTES_BUCKETS.at(-1)).toBe(64 * 1024 * 1024);
  });

  it('supports gauges', async () => {
    const metrics = createMetrics({ service: 'x', processMetrics: false });
    metrics.gauge({ name: 'stratus_connections', help: 'open connections' }).set(4);
    expect(await metrics.render()).toContain('stratus_connections 4');
  });
});
