export { RouterQuotas, type RouterQuotasOptions, type RequestUsage, type ConnectionAdmission } from './router-quotas';
export { rateLimitsFromProto, routerShare, type TenantRateLimits } from './tenant-limits';
export { SampledRate, throttleTimeMs, DEFAULT_SAMPLE_WINDOW, type SampleWindow } from './sampled-rate';
