import { measure, median, medianRatesInRounds, throughput } from './measure';
import { formatResult, machineInfo } from './result';

describe('measure', () => {
  it('counts every timed call and keeps warm-up calls out of the count', () => {
    const seen: number[] = [];
    const m = measure((i) => seen.push(i), { minDurationMs: 5, warmupMs: 5 }, 8);
    expect(m.iterations).toBeGreaterThan(0);
    expect(m.iterations % 8).toBe(0);
    expect(seen.length).toBeGreaterThan(m.iterations);
    // indices continue across warm-up and timed runs, so a bench can rotate through inputs with them
    expect(seen).toEqual(seen.map((_, i) => i));
    expect(m.elapsedNs).toBeGreaterThan(0n);
  });

  it('computes bytes per second from iterations and elapsed time', () => {
    expect(throughput({ iterations: 10, elapsedNs: 2_000_000_000n }, 100)).toBe(500);
  });
});

describe('medianRatesInRounds', () => {
  it('times every variant once per round, rotating which goes first, and reports medians', () => {
    const order: string[] = [];
    const variant = (name: string, spinNs: number) => ({
      name,
      step: (i: number) => {
        // every measure() call starts counting at 0: one entry per timed (or warm-up) run
        if (i === 0) order.push(name);
        const until = process.hrtime.bigint() + BigInt(spinNs);
        while (process.hrtime.bigint() < until);
      },
    });
    const rates = medianRatesInRounds([variant('fast', 20_000), variant('slow', 200_000)], { rounds: 3, roundMs: 5, warmupMs: 1 });
    // warm-up: fast, slow; then rounds: fast slow | slow fast | fast slow
    expect(order).toEqual(['fast', 'slow', 'fast', 'slow', 'slow', 'fast', 'fast', 'slow']);
    expect(rates.get('fast')!).toBeGreaterThan(rates.get('slow')!);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});

describe('result', () => {
  it('describes the machine and serialises to one JSON line', () => {
    const machine = machineInfo();
    expect(machine.node).toBe(process.version);
    expect(machine.cpuCount).toBeGreaterThan(0);
    const line = formatResult({ name: 'x', unit: 'GB/s', metrics: { gbPerSec: 1.5 }, params: {}, machine });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ name: 'x', metrics: { gbPerSec: 1.5 }, machine: { node: process.version } });
  });
});
