import { Metrics } from '@stratus/platform-metrics';
import { brokerCallTotals, meanCallMs } from './router-call-latency';

/** The routers' histogram as routing-metrics.ts registers it, rendered by a real registry. */
function routerHistogram(): { metrics: Metrics; observe: (rpc: string, outcome: string, seconds: number) => void } {
  const metrics = new Metrics({ service: 'router', processMetrics: false });
  const calls = metrics.hotHistogram({ name: 'stratus_router_broker_call_seconds', help: 'Router to broker calls by RPC and outcome', labelNames: ['rpc', 'outcome'] });
  return { metrics, observe: (rpc, outcome, seconds) => calls.observe({ rpc, outcome }, seconds) };
}

describe('router call latency', () => {
  it('sums only the successful calls of the asked rpc', async () => {
    const { metrics, observe } = routerHistogram();
    observe('Produce', 'ok', 0.01);
    observe('Produce', 'ok', 0.03);
    observe('Produce', 'unavailable', 5);
    observe('Fetch', 'ok', 2);
    const text = await metrics.registry.metrics();
    expect(brokerCallTotals(text, 'Produce').calls).toBe(2);
    expect(brokerCallTotals(text, 'Produce').seconds).toBeCloseTo(0.04, 9);
    expect(brokerCallTotals(text, 'Fetch')).toEqual({ seconds: 2, calls: 1 });
    expect(brokerCallTotals(text, 'ListOffsets')).toEqual({ seconds: 0, calls: 0 });
  });

  it('gives the mean of the calls made between two readings', async () => {
    const { metrics, observe } = routerHistogram();
    observe('Produce', 'ok', 1);
    const before = brokerCallTotals(await metrics.registry.metrics(), 'Produce');
    observe('Produce', 'ok', 0.002);
    observe('Produce', 'ok', 0.004);
    const after = brokerCallTotals(await metrics.registry.metrics(), 'Produce');
    expect(meanCallMs(before, after)).toBeCloseTo(3, 6);
    expect(meanCallMs(after, after)).toBeNaN();
  });

  it('ignores series of other metrics whose labels match', () => {
    const text = ['stratus_router_retried_partitions_total{rpc="Produce",outcome="ok"} 7', 'stratus_router_broker_call_seconds_count{outcome="ok",rpc="Produce"} 3', 'stratus_router_broker_call_seconds_sum{outcome="ok",rpc="Produce"} 0.3'].join('\n');
    expect(brokerCallTotals(text, 'Produce')).toEqual({ seconds: 0.3, calls: 3 });
  });
});
