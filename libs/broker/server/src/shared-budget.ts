// A byte budget shared by every Produce (or Fetch) stream of the process. Each stream already
// has its own budget, but a router may open many streams (one per connection pool slot, and
// many routers share a broker), so per-stream limits alone would let the process buffer
// streams x budget. Above the shared limit every stream of the pool stops reading — HTTP/2 flow
// control then pushes back on the routers, which stop reading their Kafka clients — and they
// resume once the bytes in flight fall below half the limit.
export class SharedByteBudget {
  private used = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`shared byte budget must be a positive integer, got ${limit}`);
  }

  get inUse(): number {
    return this.used;
  }

  /** Whether streams should stop reading; `paused` asks with hysteresis (resume below half). */
  exhausted(paused: boolean): boolean {
    return this.used > this.limit || (paused && this.used > this.limit / 2);
  }

  reserve(bytes: number): void {
    this.used += bytes;
  }

  release(bytes: number): void {
    const before = this.used;
    this.used = Math.max(0, this.used - bytes);
    // Wake paused streams only when crossing back under the resume threshold, not on every release.
    if (before > this.limit / 2 && this.used <= this.limit / 2) for (const l of [...this.listeners]) l();
  }

  /** Called when the budget drops below the resume threshold; returns the unsubscribe function. */
  onRelief(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
