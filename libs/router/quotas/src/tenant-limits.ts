// A tenant's rate quotas as numbers, and this router's share of them.
import type { metadataV1 } from '@stratus/contracts';

/** Per-tenant rate quotas for the whole cell; an absent field means unlimited. */
export interface TenantRateLimits {
  readonly produceBytesPerSecond?: number;
  readonly fetchBytesPerSecond?: number;
  readonly requestsPerSecond?: number;
  readonly maxConnections?: number;
  readonly connectionCreationsPerSecond?: number;
}

/** The effective quotas of a tenant record (WatchTenants carries them with cell defaults filled in). */
export function rateLimitsFromProto(quotas: metadataV1.TenantQuotas | undefined): TenantRateLimits {
  if (!quotas) return {};
  const limits: { -readonly [K in keyof TenantRateLimits]: number } = {};
  if (quotas.produceBytesPerSecond !== undefined) limits.produceBytesPerSecond = Number(quotas.produceBytesPerSecond);
  if (quotas.fetchBytesPerSecond !== undefined) limits.fetchBytesPerSecond = Number(quotas.fetchBytesPerSecond);
  if (quotas.requestsPerSecond !== undefined) limits.requestsPerSecond = Number(quotas.requestsPerSecond);
  if (quotas.maxConnections !== undefined) limits.maxConnections = quotas.maxConnections;
  if (quotas.connectionCreationsPerSecond !== undefined) limits.connectionCreationsPerSecond = quotas.connectionCreationsPerSecond;
  return limits;
}

/**
 * This router's share of a cell-wide quota: the quota divided evenly over the live routers.
 * Approximation (documented in docs/router.md): it assumes a tenant's load is spread evenly over
 * the routers, so a tenant using only some of them gets less than its quota in total. Counts are
 * rounded up so a small connection limit never locks a tenant out of a router.
 */
export function routerShare(limits: TenantRateLimits, liveRouters: number): TenantRateLimits {
  const n = Math.max(1, Math.floor(liveRouters));
  if (n === 1) return limits;
  const share: { -readonly [K in keyof TenantRateLimits]: number } = {};
  if (limits.produceBytesPerSecond !== undefined) share.produceBytesPerSecond = limits.produceBytesPerSecond / n;
  if (limits.fetchBytesPerSecond !== undefined) share.fetchBytesPerSecond = limits.fetchBytesPerSecond / n;
  if (limits.requestsPerSecond !== undefined) share.requestsPerSecond = limits.requestsPerSecond / n;
  if (limits.maxConnections !== undefined) share.maxConnections = Math.ceil(limits.maxConnections / n);
  if (limits.connectionCreationsPerSecond !== undefined) share.connectionCreationsPerSecond = limits.connectionCreationsPerSecond / n;
  return share;
}

/** A map of tenant records by tenant id, as metadata-client's watchTenants keeps it. */
export interface TenantRecords {
  get(tenantId: string): { readonly quotas?: metadataV1.TenantQuotas | undefined } | undefined;
}

/**
 * limitsFor over watched tenant records: an unknown tenant has no limits (nothing enforced).
 * It is asked on every answered request, so the limits are converted once per record: a watch
 * delivers a changed tenant as a new record object, which misses this cache.
 */
export function limitsFromTenants(tenants: TenantRecords): (tenant: string) => TenantRateLimits | undefined {
  const converted = new WeakMap<object, TenantRateLimits>();
  return (tenant) => {
    const record = tenants.get(tenant);
    if (!record) return undefined;
    let limits = converted.get(record);
    if (!limits) {
      limits = rateLimitsFromProto(record.quotas);
      converted.set(record, limits);
    }
    return limits;
  };
}
