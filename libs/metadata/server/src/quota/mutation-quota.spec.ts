import { MutationQuotas } from './mutation-quota';

describe('MutationQuotas (KIP-599 token bucket)', () => {
  let now = 1_000_000;
  const quotas = new MutationQuotas({ now: () => now });

  it('starts full with a burst of 11 s of rate, and lets the mutation that crosses zero through', () => {
    const q = quotas.forTenant('t1', 2); // burst 22
    expect(q.exceeded()).toBe(false);
    q.record(20);
    expect(q.exceeded()).toBe(false);
    expect(q.throttleTimeMs()).toBe(0);
    q.record(6); // 22 - 26 = -4 tokens: allowed once, now over
    expect(q.exceeded()).toBe(true);
    expect(q.throttleTimeMs()).toBe(2000); // 4 tokens at 2/s
  });

  it('refills at the rate and is within quota again after the throttle time', () => {
    const q = quotas.forTenant('t1', 2);
    now += 1000;
    expect(q.throttleTimeMs()).toBe(1000);
    now += 1000;
    expect(q.exceeded()).toBe(false);
    expect(q.throttleTimeMs()).toBe(0);
  });

  it('never refills beyond the burst', () => {
    now += 3_600_000;
    const q = quotas.forTenant('t1', 2);
    q.record(22);
    expect(q.exceeded()).toBe(false);
    q.record(1);
    expect(q.exceeded()).toBe(true);
    expect(q.throttleTimeMs()).toBe(500);
  });

  it('keeps tenants apart and tracks nothing without a rate', () => {
    const other = quotas.forTenant('t2', 2);
    expect(other.exceeded()).toBe(false);
    const unlimited = quotas.forTenant('t3', undefined);
    unlimited.record(1_000_000);
    expect(unlimited.exceeded()).toBe(false);
    expect(unlimited.throttleTimeMs()).toBe(0);
  });

  it('treats a rate of 0 as nothing allowed', () => {
    const q = quotas.forTenant('t4', 0);
    expect(q.exceeded()).toBe(true);
    expect(q.throttleTimeMs()).toBeGreaterThan(0);
  });

  it('follows a rate change: a lower rate shrinks the burst at once', () => {
    now += 3_600_000;
    const q = quotas.forTenant('t5', 10); // 110 tokens
    expect(q.exceeded()).toBe(false);
    const lower = quotas.forTenant('t5', 1); // capped at 11
    lower.record(12);
    expect(lower.exceeded()).toBe(true);
    expect(lower.throttleTimeMs()).toBe(1000);
  });
});
