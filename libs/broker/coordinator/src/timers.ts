// Timers the runtime needs (the group core only says when its next deadline is), injectable so
// tests drive time by hand.
export interface CoordinatorTimers {
  /** Runs `fn` after `delayMs`; returns a function that cancels it. */
  set(fn: () => void, delayMs: number): () => void;
}

/** Node timers, unref'd so a coordinator never keeps a process alive on its own. */
export const realTimers: CoordinatorTimers = {
  set(fn, delayMs) {
    const t = setTimeout(fn, Math.min(Math.max(0, delayMs), 2 ** 31 - 1));
    t.unref();
    return () => clearTimeout(t);
  },
};
