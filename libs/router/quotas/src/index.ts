export { RouterQuotas, type RouterQuotasOptions, type RequestUsage, type ConnectionAdmission } from './router-quotas';
export { limitsFromTenants, rateLimitsFromProto, routerShare, type TenantRateLimits, type TenantRecords } from './tenant-limits';
export { SampledRate, throttleTimeMs, DEFAULT_SAMPLE_WINDOW, type SampleWindow } from './sampled-rate';
