// Per-tenant rate quotas enforced in one router (KIP-13 bandwidth, KIP-124 request rate, KIP-612
// connection creation rate), shaped as the Kafka listener's QuotaPolicy hook: the listener reports
// each answered request and each authenticated connection, and applies the throttle it is given
// (throttle_time_ms in the response, then the connection muted, KIP-219).
import { DEFAULT_SAMPLE_WINDOW, SampledRate, throttleTimeMs, type SampleWindow } from './sampled-rate';
import { routerShare, type TenantRateLimits } from './tenant-limits';

const PRODUCE = 0;
const FETCH = 1;
/** Requests that never count against the request-rate quota (needed to connect or authenticate). */
const EXEMPT_FROM_REQUEST_QUOTA = new Set([17, 18, 36]);

export interface RouterQuotasOptions {
  /** The tenant's cell-wide quotas; undefined = unknown tenant, nothing enforced. */
  readonly limitsFor: (tenant: string) => TenantRateLimits | undefined;
  /** Live routers sharing each tenant's quota (the cluster view's routers().length). */
  readonly liveRouters: () => number;
  readonly window?: SampleWindow;
  /** Injected clock (ms); default Date.now. */
  readonly now?: () => number;
}

export interface RequestUsage {
  readonly tenant: string;
  readonly apiKey: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

export type ConnectionAdmission =
  | { readonly kind: 'admit'; readonly delayMs: number; release(): void }
  | { readonly kind: 'refuse'; readonly reason: string };

interface TenantMeters {
  readonly produce: SampledRate;
  readonly fetch: SampledRate;
  readonly requests: SampledRate;
  readonly connectionCreations: SampledRate;
  connections: number;
}

export class RouterQuotas {
  private readonly window: SampleWindow;
  private readonly now: () => number;
  private readonly meters = new Map<string, TenantMeters>();
  private readonly shares = new Map<string, { readonly limits: TenantRateLimits; readonly routers: number; readonly share: TenantRateLimits }>();

  constructor(private readonly options: RouterQuotasOptions) {
    this.window = options.window ?? DEFAULT_SAMPLE_WINDOW;
    this.now = options.now ?? Date.now;
  }

  /**
   * This router's share of the tenant's quotas right now. Asked on every answered request, so the
   * share is kept while the tenant's limits (the same object from limitsFor) and the number of
   * live routers stay the same.
   */
  limits(tenant: string): TenantRateLimits | undefined {
    const limits = this.options.limitsFor(tenant);
    if (!limits) return undefined;
    const routers = this.options.liveRouters();
    const kept = this.shares.get(tenant);
    if (kept && kept.limits === limits && kept.routers === routers) return kept.share;
    const share = routerShare(limits, routers);
    this.shares.set(tenant, { limits, routers, share });
    return share;
  }

  /**
   * Records one answered request and returns how long the client must be throttled, in ms.
   * Like Kafka, usage is recorded even when over quota, and the throttle is the largest of the
   * bandwidth and request-rate throttles that apply.
   */
  recordRequest(usage: RequestUsage): number {
    const limits = this.limits(usage.tenant);
    if (!limits) return 0;
    const nowMs = this.now();
    const m = this.metersFor(usage.tenant, nowMs);
    let throttle = 0;
    if (usage.apiKey === PRODUCE) throttle = Math.max(throttle, this.recordOn(m.produce, usage.requestBytes, limits.produceBytesPerSecond, nowMs));
    if (usage.apiKey === FETCH) throttle = Math.max(throttle, this.recordOn(m.fetch, usage.responseBytes, limits.fetchBytesPerSecond, nowMs));
    if (!EXEMPT_FROM_REQUEST_QUOTA.has(usage.apiKey)) throttle = Math.max(throttle, this.recordOn(m.requests, 1, limits.requestsPerSecond, nowMs));
    return throttle;
  }

  /**
   * A connection of `tenant` finished authenticating. Over the connection count the router
   * refuses it (Kafka closes connections beyond max.connections); over the creation rate it is
   * admitted after a delay (KIP-612 delays rather than refuses).
   */
  admitConnection(tenant: string): ConnectionAdmission {
    const limits = this.limits(tenant);
    const nowMs = this.now();
    const m = this.metersFor(tenant, nowMs);
    if (limits?.maxConnections !== undefined && m.connections >= limits.maxConnections) {
      return { kind: 'refuse', reason: `tenant connection limit of ${limits.maxConnections} on this router reached` };
    }
    const delayMs = this.recordOn(m.connectionCreations, 1, limits?.connectionCreationsPerSecond, nowMs);
    m.connections += 1;
    let released = false;
    return {
      kind: 'admit',
      delayMs,
      release: () => {
        if (released) return;
        released = true;
        m.connections -= 1;
      },
    };
  }

  /** Measured rates of a tenant on this router (per second), for metrics and tests. */
  rates(tenant: string): { produceBytes: number; fetchBytes: number; requests: number; connections: number } {
    const nowMs = this.now();
    const m = this.metersFor(tenant, nowMs);
    return {
      produceBytes: m.produce.ratePerSecond(nowMs),
      fetchBytes: m.fetch.ratePerSecond(nowMs),
      requests: m.requests.ratePerSecond(nowMs),
      connections: m.connections,
    };
  }

  private recordOn(rate: SampledRate, value: number, quota: number | undefined, nowMs: number): number {
    rate.record(value, nowMs);
    if (quota === undefined) return 0;
    return throttleTimeMs({
      ratePerSecond: rate.ratePerSecond(nowMs),
      quotaPerSecond: quota,
      windowMs: rate.windowMs(nowMs),
      maxMs: this.window.samples * this.window.sampleMs,
    });
  }

  private metersFor(tenant: string, nowMs: number): TenantMeters {
    let m = this.meters.get(tenant);
    if (!m) {
      m = {
        produce: new SampledRate(this.window, nowMs),
        fetch: new SampledRate(this.window, nowMs),
        requests: new SampledRate(this.window, nowMs),
        connectionCreations: new SampledRate(this.window, nowMs),
        connections: 0,
      };
      this.meters.set(tenant, m);
    }
    return m;
  }
}

