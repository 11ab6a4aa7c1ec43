import { StorageHealthManager } from './storage-health';
import { ManualClock } from './test-support';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('StorageHealthManager', () => {
  const setup = () => {
    const clock = new ManualClock(0);
    const fatal: string[] = [];
    const changes: boolean[] = [];
    const observed: [string, number, boolean][] = [];
    const health = new StorageHealthManager({
      stallThresholdMs: 1_000,
      fatalAfterMs: 10_000,
      checkIntervalMs: 100,
      clock,
      onFatal: (r) => fatal.push(r),
      onReadinessChange: (ready) => changes.push(ready),
      onOperation: (op, ms, ok) => observed.push([op, ms, ok]),
    });
    return { clock, fatal, changes, observed, health };
  };

  it('times operations and counts errors', async () => {
    const { clock, health, observed } = setup();
    const d = deferred();
    const op = health.track('fsync', () => d.promise);
    clock.ms += 250;
    d.resolve();
    await op;
    await expect(health.track('write', () => Promise.reject(new Error('EIO')))).rejects.toThrow('EIO');
    expect(observed).toEqual([['fsync', 250, true], ['write', 0, false]]);
    expect(health.snapshot().operations).toEqual({
      fsync: { count: 1, errors: 0, totalMs: 250, maxMs: 250 },
      write: { count: 1, errors: 1, totalMs: 0, maxMs: 0 },
    });
  });

  it('a stalled operation makes the node unready; progress makes it ready again', async () => {
    const { clock, health, changes, fatal } = setup();
    const d = deferred();
    const op = health.track('write', () => d.promise);
    clock.ms += 900;
    health.check();
    expect(health.isReady()).toBe(true);
    clock.ms += 200;
    health.check();
    expect(health.isReady()).toBe(false);
    expect(health.snapshot()).toMatchObject({ ready: false, inFlight: 1, oldestInFlightMs: 1_100 });
    d.resolve();
    await op;
    health.check();
    expect(health.isReady()).toBe(true);
    expect(changes).toEqual([false, true]);
    expect(fatal).toEqual([]);
  });

  it('a stall that persists past fatalAfterMs calls onFatal exactly once', async () => {
    const { clock, health, fatal } = setup();
    const d = deferred();
    const op = health.track('fsync', () => d.promise);
    clock.ms += 1_001;
    health.check();
    clock.ms += 9_999;
    health.check();
    expect(fatal).toEqual([]);
    clock.ms += 1;
    health.check();
    health.check();
    expect(fatal.length).toBe(1);
    expect(fatal[0]).toMatch(/stalled for 10000 ms.*fsync/);
    d.resolve();
    await op;
  });

  it('refuses nonsensical thresholds', () => {
    expect(() => new StorageHealthManager({ stallThresholdMs: 0, fatalAfterMs: 1, checkIntervalMs: 1, onFatal: () => undefined })).toThrow(RangeError);
  });
});
