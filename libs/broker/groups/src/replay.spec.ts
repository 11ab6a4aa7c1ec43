// Property: whatever happened, a new coordinator built from the emitted records answers like the
// old one (after failover), and no partition is ever held by two KIP-848 members at once.
import { ErrorCode } from '@stratus/kafka-errors';
import fc from 'fast-check';
import type { GroupCoordinator } from './coordinator';
import type { TopicPartitions } from './consumer/heartbeat';
import { Harness, subscription, topics } from './harness.testkit';
import { groupKey, type GroupKey, type TopicCatalog } from './types';

const CLASSIC = groupKey('t1/classic');
const KIP848 = groupKey('t1/kip848');
const SIMPLE = groupKey('t1/simple');
const KEYS = [CLASSIC, KIP848, SIMPLE];
const catalogs: TopicCatalog[] = [topics(['orders', 6], ['orders-x', 2]), topics(['orders', 8], ['orders-x', 2], ['orders-y', 3])];

type Op =
  | { k: 'cjoin'; i: number }
  | { k: 'cround'; n: number }
  | { k: 'csync'; i: number }
  | { k: 'chb'; i: number }
  | { k: 'cleave'; i: number }
  | { k: 'ccommit'; i: number; p: number }
  | { k: 'beat'; i: number; cat: number }
  | { k: 'leave'; i: number; stat: boolean }
  | { k: 'kcommit'; i: number; p: number }
  | { k: 'simple'; key: number; p: number; off: number }
  | { k: 'txn'; pid: number; p: number; end: 'none' | 'commit' | 'abort' }
  | { k: 'odel'; key: number; p: number }
  | { k: 'gdel'; key: number }
  | { k: 'advance'; ms: number };

const idx = fc.nat(3);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('cjoin' as const), i: idx }),
  fc.record({ k: fc.constant('cround' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ k: fc.constant('csync' as const), i: idx }),
  fc.record({ k: fc.constant('chb' as const), i: idx }),
  fc.record({ k: fc.constant('cleave' as const), i: idx }),
  fc.record({ k: fc.constant('ccommit' as const), i: idx, p: fc.nat(3) }),
  fc.record({ k: fc.constant('beat' as const), i: idx, cat: fc.nat(1) }),
  fc.record({ k: fc.constant('beat' as const), i: idx, cat: fc.nat(1) }),
  fc.record({ k: fc.constant('leave' as const), i: idx, stat: fc.boolean() }),
  fc.record({ k: fc.constant('kcommit' as const), i: idx, p: fc.nat(3) }),
  fc.record({ k: fc.constant('simple' as const), key: fc.nat(2), p: fc.nat(3), off: fc.nat(1000) }),
  fc.record({ k: fc.constant('txn' as const), pid: fc.nat(2), p: fc.nat(3), end: fc.constantFrom('none' as const, 'commit' as const, 'abort' as const) }),
  fc.record({ k: fc.constant('odel' as const), key: fc.nat(2), p: fc.nat(3) }),
  fc.record({ k: fc.constant('gdel' as const), key: fc.nat(2) }),
  fc.record({ k: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 1, max: 4_000 }), fc.integer({ min: 10_000, max: 60_000 })) }),
);

interface ClassicClient {
  memberId: string;
  generation: number;
  joinToken?: number;
}
interface KClient {
  id: string;
  epoch: number;
  owned: TopicPartitions[];
  instanceId: string | null;
}

class Model {
  readonly h = new Harness({ offsetsRetentionMs: 120_000, offsetsRetentionCheckIntervalMs: 30_000, initialRebalanceDelayMs: 1_000 });
  readonly classic: ClassicClient[] = [0, 1, 2, 3].map(() => ({ memberId: '', generation: -1 }));
  readonly kclients: KClient[] = [0, 1, 2, 3].map((i) => ({ id: `k${i}`, epoch: 0, owned: [], instanceId: i === 3 ? 'static-k3' : null }));
  private cat = catalogs[0] as TopicCatalog;

  apply(o: Op): void {
    const h = this.h;
    switch (o.k) {
      case 'cjoin': {
        const c = this.classic[o.i] as ClassicClient;
        const instance = o.i === 3 ? 'static-c3' : null;
        const t = h.join({ memberId: c.memberId, groupInstanceId: instance, clientId: `c${o.i}` }, CLASSIC);
        const r = h.joins.get(t);
        if (r?.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
          c.memberId = r.memberId;
          c.joinToken = h.join({ memberId: c.memberId, clientId: `c${o.i}` }, CLASSIC);
        } else c.joinToken = t;
        if (instance !== null && r?.errorCode === ErrorCode.NONE) c.memberId = r.memberId;
        break;
      }
      case 'cround':
        // A whole rebalance round of the first n clients: join, wait out the join phase, sync
        // (leader first), so that random sequences regularly reach Stable generations.
        for (let i = 0; i < o.n; i++) this.apply({ k: 'cjoin', i });
        h.advance(2_500);
        for (const i of [...Array(o.n).keys()].sort((x, y) => this.isLeader(y) - this.isLeader(x))) this.apply({ k: 'csync', i });
        break;
      case 'csync': {
        const c = this.classic[o.i] as ClassicClient;
        const r = c.joinToken !== undefined ? this.h.joins.get(c.joinToken) : undefined;
        if (!r || r.errorCode !== ErrorCode.NONE) break;
        c.memberId = r.memberId;
        c.generation = r.generationId;
        const assignments = r.members.map((m, n) => ({ memberId: m.memberId, assignment: new Uint8Array([n, r.generationId]) }));
        h.sync(c.memberId, c.generation, assignments, { groupInstanceId: o.i === 3 ? 'static-c3' : null }, CLASSIC);
        break;
      }
      case 'chb': {
        const c = this.classic[o.i] as ClassicClient;
        if (c.memberId) h.heartbeat(c.memberId, c.generation, o.i === 3 ? 'static-c3' : null, CLASSIC);
        break;
      }
      case 'cleave': {
        const c = this.classic[o.i] as ClassicClient;
        if (!c.memberId) break;
        h.absorb(h.coord.leaveGroup(CLASSIC, [{ memberId: c.memberId, groupInstanceId: o.i === 3 ? 'static-c3' : null }]));
        this.classic[o.i] = { memberId: '', generation: -1 };
        break;
      }
      case 'ccommit': {
        const c = this.classic[o.i] as ClassicClient;
        this.commit(CLASSIC, c.generation, c.memberId, o.i === 3 ? 'static-c3' : null, o.p, 7);
        break;
      }
      case 'beat': {
        this.cat = catalogs[o.cat] as TopicCatalog;
        const c = this.kclients[o.i] as KClient;
        const joining = c.epoch === 0;
        const r = h.cgh(
          {
            memberId: c.id,
            memberEpoch: c.epoch,
            instanceId: c.instanceId,
            subscribedTopicNames: joining ? (o.i % 2 === 0 ? ['orders'] : null) : null,
            subscribedTopicRegex: joining && o.i % 2 === 1 ? 'orders.*' : null,
            serverAssignor: joining ? (o.i === 2 ? 'range' : 'uniform') : null,
            topicPartitions: joining ? [] : c.owned,
          },
          this.cat,
          KIP848,
        );
        if (r.errorCode === ErrorCode.NONE) {
          c.epoch = r.memberEpoch;
          if (r.assignment) c.owned = r.assignment.topicPartitions;
        } else if (r.errorCode !== ErrorCode.UNRELEASED_INSTANCE_ID) {
          c.epoch = 0;
          c.owned = [];
        }
        break;
      }
      case 'leave': {
        const c = this.kclients[o.i] as KClient;
        if (c.epoch <= 0) break;
        const stat = o.stat && c.instanceId !== null;
        h.cgh({ memberId: c.id, memberEpoch: stat ? -2 : -1, instanceId: c.instanceId }, this.cat, KIP848);
        c.epoch = 0;
        c.owned = [];
        if (stat) c.id = `${c.id}'`; // a restarted static member comes back with a new member id
        break;
      }
      case 'kcommit': {
        const c = this.kclients[o.i] as KClient;
        this.commit(KIP848, c.epoch, c.id, null, o.p, 9);
        break;
      }
      case 'simple':
        this.commit(KEYS[o.key] as GroupKey, -1, '', null, o.p, o.off);
        break;
      case 'txn':
        h.absorb(
          h.coord.txnOffsetCommit(SIMPLE, {
            producerId: BigInt(o.pid),
            generationIdOrMemberEpoch: -1,
            memberId: '',
            groupInstanceId: null,
            topics: [{ name: 'orders', partitions: [{ partitionIndex: o.p, committedOffset: 42n, committedLeaderEpoch: 1, committedMetadata: 'txn' }] }],
          }),
        );
        if (o.end !== 'none') h.absorb(h.coord.completeTransaction(SIMPLE, BigInt(o.pid), { commit: o.end === 'commit' }));
        break;
      case 'odel':
        h.absorb(h.coord.offsetDelete(KEYS[o.key] as GroupKey, [{ name: 'orders', partitions: [o.p] }]));
        break;
      case 'gdel':
        h.absorb(h.coord.deleteGroups([KEYS[o.key] as GroupKey]));
        break;
      case 'advance':
        h.advance(o.ms);
        break;
    }
    this.dropExpiredClients();
  }

  private isLeader(i: number): number {
    const c = this.classic[i] as ClassicClient;
    const r = c.joinToken !== undefined ? this.h.joins.get(c.joinToken) : undefined;
    return r !== undefined && r.leader === r.memberId ? 1 : 0;
  }

  private commit(key: GroupKey, gen: number, memberId: string, instanceId: string | null, p: number, off: number): void {
    this.h.absorb(
      this.h.coord.offsetCommit(key, {
        generationIdOrMemberEpoch: gen,
        memberId,
        groupInstanceId: instanceId,
        retentionTimeMs: -1,
        topics: [{ name: p === 3 ? 'other' : 'orders', partitions: [{ partitionIndex: p, committedOffset: BigInt(off), committedLeaderEpoch: 1, committedMetadata: 'x' }] }],
      }),
    );
  }

  /** A client whose session the coordinator expired has stopped consuming (clients self-fence). */
  private dropExpiredClients(): void {
    const d = this.h.coord.consumerGroupDescribe([KIP848])[0];
    const alive = new Set(d?.members.map((m) => m.memberId) ?? []);
    for (const c of this.kclients) {
      if (!alive.has(c.id)) {
        c.epoch = 0;
        c.owned = [];
      }
    }
  }

  assertNoDoubleOwnership(): void {
    const seen = new Set<string>();
    for (const c of this.kclients) {
      for (const t of c.owned) {
        for (const p of t.partitions) {
          const k = `${t.topicId}:${p}`;
          if (seen.has(k)) throw new Error(`partition ${k} owned twice`);
          seen.add(k);
        }
      }
    }
  }
}

/** What clients can see that must survive failover. Classic groups mid-rebalance are not durable (as in Kafka). */
function durableView(c: GroupCoordinator, durable: ReadonlySet<GroupKey>) {
  const listed = c.listGroups().filter((g) => durable.has(g.groupKey));
  return {
    listed,
    classic: c.describeGroups(listed.filter((g) => g.groupType === 'classic').map((g) => g.groupKey)),
    consumer: c.consumerGroupDescribe(listed.filter((g) => g.groupType === 'consumer').map((g) => g.groupKey)),
    offsets: c.offsetFetch(KEYS.map((key) => ({ key, topics: null })), { requireStable: false }),
    stable: c.offsetFetch(KEYS.map((key) => ({ key, topics: [{ name: 'orders', partitionIndexes: [0, 1, 2, 3] }] })), { requireStable: true }),
  };
}

function durableKeys(c: GroupCoordinator): Set<GroupKey> {
  const out = new Set<GroupKey>();
  for (const g of c.listGroups()) {
    if (g.groupType === 'consumer') out.add(g.groupKey);
    else if (g.groupState === 'Stable') out.add(g.groupKey);
    else if (g.groupState === 'Empty') {
      // An empty classic group that never completed a generation and holds no offsets was never persisted.
      const d = c.describeGroups([g.groupKey])[0];
      const hasOffsets = (c.offsetFetch([{ key: g.groupKey, topics: null }], { requireStable: false })[0]?.topics.length ?? 0) > 0;
      if (hasOffsets || (d && d.protocolType !== '')) out.add(g.groupKey);
    }
  }
  return out;
}

describe('replay after failover', () => {
  it('rebuilds the same observable state from the emitted records; KIP-848 ownership stays exclusive', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80 }), (ops) => {
        const m = new Model();
        for (const o of ops) {
          m.apply(o);
          m.assertNoDoubleOwnership();
        }
        const live = m.h.coord;
        const replayed = m.h.replayed();
        const keys = durableKeys(live);
        expect(durableView(replayed, keys)).toEqual(durableView(live, keys));
        // Nothing the live coordinator forgot may come back after failover.
        const liveKeys = new Set(live.listGroups().map((g) => g.groupKey));
        for (const g of replayed.listGroups()) expect(liveKeys.has(g.groupKey)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a replayed KIP-848 group keeps serving: members continue with their epochs', () => {
    const m = new Model();
    for (const i of [0, 1, 2, 0, 1, 2, 0, 1, 2]) m.apply({ k: 'beat', i, cat: 0 });
    const replayed = m.h.replayed();
    const k0 = m.kclients[0] as KClient;
    const r = replayed.consumerGroupHeartbeat(
      KIP848,
      {
        memberId: k0.id,
        memberEpoch: k0.epoch,
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: -1,
        subscribedTopicNames: null,
        subscribedTopicRegex: null,
        serverAssignor: null,
        topicPartitions: null,
        clientId: 'c',
        clientHost: 'h',
        apiVersion: 1,
      },
      catalogs[0] as TopicCatalog,
    ).response;
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: k0.epoch, assignment: null });
  });

  it('a replayed classic group is Stable at its generation and members keep heartbeating', () => {
    const h = new Harness();
    const a = h.joinNew({ protocols: [{ name: 'range', metadata: subscription(['orders']) }] });
    h.advance(3_000);
    h.sync(a.memberId, 1, [{ memberId: a.memberId, assignment: new Uint8Array([1]) }]);
    const replayed = h.replayed();
    expect(replayed.heartbeat(groupKey('t1/g'), { memberId: a.memberId, generationId: 1, groupInstanceId: null }).response.errorCode).toBe(ErrorCode.NONE);
    expect(replayed.describeGroups([groupKey('t1/g')])[0]).toMatchObject({ groupState: 'Stable', protocolData: 'range' });
  });
});
