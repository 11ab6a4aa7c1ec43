import { Histogram } from 'prom-client';
import { createMetrics } from './metrics';

describe('hot metrics', () => {
  describe('HotCounter', () => {
    it('renders what its cells counted, per label set', async () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      const bytes = metrics.hotCounter({ name: 'stratus_bytes_total', help: 'bytes', labelNames: ['tenant'] });
      const a = bytes.cell({ tenant: 'a' });
      a.inc(100);
      a.inc(20);
      bytes.inc({ tenant: 'b' });
      expect(bytes.cell({ tenant: 'a' })).toBe(a);
      const text = await metrics.render();
      expect(text).toContain('# TYPE stratus_bytes_total counter');
      expect(text).toContain('stratus_bytes_total{tenant="a"} 120');
      expect(text).toContain('stratus_bytes_total{tenant="b"} 1');
    });

    it('keeps counting across scrapes without counting anything twice', async () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      const requests = metrics.hotCounter({ name: 'stratus_requests_total', help: 'requests', labelNames: ['api', 'outcome'] });
      const cell = requests.cell({ api: 'Produce', outcome: 'ok' });
      cell.inc();
      expect(await metrics.render()).toContain('stratus_requests_total{api="Produce",outcome="ok"} 1');
      expect(await metrics.render()).toContain('stratus_requests_total{api="Produce",outcome="ok"} 1');
      cell.inc(2);
      expect(await metrics.render()).toContain('stratus_requests_total{api="Produce",outcome="ok"} 3');
      expect(requests.cell({ api: 'Produce', outcome: 'error' })).not.toBe(cell);
    });

    it('ignores decrements and non-finite values instead of throwing on a request path', async () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      const counter = metrics.hotCounter({ name: 'stratus_things_total', help: 'things', labelNames: ['kind'] });
      const cell = counter.cell({ kind: 'k' });
      cell.inc(5);
      cell.inc(-3);
      cell.inc(Number.NaN);
      cell.inc(Number.POSITIVE_INFINITY);
      expect(await metrics.render()).toContain('stratus_things_total{kind="k"} 5');
    });

    it('refuses label names it was not declared with, and missing labels', () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      const counter = metrics.hotCounter({ name: 'stratus_a_total', help: 'a', labelNames: ['tenant'] });
      expect(() => counter.cell({ tenant: 't', api: 'x' } as never)).toThrow(/no label "api"/);
      const two = metrics.hotCounter({ name: 'stratus_b_total', help: 'b', labelNames: ['a', 'b'] });
      expect(() => two.cell({ a: 'x' } as never)).toThrow(/label "b"/);
    });
  });

  describe('HotHistogram', () => {
    it('renders the same series as a prom-client histogram fed the same values', async () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      const hot = metrics.hotHistogram({ name: 'stratus_hot_seconds', help: 'hot', labelNames: ['rpc', 'outcome'] });
      const reference = new Histogram({ name: 'stratus_reference_seconds', help: 'reference', labelNames: ['rpc', 'outcome'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [] });
      const values = [0, 0.0005, 0.0007, 0.003, 0.003, 0.2, 1, 29, 31, 1000];
      const cell = hot.cell({ rpc: 'Produce', outcome: 'ok' });
      for (const v of values) {
        cell.observe(v);
        reference.observe({ rpc: 'Produce', outcome: 'ok' }, v);
      }
      const text = await metrics.render();
      const expected = (await reference.get()).values.map((v) => {
        const suffix = (v.metricName ?? '').replace('stratus_reference_seconds', '');
        return { suffix, labels: v.labels, value: v.value };
      });
      const got = (await hot.get()).values.map((v) => ({ suffix: v.metricName.replace('stratus_hot_seconds', ''), labels: v.labels, value: v.value }));
      expect(got.map((g) => [g.suffix, String(g.labels['le'] ?? ''), g.value])).toEqual(expected.map((e) => [e.suffix, String((e.labels as Record<string, unknown>)['le'] ?? ''), e.value]));
      expect(text).toContain('# TYPE stratus_hot_seconds histogram');
      expect(text).toMatch(/stratus_hot_seconds_bucket\{le="0.0005",rpc="Produce",outcome="ok"\} 2/);
      expect(text).toMatch(/stratus_hot_seconds_bucket\{le="\+Inf",rpc="Produce",outcome="ok"\} 10/);
      expect(text).toMatch(/stratus_hot_seconds_count\{rpc="Produce",outcome="ok"\} 10/);
      expect(text).toMatch(/stratus_hot_seconds_sum\{rpc="Produce",outcome="ok"\} 1061.2072/);
    });

    it('takes custom buckets and keeps label sets apart', async () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      const sizes = metrics.hotHistogram({ name: 'stratus_sizes', help: 'sizes', labelNames: ['api'], buckets: [4, 1, 16] });
      sizes.observe({ api: 'Produce' }, 3);
      sizes.observe({ api: 'Fetch' }, 20);
      const text = await metrics.render();
      expect(text).toContain('stratus_sizes_bucket{le="1",api="Produce"} 0');
      expect(text).toContain('stratus_sizes_bucket{le="4",api="Produce"} 1');
      expect(text).toContain('stratus_sizes_bucket{le="16",api="Fetch"} 0');
      expect(text).toContain('stratus_sizes_bucket{le="+Inf",api="Fetch"} 1');
    });

    it('is reset with the registry, and cells handed out keep counting', async () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      const hist = metrics.hotHistogram({ name: 'stratus_h_seconds', help: 'h', labelNames: ['rpc'] });
      const cell = hist.cell({ rpc: 'Fetch' });
      cell.observe(0.01);
      metrics.registry.resetMetrics();
      expect(await metrics.render()).toContain('stratus_h_seconds_count{rpc="Fetch"} 0');
      cell.observe(0.02);
      expect(await metrics.render()).toContain('stratus_h_seconds_count{rpc="Fetch"} 1');
      expect((await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'stratus_h_seconds')?.values).toHaveLength(18);
    });

    it('refuses buckets it cannot render', () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      expect(() => metrics.hotHistogram({ name: 'stratus_none', help: 'none', buckets: [] })).toThrow(/bucket/);
      expect(() => metrics.hotHistogram({ name: 'stratus_dup', help: 'dup', buckets: [1, 1] })).toThrow(/bucket/);
      expect(() => metrics.hotHistogram({ name: 'stratus_inf', help: 'inf', buckets: [1, Number.POSITIVE_INFINITY] })).toThrow(/bucket/);
    });

    it('ignores non-finite observations', async () => {
      const metrics = createMetrics({ service: 'x', processMetrics: false });
      const hist = metrics.hotHistogram({ name: 'stratus_nf_seconds', help: 'nf' });
      hist.observe({}, Number.NaN);
      hist.observe({}, 0.001);
      expect(await metrics.render()).toContain('stratus_nf_seconds_count 1');
    });
  });
});
