// Memory reserved for requests in flight (Redpanda-style): a request's frame size is taken from the
// budget before its body is decoded and given back when its response has been written. When a budget
// is exhausted the connection stops reading from its socket until memory frees (TCP backpressure).

export class MemoryBudget {
  private usedBytes = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly capacityBytes: number,
  ) {
    if (!Number.isSafeInteger(capacityBytes) || capacityBytes <= 0) {
      throw new RangeError(`budget ${name}: capacity must be a positive integer, got ${capacityBytes}`);
    }
  }

  get used(): number {
    return this.usedBytes;
  }

  /**
   * Whether `bytes` fit now. A request larger than the whole budget still fits into an idle budget,
   * or it could never run; it then has the budget to itself.
   */
  canReserve(bytes: number): boolean {
    return this.usedBytes === 0 || this.usedBytes + bytes <= this.capacityBytes;
  }

  reserve(bytes: number): void {
    this.usedBytes += bytes;
  }

  release(bytes: number): void {
    this.usedBytes -= bytes;
    if (this.usedBytes < 0) throw new Error(`budget ${this.name}: released more than reserved`);
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Calls `listener` after every release until the returned function is called. */
  onRelease(listener: () => void): () => void {
    this.waiters.add(listener);
    return () => this.waiters.delete(listener);
  }
}

/** Frame bytes held by one request in several budgets at once (connection + tenant). */
export class Reservation {
  private released = false;

  private constructor(
    private readonly budgets: readonly MemoryBudget[],
    readonly bytes: number,
  ) {}

  /** Reserves from every budget, or from none when any of them is short. */
  static tryTake(budgets: readonly MemoryBudget[], bytes: number): Reservation | undefined {
    if (!budgets.every((b) => b.canReserve(bytes))) return undefined;
    for (const budget of budgets) budget.reserve(bytes);
    return new Reservation(budgets, bytes);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    for (const budget of this.budgets) budget.release(this.bytes);
  }
}

/** Per-tenant budgets, created on first use; before authentication a shared one is used. */
export class TenantBudgets {
  private readonly byTenant = new Map<string, MemoryBudget>();
  readonly unauthenticated: MemoryBudget;

  constructor(private readonly options: { readonly tenantBytes: number; readonly unauthenticatedBytes: number }) {
    this.unauthenticated = new MemoryBudget('unauthenticated', options.unauthenticatedBytes);
  }

  forTenant(tenant: string): MemoryBudget {
    let budget = this.byTenant.get(tenant);
    if (!budget) {
      budget = new MemoryBudget(`tenant:${tenant}`, this.options.tenantBytes);
      this.byTenant.set(tenant, budget);
    }
    return budget;
  }
}
