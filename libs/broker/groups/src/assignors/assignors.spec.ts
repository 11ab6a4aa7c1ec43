import fc from 'fast-check';
import { topicId, type TopicId } from '../types';
import type { Assignor, AssignorInput, AssignorOutput } from './assignor';
import { rangeAssignor } from './range';
import { uniformAssignor } from './uniform';

const T = ['a', 'b', 'c', 'd'].map((t) => topicId(t));

/** Homogeneous groups: every member subscribes to the same topics. */
const homogeneous = fc
  .record({
    members: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
    counts: fc.array(fc.nat(20), { minLength: 1, maxLength: 4 }),
  })
  .map(({ members, counts }): AssignorInput => {
    const topics = new Map<TopicId, number>(counts.map((c, i) => [T[i] as TopicId, c]));
    const subs = new Set(topics.keys());
    return { members: members.map((memberId) => ({ memberId, instanceId: null, subscribedTopicIds: subs, current: new Map() })), topics };
  });

const heterogeneous = fc
  .record({
    members: fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.subarray(T, { minLength: 1 })), { selector: ([m]) => m, minLength: 1, maxLength: 8 }),
    counts: fc.array(fc.nat(12), { minLength: 4, maxLength: 4 }),
  })
  .map(({ members, counts }): AssignorInput => ({
    members: members.map(([memberId, subs]) => ({ memberId, instanceId: null, subscribedTopicIds: new Set(subs), current: new Map() })),
    topics: new Map<TopicId, number>(counts.map((c, i) => [T[i] as TopicId, c])),
  }));

function owners(out: AssignorOutput): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const [m, a] of out) for (const [t, ps] of a) for (const p of ps) seen.set(`${t}:${p}`, [...(seen.get(`${t}:${p}`) ?? []), m]);
  return seen;
}

function everyPartitionOnceToASubscriber(input: AssignorInput, out: AssignorOutput): void {
  const seen = owners(out);
  for (const [t, n] of input.topics) {
    const subscribed = input.members.filter((m) => m.subscribedTopicIds.has(t));
    for (let p = 0; p < n; p++) {
      const o = seen.get(`${t}:${p}`) ?? [];
      expect(o).toHaveLength(subscribed.length > 0 ? 1 : 0);
      if (o[0] !== undefined) expect(subscribed.some((m) => m.memberId === o[0])).toBe(true);
    }
  }
  for (const k of seen.keys()) {
    const [t, p] = k.split(':') as [TopicId, string];
    expect(Number(p)).toBeLessThan(input.topics.get(t) ?? 0);
  }
}

const size = (out: AssignorOutput, m: string): number => [...(out.get(m)?.values() ?? [])].reduce((n, ps) => n + ps.length, 0);

describe.each([uniformAssignor, rangeAssignor] as Assignor[])('$name assignor', (assignor) => {
  it('assigns every partition exactly once, only to subscribers', () => {
    fc.assert(fc.property(fc.oneof(homogeneous, heterogeneous), (input) => everyPartitionOnceToASubscriber(input, assignor.assign(input))));
  });

  it('is deterministic', () => {
    fc.assert(fc.property(heterogeneous, (input) => expect(assignor.assign(input)).toEqual(assignor.assign({ ...input, members: [...input.members].reverse() }))));
  });
});

describe('uniform assignor', () => {
  it('balances homogeneous groups within one partition', () => {
    fc.assert(
      fc.property(homogeneous, (input) => {
        const out = uniformAssignor.assign(input);
        const sizes = input.members.map((m) => size(out, m.memberId));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is sticky: a new member only takes what balance requires', () => {
    fc.assert(
      fc.property(homogeneous, fc.string({ minLength: 5, maxLength: 6 }), (input, newcomer) => {
        const first = uniformAssignor.assign(input);
        const subs = input.members[0]?.subscribedTopicIds ?? new Set<TopicId>();
        const next = uniformAssignor.assign({
          topics: input.topics,
          members: [...input.members.map((m) => ({ ...m, current: first.get(m.memberId) ?? new Map() })), { memberId: newcomer, instanceId: null, subscribedTopicIds: subs, current: new Map() }],
        });
        let moved = 0;
        for (const m of input.members) {
          const before = owners(new Map([[m.memberId, first.get(m.memberId) ?? new Map()]]));
          const after = owners(new Map([[m.memberId, next.get(m.memberId) ?? new Map()]]));
          for (const k of before.keys()) if (!after.has(k)) moved++;
        }
        expect(moved).toBe(size(next, newcomer));
      }),
    );
  });

  it('heterogeneous subscriptions: no member could take a partition from one with 2+ more', () => {
    fc.assert(
      fc.property(heterogeneous, (input) => {
        const out = uniformAssignor.assign(input);
        for (const heavy of input.members) {
          for (const [t, ps] of out.get(heavy.memberId) ?? []) {
            if (ps.length === 0) continue;
            for (const light of input.members) {
              if (light.subscribedTopicIds.has(t)) expect(size(out, heavy.memberId) - size(out, light.memberId)).toBeLessThanOrEqual(1);
            }
          }
        }
      }),
    );
  });
});

describe('range assignor', () => {
  it('gives each subscriber of a topic a contiguous range, sizes within one', () => {
    fc.assert(
      fc.property(homogeneous, (input) => {
        const out = rangeAssignor.assign(input);
        for (const t of input.topics.keys()) {
          const ranges = input.members.map((m) => out.get(m.memberId)?.get(t) ?? []);
          const sizes = ranges.map((r) => r.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          for (const r of ranges) r.forEach((p, i) => i > 0 && expect(p).toBe((r[i - 1] as number) + 1));
        }
      }),
    );
  });
});
