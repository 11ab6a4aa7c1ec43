// The storage health manager (issue 5 item 5): every disk operation is timed while in flight.
// When the oldest in-flight operation is older than the stall threshold the node reports not
// ready, so callers route around it; when the stall lasts past fatalAfterMs it calls onFatal,
// which the app maps to a process exit so the supervisor (Kubernetes) restarts the node. A node
// that stays degraded is then replaced in its replica sets by the controller (ARCHITECTURE.md).
import { silentLog, systemClock, type Clock, type LogSink } from './types';

export interface StorageHealthOptions {
  /** An operation in flight longer than this makes the node not ready. */
  readonly stallThresholdMs: number;
  /** A stall that lasts this long (from when it was detected) is fatal. */
  readonly fatalAfterMs: number;
  /** How often the timer re-evaluates (start() only; tests call check()). */
  readonly checkIntervalMs: number;
  readonly onFatal: (reason: string) => void;
  readonly onReadinessChange?: (ready: boolean, reason: string) => void;
  /** Per-operation latency observer (the app feeds a Prometheus histogram with it). */
  readonly onOperation?: (op: string, durationMs: number, ok: boolean) => void;
  readonly clock?: Clock;
  readonly log?: LogSink;
}

export interface OperationStats {
  count: number;
  errors: number;
  totalMs: number;
  maxMs: number;
}

export interface StorageHealthSnapshot {
  readonly ready: boolean;
  readonly inFlight: number;
  readonly oldestInFlightMs: number;
  /** How long the current stall has lasted, 0 when not stalled. */
  readonly stalledForMs: number;
  readonly operations: Readonly<Record<string, Readonly<OperationStats>>>;
}

export class StorageHealthManager {
  private readonly inFlight = new Map<number, { op: string; startedAt: number }>();
  private readonly stats = new Map<string, OperationStats>();
  private nextId = 0;
  private stalledSince: number | undefined;
  private ready = true;
  private fatalCalled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: Clock;
  private readonly log: LogSink;

  constructor(private readonly options: StorageHealthOptions) {
    if (!(options.stallThresholdMs > 0) || !(options.fatalAfterMs > 0) || !(options.checkIntervalMs > 0)) {
      throw new RangeError('stallThresholdMs, fatalAfterMs and checkIntervalMs must be positive');
    }
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLog;
  }

  /** Runs `task` as a timed disk operation. */
  async track<T>(op: string, task: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    const startedAt = this.clock.now();
    this.inFlight.set(id, { op, startedAt });
    let ok = false;
    try {
      const result = await task();
      ok = true;
      return result;
    } finally {
      this.inFlight.delete(id);
      const ms = this.clock.now() - startedAt;
      const s = this.stats.get(op) ?? { count: 0, errors: 0, totalMs: 0, maxMs: 0 };
      s.count++;
      if (!ok) s.errors++;
      s.totalMs += ms;
      s.maxMs = Math.max(s.maxMs, ms);
      this.stats.set(op, s);
      this.options.onOperation?.(op, ms, ok);
    }
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Re-evaluates readiness from the in-flight operations; called by the timer. */
  check(): void {
    const now = this.clock.now();
    let oldest: { op: string; startedAt: number } | undefined;
    for (const entry of this.inFlight.values()) if (!oldest || entry.startedAt < oldest.startedAt) oldest = entry;
    const age = oldest ? now - oldest.startedAt : 0;
    if (oldest && age > this.options.stallThresholdMs) {
      if (this.stalledSince === undefined) {
        this.stalledSince = now;
        this.setReady(false, `disk operation ${oldest.op} in flight for ${age} ms (threshold ${this.options.stallThresholdMs} ms)`);
      }
      const stalledFor = now - this.stalledSince;
      if (stalledFor >= this.options.fatalAfterMs && !this.fatalCalled) {
        this.fatalCalled = true;
        const reason = `storage stalled for ${stalledFor} ms (oldest operation ${oldest.op}, ${age} ms): restarting`;
        this.log.error({ op: oldest.op, ageMs: age, stalledForMs: stalledFor }, reason);
        this.options.onFatal(reason);
      }
    } else if (this.stalledSince !== undefined) {
      this.stalledSince = undefined;
      this.setReady(true, 'disk operations progress again');
    }
  }

  private setReady(ready: boolean, reason: string): void {
    if (this.ready === ready) return;
    this.ready = ready;
    (ready ? this.log.warn.bind(this.log) : this.log.error.bind(this.log))({ ready }, `storage readiness: ${reason}`);
    this.options.onReadinessChange?.(ready, reason);
  }

  snapshot(): StorageHealthSnapshot {
    const now = this.clock.now();
    let oldest = 0;
    for (const e of this.inFlight.values()) oldest = Math.max(oldest, now - e.startedAt);
    const operations: Record<string, OperationStats> = {};
    for (const [op, s] of this.stats) operations[op] = { ...s };
    return {
      ready: this.ready,
      inFlight: this.inFlight.size,
      oldestInFlightMs: oldest,
      stalledForMs: this.stalledSince === undefined ? 0 : now - this.stalledSince,
      operations,
    };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.options.checkIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
