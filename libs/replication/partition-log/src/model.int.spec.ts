// Model-based test: random sequences of fence / append / truncate / markEpochStart / reopen run
// against the disk log and against a plain in-memory model of the replica rules; after every step
// the answers, the log end, the epoch history and every stored byte must agree.
import fc from 'fast-check';
import type { Result } from './errors';
import type { PartitionReplica } from './partition-replica';
import { testBatch } from './test-batches';
import { openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';

type Op =
  | { kind: 'fence'; epoch: number }
  | { kind: 'append'; epoch: number; skew: number; counts: number[] }
  | { kind: 'burst'; epoch: number; counts: number[]; skewAt: number }
  | { kind: 'truncate'; epoch: number; back: number }
  | { kind: 'mark'; epoch: number; skew: number }
  | { kind: 'reopen' };

// Epochs are drawn relative to the promised one (mostly equal) so that most steps pass the gate.
const epochArb = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.constant(1) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fence' as const), epoch: fc.integer({ min: -1, max: 2 }) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      epoch: epochArb,
      skew: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) }),
      counts: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    // Pipelined appends sent without waiting (group commit); one of them may be out of order.
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      epoch: epochArb,
      counts: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 8 }),
      skewAt: fc.integer({ min: -1, max: 8 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), epoch: epochArb, back: fc.integer({ min: -1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mark' as const), epoch: epochArb, skew: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

class Model {
  promised: number | undefined;
  batches: { base: bigint; count: number; bytes: Buffer }[] = [];
  history: { epoch: number; startOffset: bigint }[] = [];

  get logEnd(): bigint {
    const last = this.batches[this.batches.length - 1];
    return last ? last.base + BigInt(last.count) : 0n;
  }

  gate(epoch: number): string | undefined {
    if (this.promised === undefined || epoch > this.promised) return 'UNKNOWN_LEADER_EPOCH';
    if (epoch < this.promised) return 'FENCED';
    return undefined;
  }

  assign(epoch: number, offset: bigint): void {
    if (this.history[this.history.length - 1]?.epoch === epoch) return;
    this.history = this.history.filter((h) => h.startOffset < offset);
    this.history.push({ epoch, startOffset: offset });
  }
}

const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
let seed = 0;
const stats = new Map<string, number>();

async function step(replica: PartitionReplica, model: Model, relative: Op): Promise<[string, string]> {
  const op = 'epoch' in relative ? { ...relative, epoch: Math.max(0, (model.promised ?? 0) + relative.epoch) } : relative;
  switch (op.kind) {
    case 'fence': {
      const expected = model.promised !== undefined && op.epoch < model.promised ? 'FENCED' : 'ok';
      if (expected === 'ok') model.promised = op.epoch;
      return [codeOf(await replica.fence(E(op.epoch))), expected];
    }
    case 'append': {
      const base = model.logEnd + BigInt(op.skew);
      if (base < 0n) return ['ok', 'ok'];
      const parts: { base: bigint; count: number; bytes: Buffer }[] = [];
      let at = base;
      for (const count of op.counts) {
        parts.push({ base: at, count, bytes: testBatch({ baseOffset: at, epoch: op.epoch, count, payloadBytes: 40 + (seed % 300), seed: seed++ }) });
        at += BigInt(count);
      }
      const got = codeOf(await replica.append(E(op.epoch), base, Buffer.concat(parts.map((p) => p.bytes))));
      const expected = model.gate(op.epoch) ?? (base !== model.logEnd ? 'OUT_OF_ORDER' : 'ok');
      if (expected === 'ok') {
        model.assign(op.epoch, base);
        model.batches.push(...parts);
      }
      return [got, expected];
    }
    case 'burst': {
      // Offsets as a leader would assign them, with one append sent one offset too far.
      const sends: { base: bigint; count: number; bytes: Buffer }[] = [];
      let at = model.logEnd;
      op.counts.forEach((count, i) => {
        const base = i === op.skewAt ? at + 1n : at;
        sends.push({ base, count, bytes: testBatch({ baseOffset: base, epoch: op.epoch, count, payloadBytes: 40 + (seed % 200), seed: seed++ }) });
        at = base + BigInt(count);
      });
      const results = await Promise.all(sends.map((x) => replica.append(E(op.epoch), x.base, x.bytes)));
      const expected = sends.map((x) => {
        const code = model.gate(op.epoch) ?? (x.base !== model.logEnd ? 'OUT_OF_ORDER' : 'ok');
        if (code === 'ok') {
          model.assign(op.epoch, x.base);
          model.batches.push(x);
        }
        return code;
      });
      return [results.map(codeOf).join(','), expected.join(',')];
    }
    case 'truncate': {
      const offset = model.logEnd - BigInt(op.back);
      if (offset < 0n) return ['ok', 'ok'];
      const got = codeOf(await replica.truncate(E(op.epoch), offset));
      const expected = model.gate(op.epoch) ?? (offset > model.logEnd ? 'OFFSET_OUT_OF_RANGE' : 'ok');
      if (expected === 'ok' && offset < model.logEnd) {
        const keep = model.batches.filter((b) => b.base + BigInt(b.count) <= offset);
        const point = keep.length ? (keep[keep.length - 1] as { base: bigint; count: number }).base + BigInt((keep[keep.length - 1] as { count: number }).count) : 0n;
        model.batches = keep;
        model.history = model.history.filter((h) => h.startOffset < point);
      }
      return [got, expected];
    }
    case 'mark': {
      const offset = model.logEnd + BigInt(op.skew);
      const got = codeOf(await replica.markEpochStart(E(op.epoch), offset));
      const expected = model.gate(op.epoch) ?? (offset !== model.logEnd ? 'OUT_OF_ORDER' : 'ok');
      if (expected === 'ok') model.assign(op.epoch, offset);
      return [got, expected];
    }
    case 'reopen':
      return ['ok', 'ok'];
  }
}

async function readAll(replica: PartitionReplica): Promise<Buffer> {
  const parts: Buffer[] = [];
  let at = replica.logState().logStart;
  for (;;) {
    const r = await replica.read(at, 4096);
    if (!r.ok) throw new Error(`read failed: ${r.error.message}`);
    if (r.value.records.length === 0) return Buffer.concat(parts);
    parts.push(r.value.records);
    at = r.value.nextOffset;
  }
}

describe('disk log vs in-memory model', () => {
  it('agrees on every answer, the log end, the epoch history and the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(opArb, { minLength: 1, maxLength: 50 }), async (fencedFirst, generated) => {
        const ops: Op[] = fencedFirst ? [{ kind: 'fence', epoch: 1 }, ...generated] : generated;
        const dir = await tempDir('model');
        const config = { segmentBytes: 1024, indexIntervalBytes: 128 };
        let replica = await openReplica(dir.path, { config });
        const model = new Model();
        try {
          // Most runs start from a fenced replica; some stay unfenced to check that nothing is accepted then.
          for (const op of ops) {
            if (op.kind === 'reopen') {
              await replica.close();
              replica = await openReplica(dir.path, { config });
              expect(replica.recovery.truncatedBytes).toBe(0);
            }
            const [got, expected] = await step(replica, model, op);
            expect({ op, got }).toEqual({ op, got: expected });
            const outcome = op.kind !== 'burst' ? got : got.split(',').every((c) => c === 'ok') ? 'all-ok' : got.includes('ok') ? 'mixed' : 'none-ok';
            stats.set(`${op.kind}:${outcome}`, (stats.get(`${op.kind}:${outcome}`) ?? 0) + 1);
            const state = replica.logState();
            expect(state.logEnd).toBe(model.logEnd);
            expect(state.promisedEpoch).toBe(model.promised);
            expect(state.epochHistory).toEqual(model.history);
          }
          expect(await readAll(replica)).toEqual(Buffer.concat(model.batches.map((b) => b.bytes)));
        } finally {
          await replica.close();
          await dir.remove();
        }
      }),
      { numRuns: 80 },
    );
    // The generator must reach the interesting paths, not only the rejections.
    for (const path of ['append:ok', 'append:FENCED', 'append:OUT_OF_ORDER', 'truncate:ok', 'mark:ok', 'fence:FENCED', 'burst:all-ok', 'burst:mixed']) {
      expect([path, (stats.get(path) ?? 0) >= 1]).toEqual([path, true]);
    }
  });
});
