// Virtual time and a seeded random source for the deterministic simulation. Everything that
// waits in the simulation waits on this clock, so a run depends on its seed alone.

/** mulberry32: small, fast, good enough to drive a simulation, and identical on every machine. */
export class SimRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.int(0, items.length - 1)];
  }
}

interface SimEvent {
  readonly time: number;
  readonly seq: number;
  readonly task: () => void;
}

export class SimClock {
  private time = 0;
  private seq = 0;
  private readonly queue: SimEvent[] = [];

  get now(): number {
    return this.time;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Runs `task` after `delay` virtual ms; ties run in scheduling order. */
  after(delay: number, task: () => void): void {
    const event = { time: this.time + Math.max(0, delay), seq: this.seq++, task };
    // Binary insertion keeps the queue ordered by (time, seq).
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.queue[mid] as SimEvent;
      if (e.time < event.time || (e.time === event.time && e.seq < event.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, event);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /**
   * Runs events in time order until `done()` holds, the queue empties or `limit` is reached. After
   * each event every promise continuation it caused runs (setImmediate comes after the microtask
   * queue has drained), so the interleaving is fixed by the event order alone.
   */
  async run(options: { readonly limit: number; readonly done?: () => boolean }): Promise<void> {
    while (this.queue.length > 0 && !(options.done?.() ?? false)) {
      const event = this.queue[0] as SimEvent;
      if (event.time > options.limit) return;
      this.queue.shift();
      this.time = event.time;
      event.task();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

