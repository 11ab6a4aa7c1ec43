import type { commonV1 } from '@stratus/contracts';
import { TierTrims, type Scheduler, type TierTrimOutcome } from './tier-trim';

const ref = (partition: number): commonV1.PartitionRef => ({ topicId: { value: Buffer.alloc(16, 3) }, partition });
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A scheduler whose timers run only when the test says so. */
function manualScheduler() {
  const timers: { run: () => void; delayMs: number; cancelled: boolean }[] = [];
  const schedule: Scheduler = (run, delayMs) => {
    const t = { run, delayMs, cancelled: false };
    timers.push(t);
    return () => {
      t.cancelled = true;
    };
  };
  const fire = async () => {
    const due = timers.splice(0).filter((t) => !t.cancelled);
    for (const t of due) t.run();
    await settle();
    return due.map((t) => t.delayMs);
  };
  return { schedule, fire, timers };
}

function scriptedPort(answers: TierTrimOutcome[]) {
  const calls: { partition: number; offset: bigint }[] = [];
  return {
    calls,
    port: {
      trim: async (p: commonV1.PartitionRef, offset: bigint): Promise<TierTrimOutcome> => {
        calls.push({ partition: p.partition, offset });
        return answers.shift() ?? { kind: 'trimmed', tieredStart: offset, segmentsDeleted: 0 };
      },
    },
  };
}

describe('TierTrims', () => {
  it('trims once and forgets the partition when tiered storage confirms', async () => {
    const { port, calls } = scriptedPort([{ kind: 'trimmed', tieredStart: 40n, segmentsDeleted: 2 }]);
    const trims = new TierTrims({ port, schedule: manualScheduler().schedule });
    trims.request(ref(0), 30n);
    await settle();
    expect(calls).toEqual([{ partition: 0, offset: 30n }]);
    expect(trims.outstanding.size).toBe(0);
  });

  it('retries a failed trim with growing, jittered backoff until it succeeds (not lost)', async () => {
    const clock = manualScheduler();
    const { port, calls } = scriptedPort([
      { kind: 'unavailable', message: 'object store down' },
      { kind: 'unavailable', message: 'object store down' },
      { kind: 'unavailable', message: 'no node answered' },
    ]);
    const warnings: unknown[] = [];
    const log = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (o: unknown) => warnings.push(o) };
    const trims = new TierTrims({ port, log: log as never, schedule: clock.schedule, random: () => 0.999, baseDelayMs: 100, maxDelayMs: 350 });
    trims.request(ref(1), 30n);
    await settle();
    expect([...trims.outstanding]).toEqual([[expect.stringMatching(/\/1$/), 30n]]);
    expect(await clock.fire()).toEqual([99]);
    expect(await clock.fire()).toEqual([199]);
    // Capped at maxDelayMs.
    expect(await clock.fire()).toEqual([349]);
    expect(calls.map((c) => c.offset)).toEqual([30n, 30n, 30n, 30n]);
    expect(trims.outstanding.size).toBe(0);
    expect(warnings).toHaveLength(3);
  });

  it('a higher request supersedes a waiting retry at once; a lower one is absorbed', async () => {
    const clock = manualScheduler();
    const { port, calls } = scriptedPort([{ kind: 'unavailable', message: 'down' }]);
    const trims = new TierTrims({ port, schedule: clock.schedule });
    trims.request(ref(0), 30n);
    await settle();
    trims.request(ref(0), 20n);
    trims.request(ref(0), 50n);
    await settle();
    expect(calls.map((c) => c.offset)).toEqual([30n, 50n]);
    expect(trims.outstanding.size).toBe(0);
    // The cancelled backoff timer does nothing when it fires.
    await clock.fire();
    expect(calls).toHaveLength(2);
  });

  it('trims again to a higher offset requested while a trim was running', async () => {
    let release: (() => void) | undefined;
    const calls: bigint[] = [];
    const port = {
      trim: async (_p: commonV1.PartitionRef, offset: bigint): Promise<TierTrimOutcome> => {
        calls.push(offset);
        if (calls.length === 1) await new Promise<void>((r) => (release = r));
        return { kind: 'trimmed', tieredStart: offset, segmentsDeleted: 0 };
      },
    };
    const trims = new TierTrims({ port, schedule: manualScheduler().schedule });
    trims.request(ref(0), 30n);
    await settle();
    trims.request(ref(0), 60n);
    release?.();
    await settle();
    await settle();
    expect(calls).toEqual([30n, 60n]);
    expect(trims.outstanding.size).toBe(0);
  });

  it('treats a cell without tiered storage as done, a thrown transport fault as retriable, and stops on close', async () => {
    const clock = manualScheduler();
    let calls = 0;
    const port = {
      trim: async (p: commonV1.PartitionRef): Promise<TierTrimOutcome> => {
        calls++;
        if (p.partition === 0) return { kind: 'none' };
        throw new Error('socket hang up');
      },
    };
    const trims = new TierTrims({ port, schedule: clock.schedule });
    trims.request(ref(0), 10n);
    trims.request(ref(1), 10n);
    await settle();
    expect([...trims.outstanding.values()]).toEqual([10n]);
    trims.close();
    await clock.fire();
    expect(calls).toBe(2);
    trims.request(ref(2), 10n);
    expect(calls).toBe(2);
  });
});
