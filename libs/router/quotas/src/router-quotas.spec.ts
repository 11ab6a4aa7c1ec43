import { RouterQuotas } from './router-quotas';
import { limitsFromTenants, rateLimitsFromProto, routerShare, type TenantRateLimits } from './tenant-limits';

function setup(limits: Record<string, TenantRateLimits>, routers = 1) {
  let now = 1_000_000;
  let liveRouters = routers;
  const quotas = new RouterQuotas({
    limitsFor: (t) => limits[t],
    liveRouters: () => liveRouters,
    window: { samples: 11, sampleMs: 1000 },
    now: () => now,
  });
  return {
    quotas,
    advance: (ms: number) => (now += ms),
    setRouters: (n: number) => (liveRouters = n),
  };
}

/** Produces `bytes` per request as fast as the throttle allows for `durationMs`; returns bytes/s achieved. */
function produceObeyingThrottle(env: ReturnType<typeof setup>, tenant: string, bytes: number, durationMs: number): number {
  let sent = 0;
  let elapsed = 0;
  while (elapsed < durationMs) {
    const throttle = env.quotas.recordRequest({ tenant, apiKey: 0, requestBytes: bytes, responseBytes: 50 });
    sent += bytes;
    // A client sends the next request 10 ms later, or after the throttle (KIP-219 muted channel).
    const wait = Math.max(10, throttle);
    env.advance(wait);
    elapsed += wait;
  }
  return (sent * 1000) / elapsed;
}

describe('RouterQuotas', () => {
  it('throttles produce bytes over the quota and a client obeying the throttle converges to it', () => {
    const env = setup({ a: { produceBytesPerSecond: 100_000 } });
    const achieved = produceObeyingThrottle(env, 'a', 10_000, 120_000);
    // Unthrottled this would be 1 MB/s; obeying the throttle it settles near the quota.
    expect(achieved).toBeGreaterThan(80_000);
    expect(achieved).toBeLessThan(125_000);
  });

  it('returns the KIP-13 throttle time for the first request over the quota', () => {
    const env = setup({ a: { produceBytesPerSecond: 1000 } });
    // 20 000 bytes at once over the minimum 10 s window = 2000 B/s, twice the quota.
    expect(env.quotas.recordRequest({ tenant: 'a', apiKey: 0, requestBytes: 20_000, responseBytes: 0 })).toBe(10_000);
  });

  it('counts fetch response bytes, not request bytes', () => {
    const env = setup({ a: { fetchBytesPerSecond: 1000 } });
    expect(env.quotas.recordRequest({ tenant: 'a', apiKey: 1, requestBytes: 1_000_000, responseBytes: 100 })).toBe(0);
    expect(env.quotas.recordRequest({ tenant: 'a', apiKey: 1, requestBytes: 100, responseBytes: 30_000 })).toBeGreaterThan(0);
    // Produce bytes do not count against the fetch quota.
    expect(env.quotas.rates('a').produceBytes).toBe(0);
  });

  it('limits the request rate, exempting the SASL and ApiVersions requests', () => {
    const env = setup({ a: { requestsPerSecond: 1 } });
    for (let i = 0; i < 50; i++) expect(env.quotas.recordRequest({ tenant: 'a', apiKey: 18, requestBytes: 10, responseBytes: 10 })).toBe(0);
    let throttle = 0;
    for (let i = 0; i < 20; i++) throttle = env.quotas.recordRequest({ tenant: 'a', apiKey: 3, requestBytes: 10, responseBytes: 10 });
    // 20 requests over the 10 s minimum window = 2/s against 1/s: 10 s.
    expect(throttle).toBe(10_000);
  });

  it('keeps tenants apart and enforces nothing for a tenant without quotas', () => {
    const env = setup({ a: { produceBytesPerSecond: 10 }, b: {} });
    expect(env.quotas.recordRequest({ tenant: 'a', apiKey: 0, requestBytes: 10_000, responseBytes: 0 })).toBeGreaterThan(0);
    expect(env.quotas.recordRequest({ tenant: 'b', apiKey: 0, requestBytes: 10_000_000, responseBytes: 0 })).toBe(0);
    expect(env.quotas.recordRequest({ tenant: 'unknown', apiKey: 0, requestBytes: 10_000_000, responseBytes: 0 })).toBe(0);
  });

  it('divides the quota by the live routers, following membership changes', () => {
    const env = setup({ a: { produceBytesPerSecond: 4000, maxConnections: 5 } }, 4);
    expect(env.quotas.limits('a')).toEqual({ produceBytesPerSecond: 1000, maxConnections: 2 });
    // 15 000 bytes over 10 s = 1500 B/s: over a quarter of the quota, under a half.
    expect(env.quotas.recordRequest({ tenant: 'a', apiKey: 0, requestBytes: 15_000, responseBytes: 0 })).toBe(5000);
    env.setRouters(2);
    expect(env.quotas.recordRequest({ tenant: 'a', apiKey: 0, requestBytes: 1, responseBytes: 0 })).toBe(0);
  });

  it('refuses connections beyond the limit and admits again once one closes', () => {
    const env = setup({ a: { maxConnections: 2 } });
    const first = env.quotas.admitConnection('a');
    const second = env.quotas.admitConnection('a');
    expect(first.kind).toBe('admit');
    expect(second.kind).toBe('admit');
    expect(env.quotas.admitConnection('a')).toEqual({ kind: 'refuse', reason: expect.stringContaining('limit of 2') });
    if (first.kind === 'admit') {
      first.release();
      first.release();
    }
    expect(env.quotas.rates('a').connections).toBe(1);
    expect(env.quotas.admitConnection('a').kind).toBe('admit');
    expect(env.quotas.admitConnection('a').kind).toBe('refuse');
  });

  it('delays connections over the creation rate instead of refusing them (KIP-612)', () => {
    const env = setup({ a: { connectionCreationsPerSecond: 1 } });
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const admission = env.quotas.admitConnection('a');
      if (admission.kind !== 'admit') throw new Error('refused');
      delays.push(admission.delayMs);
    }
    expect(delays.slice(0, 10).every((d) => d === 0)).toBe(true);
    // 12 connections over 10 s against 1/s.
    expect(delays[11]).toBe(2000);
  });
});

describe('tenant limits', () => {
  it('reads the effective quotas of a tenant record, absent fields unlimited', () => {
    expect(rateLimitsFromProto({ produceBytesPerSecond: 1_048_576n, maxConnections: 10, maxPartitions: 5 })).toEqual({
      produceBytesPerSecond: 1_048_576,
      maxConnections: 10,
    });
    expect(rateLimitsFromProto(undefined)).toEqual({});
  });

  it('shares a quota over at least one router and rounds connection counts up', () => {
    expect(routerShare({ requestsPerSecond: 90, maxConnections: 1 }, 3)).toEqual({ requestsPerSecond: 30, maxConnections: 1 });
    expect(routerShare({ fetchBytesPerSecond: 90 }, 0)).toEqual({ fetchBytesPerSecond: 90 });
  });

  it('looks tenants up in watched records', () => {
    const records = new Map([['t-1', { quotas: { fetchBytesPerSecond: 5n } }]]);
    const limitsFor = limitsFromTenants(records);
    expect(limitsFor('t-1')).toEqual({ fetchBytesPerSecond: 5 });
    expect(limitsFor('t-2')).toBeUndefined();
  });

  it('follows a changed tenant record (a watch delivers it as a new object)', () => {
    const records = new Map([['t-1', { quotas: { produceBytesPerSecond: 100n } }]]);
    const limitsFor = limitsFromTenants(records);
    const first = limitsFor('t-1');
    expect(limitsFor('t-1')).toBe(first);
    records.set('t-1', { quotas: { produceBytesPerSecond: 300n } });
    expect(limitsFor('t-1')).toEqual({ produceBytesPerSecond: 300 });
    records.delete('t-1');
    expect(limitsFor('t-1')).toBeUndefined();
  });

  it("gives a router the share of a tenant's changed quota at once", () => {
    const records = new Map([['t-1', { quotas: { produceBytesPerSecond: 3000n } }]]);
    let routers = 3;
    const quotas = new RouterQuotas({ limitsFor: limitsFromTenants(records), liveRouters: () => routers });
    expect(quotas.limits('t-1')).toEqual({ produceBytesPerSecond: 1000 });
    records.set('t-1', { quotas: { produceBytesPerSecond: 6000n } });
    expect(quotas.limits('t-1')).toEqual({ produceBytesPerSecond: 2000 });
    routers = 2;
    expect(quotas.limits('t-1')).toEqual({ produceBytesPerSecond: 3000 });
    records.delete('t-1');
    expect(quotas.limits('t-1')).toBeUndefined();
  });
});
