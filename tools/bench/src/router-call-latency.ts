// Where a request's time goes on the router path (issue 8: router overhead). The routers time every
// call they make to a broker (stratus_router_broker_call_seconds, by rpc and outcome); the load
// generator times the whole request. Their difference is the time the request spent in the router
// itself: reading and decoding the Kafka frame, quotas, translation, and writing the answer. It is
// measured inside one window, so unlike the throughput ratio it does not depend on the servers
// running as fast in the router's window as in the brokers-alone window.
const CALL_SECONDS = 'stratus_router_broker_call_seconds';

/** Sum and count of the routers' successful broker calls of one rpc, so far. */
export interface CallTotals {
  readonly seconds: number;
  readonly calls: number;
}

/** The `_sum` and `_count` series of stratus_router_broker_call_seconds{rpc, outcome="ok"} in Prometheus text. */
export function brokerCallTotals(metricsText: string, rpc: string): CallTotals {
  let seconds = 0;
  let calls = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(CALL_SECONDS)) continue;
    const labels = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    if (!labels.split(',').includes(`rpc="${rpc}"`) || !labels.split(',').includes('outcome="ok"')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!Number.isFinite(value)) continue;
    if (line.startsWith(`${CALL_SECONDS}_sum{`)) seconds += value;
    else if (line.startsWith(`${CALL_SECONDS}_count{`)) calls += value;
  }
  return { seconds, calls };
}

/** Mean milliseconds of the calls made between two readings; NaN when there were none. */
export function meanCallMs(before: CallTotals, after: CallTotals): number {
  const calls = after.calls - before.calls;
  return calls > 0 ? ((after.seconds - before.seconds) / calls) * 1000 : Number.NaN;
}

/** The admin URLs (…/metrics is served there) of the routers among a local cluster's services. */
export function routerAdminUrls(services: ReadonlyArray<{ readonly app: string; readonly admin?: string }>): string[] {
  return services.flatMap((s) => (s.app === 'router' && s.admin !== undefined ? [s.admin] : []));
}

/** The routers' broker-call totals for `rpc`, summed over every router. */
export async function readRouterCallTotals(adminUrls: readonly string[], rpc: string): Promise<CallTotals> {
  const readings = await Promise.all(
    adminUrls.map(async (url) => {
      const response = await fetch(`${url}/metrics`);
      if (!response.ok) throw new Error(`${url}/metrics answered ${response.status}`);
      return brokerCallTotals(await response.text(), rpc);
    }),
  );
  return { seconds: readings.reduce((a, r) => a + r.seconds, 0), calls: readings.reduce((a, r) => a + r.calls, 0) };
}
