import { MemoryBudget, Reservation, TenantBudgets } from './memory-budget';

describe('MemoryBudget and Reservation', () => {
  it('reserves from all budgets or none', () => {
    const connection = new MemoryBudget('c', 100);
    const tenant = new MemoryBudget('t', 150);
    const first = Reservation.tryTake([connection, tenant], 80);
    expect(first).toBeDefined();
    const other = new MemoryBudget('c2', 100);
    expect(Reservation.tryTake([other, tenant], 80)).toBeUndefined();
    expect(other.used).toBe(0);
    expect(tenant.used).toBe(80);
    first?.release();
    first?.release();
    expect([connection.used, tenant.used]).toEqual([0, 0]);
  });

  it('admits a request bigger than the budget only when the budget is idle', () => {
    const budget = new MemoryBudget('c', 10);
    const small = Reservation.tryTake([budget], 1);
    expect(Reservation.tryTake([budget], 50)).toBeUndefined();
    small?.release();
    const big = Reservation.tryTake([budget], 50);
    expect(big?.bytes).toBe(50);
    expect(Reservation.tryTake([budget], 1)).toBeUndefined();
  });

  it('tells waiters when memory is released, until they unsubscribe', () => {
    const budget = new MemoryBudget('c', 10);
    const r = Reservation.tryTake([budget], 10);
    let woken = 0;
    const stop = budget.onRelease(() => woken++);
    r?.release();
    stop();
    Reservation.tryTake([budget], 1)?.release();
    expect(woken).toBe(1);
  });

  it('rejects a release of memory never reserved and a non-positive capacity', () => {
    expect(() => new MemoryBudget('c', 10).release(1)).toThrow(/released more/);
    expect(() => new MemoryBudget('c', 0)).toThrow(RangeError);
  });

  it('gives every tenant its own budget and unauthenticated connections a shared one', () => {
    const budgets = new TenantBudgets({ tenantBytes: 100, unauthenticatedBytes: 10 });
    expect(budgets.forTenant('a')).toBe(budgets.forTenant('a'));
    expect(budgets.forTenant('a')).not.toBe(budgets.forTenant('b'));
    expect(budgets.forTenant('a').capacityBytes).toBe(100);
    expect(budgets.unauthenticated.capacityBytes).toBe(10);
  });
});
