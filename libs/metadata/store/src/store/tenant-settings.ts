// Quotas and limits of a tenant: the operator's explicit settings, the defaults that fill the
// gaps, and the validation both CreateTenant and UpdateTenant/SetQuotas apply.
import { fail, ok, type Result } from '@stratus/metadata-model';
import type { Tenant, TenantLimits, TenantQuotaSettings, TenantQuotas } from './types';

export const DEFAULT_QUOTAS: Required<TenantQuotas> = {
  produceBytesPerSecond: 10 * 1024 * 1024,
  fetchBytesPerSecond: 30 * 1024 * 1024,
  requestsPerSecond: 1000,
  maxConnections: 1000,
  connectionsPerSecond: 100,
  storageBytes: 100 * 1024 ** 3,
  partitionMutationsPerSecond: 100,
};
export const DEFAULT_LIMITS: TenantLimits = { maxPartitions: 1000, maxTopics: 500 };

const QUOTA_KEYS = Object.keys(DEFAULT_QUOTAS) as (keyof TenantQuotas)[];
const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof TenantLimits)[];
export const SETTING_KEYS: readonly (keyof TenantQuotaSettings)[] = [...QUOTA_KEYS, ...LIMIT_KEYS];

/** Effective quotas and limits for explicit settings: every absent field takes its default. */
export function resolveSettings(settings: TenantQuotaSettings): Result<{ quotas: Required<TenantQuotas>; limits: TenantLimits; configured: TenantQuotaSettings }> {
  const configured: Record<string, number> = {};
  for (const [key, value] of Object.entries(settings) as [string, unknown][]) {
    if (value === undefined) continue;
    if (!(SETTING_KEYS as readonly string[]).includes(key)) return fail('INVALID_REQUEST', `Unknown quota or limit ${key}`);
    // An explicit 0 is meaningful ("nothing allowed"), so only negatives and non-integers fail.
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      return fail('INVALID_REQUEST', `Quota ${key} must be a non-negative integer, got ${String(value)}`);
    }
    configured[key] = value;
  }
  const merged = { ...DEFAULT_QUOTAS, ...DEFAULT_LIMITS, ...configured };
  const pick = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, merged[k as keyof typeof merged]])) as Record<K, number>;
  return ok({ quotas: pick(QUOTA_KEYS) as Required<TenantQuotas>, limits: pick(LIMIT_KEYS) as TenantLimits, configured });
}

/** Quotas in force for a stored tenant, tolerating records written before a field existed. */
export function effectiveQuotas(t: Tenant): Required<TenantQuotas> {
  return { ...DEFAULT_QUOTAS, ...t.quotas } as Required<TenantQuotas>;
}

/** The operator's explicit settings; records older than `configured` report none. */
export function configuredSettings(t: Tenant): TenantQuotaSettings {
  return t.configured ?? {};
}
