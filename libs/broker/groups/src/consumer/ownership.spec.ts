// KIP-848 safety property: across any interleaving of joins, heartbeats, leaves, static
// restarts, topic changes and timeouts, no partition is ever held by two live clients, and the
// coordinator's view (assigned ∪ pending revocation) never has two owners either.
import { ErrorCode } from '@stratus/kafka-errors';
import fc from 'fast-check';
import { G, Harness, topics } from '../harness.testkit';
import type { TopicCatalog } from '../types';
import type { TopicPartitions } from './heartbeat';

const catalogs: TopicCatalog[] = [
  topics(['a', 7], ['b', 3]),
  topics(['a', 9], ['b', 3], ['c', 5]),
  topics(['a', 9], ['c', 5]), // b deleted
];

type Op = { k: 'beat'; i: number; cat: number } | { k: 'leave'; i: number; stat: boolean } | { k: 'crash'; i: number } | { k: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ k: fc.constant('beat' as const), i: fc.nat(5), cat: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('leave' as const), i: fc.nat(5), stat: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('crash' as const), i: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('advance' as const), ms: fc.integer({ min: 1_000, max: 50_000 }) }) },
);

interface Client {
  id: string;
  gen: number;
  epoch: number;
  owned: TopicPartitions[];
  instanceId: string | null;
  /** A crashed client holds nothing and sends nothing until it restarts (its next beat). */
  crashed: boolean;
}

describe.each(['uniform', 'range'])('KIP-848 ownership with %s', (assignor) => {
  it('no partition is ever owned by two members at once', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
        const h = new Harness({ consumerSessionTimeoutMs: 20_000 });
        const clients: Client[] = [...Array(6).keys()].map((i) => ({ id: `m${i}`, gen: 0, epoch: 0, owned: [], instanceId: i % 3 === 0 ? `inst${i}` : null, crashed: false }));
        let cat = catalogs[0] as TopicCatalog;
        for (const o of ops) {
          const c = o.k === 'advance' ? undefined : (clients[o.i] as Client);
          if (o.k === 'beat' && c) {
            cat = catalogs[o.cat] as TopicCatalog;
            if (c.crashed) {
              // Restart: a static member keeps its instance id, every member gets a new member id.
              c.crashed = false;
              c.gen += 1;
              c.id = `m${o.i}.${c.gen}`;
              c.epoch = 0;
            }
            const joining = c.epoch === 0;
            const r = h.cgh(
              {
                memberId: c.id,
                memberEpoch: c.epoch,
                instanceId: c.instanceId,
                serverAssignor: joining ? assignor : null,
                subscribedTopicNames: joining ? (o.i % 2 === 0 ? ['a', 'b', 'c'] : null) : null,
                subscribedTopicRegex: joining && o.i % 2 === 1 ? '[ab]' : null,
                topicPartitions: joining ? [] : c.owned,
              },
              cat,
            );
            if (r.errorCode === ErrorCode.NONE) {
              c.epoch = r.memberEpoch;
              if (r.assignment) c.owned = r.assignment.topicPartitions;
            } else if (r.errorCode !== ErrorCode.UNRELEASED_INSTANCE_ID) {
              c.epoch = 0;
              c.owned = [];
            }
          } else if (o.k === 'leave' && c && !c.crashed && c.epoch > 0) {
            const stat = o.stat && c.instanceId !== null;
            h.cgh({ memberId: c.id, memberEpoch: stat ? -2 : -1, instanceId: c.instanceId }, cat);
            Object.assign(c, { epoch: 0, owned: [], crashed: true });
          } else if (o.k === 'crash' && c) {
            Object.assign(c, { epoch: 0, owned: [], crashed: true });
          } else if (o.k === 'advance') {
            h.advance(o.ms);
          }
          // Clients the coordinator expired stop consuming (they could not heartbeat in time).
          const alive = new Set(h.coord.consumerGroupDescribe([G])[0]?.members.map((m) => m.memberId) ?? []);
          for (const x of clients) if (!alive.has(x.id)) Object.assign(x, { epoch: 0, owned: [] });
          const held = new Set<string>();
          for (const x of clients) {
            for (const t of x.owned) {
              for (const p of t.partitions) {
                const key = `${t.topicId}:${p}`;
                expect(held.has(key)).toBe(false);
                held.add(key);
              }
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
