// The narrow hook through which the listener enforces per-tenant quotas (implemented by
// @stratus/router-quotas). The connection reports usage and applies what it is told: KIP-219 says
// answer at once with throttle_time_ms set, then stop reading the connection for that long.
import type { TenantId } from '../types';

export type ConnectionAdmission =
  | { readonly kind: 'admit'; /** KIP-612: over the creation rate the connection waits, it is not refused. */ readonly delayMs: number; release(): void }
  | { readonly kind: 'refuse'; readonly reason: string };

export interface QuotaPolicy {
  /**
   * One authenticated request was answered (responseBytes 0 when it gets no response, acks=0).
   * Returns the throttle time in ms (0 = within quota).
   */
  recordRequest(usage: { tenant: TenantId; apiKey: number; requestBytes: number; responseBytes: number }): number;
  /** A connection finished authenticating; `release` is called once when it closes. */
  admitConnection(tenant: TenantId): ConnectionAdmission;
}

/**
 * The response with throttle_time_ms raised to `throttleMs`. Every Kafka response type that can
 * carry a throttle names the field throttleTimeMs in our generated shapes; a type without it (or a
 * version before it existed, which the encoder skips) is answered unchanged and only muted.
 */
export function withThrottle(response: unknown, throttleMs: number): unknown {
  if (typeof response !== 'object' || response === null || !('throttleTimeMs' in response)) return response;
  const current = (response as { throttleTimeMs: unknown }).throttleTimeMs;
  if (typeof current !== 'number' || current >= throttleMs) return response;
  return { ...response, throttleTimeMs: throttleMs };
}
