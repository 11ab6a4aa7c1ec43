import { ErrorCode } from '@stratus/kafka-errors';
import { G, Harness, topics } from '../harness.testkit';
import type { ConsumerGroupHeartbeatResponse, TopicPartitions } from './heartbeat';
import type { TopicId } from '../types';

const cat = topics(['orders', 12]);
const ordersId = cat.get('orders')?.id as TopicId;

/** A simulated KIP-848 client: owns exactly what the last assignment said. */
class Client {
  epoch = 0;
  owned: TopicPartitions[] = [];
  constructor(
    readonly h: Harness,
    readonly id: string,
    readonly extra: { instanceId?: string; assignor?: string; names?: string[]; regex?: string } = {},
  ) {}
  beat(catalog = cat): ConsumerGroupHeartbeatResponse {
    const joining = this.epoch === 0;
    const r = this.h.cgh(
      {
        memberId: this.id,
        memberEpoch: this.epoch,
        instanceId: this.extra.instanceId ?? null,
        serverAssignor: joining ? (this.extra.assignor ?? null) : null,
        subscribedTopicNames: joining ? (this.extra.names ?? (this.extra.regex ? null : ['orders'])) : null,
        subscribedTopicRegex: joining ? (this.extra.regex ?? null) : null,
        topicPartitions: joining ? [] : this.owned,
      },
      catalog,
    );
    if (r.errorCode === ErrorCode.NONE) {
      this.epoch = r.memberEpoch;
      if (r.assignment) this.owned = r.assignment.topicPartitions;
    } else if (r.errorCode === ErrorCode.FENCED_MEMBER_EPOCH || r.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) {
      this.epoch = 0;
      this.owned = [];
    }
    return r;
  }
  count(): number {
    return this.owned.reduce((n, t) => n + t.partitions.length, 0);
  }
}

function noDoubleOwnership(clients: Client[]): void {
  const seen = new Map<string, string>();
  for (const c of clients) {
    for (const t of c.owned) {
      for (const p of t.partitions) {
        const k = `${t.topicId}:${p}`;
        expect(seen.get(k)).toBeUndefined();
        seen.set(k, c.id);
      }
    }
  }
}

function settle(clients: Client[], rounds = 6): void {
  for (let i = 0; i < rounds; i++) {
    for (const c of clients) {
      c.beat();
      noDoubleOwnership(clients);
    }
  }
}

describe.each(['uniform', 'range'])('KIP-848 with the %s assignor', (assignor) => {
  it('3 members share 12 partitions: every partition owned by exactly one member, 4 each', () => {
    const h = new Harness();
    const clients = ['a', 'b', 'c'].map((id) => new Client(h, id, { assignor }));
    settle(clients);
    expect(clients.map((c) => c.count())).toEqual([4, 4, 4]);
    const all = clients.flatMap((c) => c.owned.flatMap((t) => t.partitions)).sort((x, y) => x - y);
    expect(all).toEqual([...Array(12).keys()]);
    const d = h.coord.consumerGroupDescribe([G])[0];
    expect(d).toMatchObject({ errorCode: ErrorCode.NONE, groupState: 'Stable', groupEpoch: 3, assignmentEpoch: 3, assignorName: assignor });
    expect(d?.members.every((m) => m.memberEpoch === 3)).toBe(true);
  });

  it('a member killed by its session timeout: its partitions move to the survivors', () => {
    const h = new Harness();
    const clients = ['a', 'b', 'c'].map((id) => new Client(h, id, { assignor }));
    settle(clients);
    const [a, b] = clients as [Client, Client, Client];
    for (let i = 0; i < 12; i++) {
      h.advance(4_000);
      a.beat();
      b.beat();
    }
    expect(h.coord.consumerGroupDescribe([G])[0]?.members.map((m) => m.memberId)).toEqual(['a', 'b']);
    settle([a, b]);
    expect([a.count(), b.count()]).toEqual([6, 6]);
  });
});

describe('KIP-848 reconciliation', () => {
  it('revokes partitions before they are reassigned (cooperative)', () => {
    const h = new Harness();
    const a = new Client(h, 'a');
    a.beat();
    expect(a.count()).toBe(12);
    const b = new Client(h, 'b');
    const rb = b.beat();
    // b's target is half the topic, but a still owns it all: b gets nothing yet.
    expect(rb.memberEpoch).toBe(2);
    expect(b.count()).toBe(0);
    const ra = a.beat();
    // a must give up half; its epoch stays until it confirms.
    expect(ra.memberEpoch).toBe(1);
    expect(a.count()).toBe(6);
    expect(h.coord.consumerGroupDescribe([G])[0]?.groupState).toBe('Reconciling');
    b.beat();
    expect(b.count()).toBe(0); // not released yet from the coordinator's point of view
    const ra2 = a.beat(); // a reports it owns only its 6 now
    expect(ra2.memberEpoch).toBe(2);
    b.beat();
    expect(b.count()).toBe(6);
    noDoubleOwnership([a, b]);
    expect(h.coord.consumerGroupDescribe([G])[0]?.groupState).toBe('Stable');
  });

  it('fences a member that does not revoke within its rebalance timeout', () => {
    const h = new Harness();
    const a = new Client(h, 'a');
    a.beat();
    const b = new Client(h, 'b');
    b.beat();
    a.beat(); // told to revoke; never confirms
    for (let i = 0; i < 10; i++) {
      h.advance(4_000);
      b.beat();
      h.cgh({ memberId: 'a', memberEpoch: 1, topicPartitions: null }, cat); // heartbeat without confirming
    }
    expect(h.coord.consumerGroupDescribe([G])[0]?.members.map((m) => m.memberId)).toEqual(['b']);
    settle([b]);
    expect(b.count()).toBe(12);
  });

  it('leave (-1) hands partitions to the others', () => {
    const h = new Harness();
    const clients = ['a', 'b'].map((id) => new Client(h, id));
    settle(clients);
    const r = h.cgh({ memberId: 'a', memberEpoch: -1 }, cat);
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: -1 });
    const b = clients[1] as Client;
    settle([b]);
    expect(b.count()).toBe(12);
  });

  it('static leave (-2) keeps the partitions for the returning instance, without a new group epoch', () => {
    const h = new Harness();
    const a = new Client(h, 'a', { instanceId: 'ia' });
    const b = new Client(h, 'b', { instanceId: 'ib' });
    settle([a, b]);
    const epoch = h.coord.consumerGroupDescribe([G])[0]?.groupEpoch;
    const before = a.owned;
    expect(h.cgh({ memberId: 'a', memberEpoch: -2, instanceId: 'ia' }, cat)).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: -2 });
    // Someone else taking the instance id before the old member left is refused.
    const intruder = h.cgh({ memberId: 'x', memberEpoch: 0, instanceId: 'ib', subscribedTopicNames: ['orders'] }, cat);
    expect(intruder.errorCode).toBe(ErrorCode.UNRELEASED_INSTANCE_ID);
    const a2 = new Client(h, 'a2', { instanceId: 'ia' });
    const r = a2.beat();
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(a2.owned).toEqual(before);
    expect(h.coord.consumerGroupDescribe([G])[0]?.groupEpoch).toBe(epoch);
    expect(h.cgh({ memberId: 'a', memberEpoch: 2 }, cat).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('member epoch fencing: FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, and a lost response is forgiven', () => {
    const h = new Harness();
    const a = new Client(h, 'a');
    a.beat();
    const b = new Client(h, 'b');
    b.beat();
    expect(h.cgh({ memberId: 'a', memberEpoch: 9, topicPartitions: null }, cat).errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(h.cgh({ memberId: 'zz', memberEpoch: 1, topicPartitions: null }, cat).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    a.beat(); // revoke 6
    a.beat(); // confirm: epoch 2
    expect(a.epoch).toBe(2);
    // The client never saw epoch 2 (lost response) and retries with epoch 1 and what it owns.
    const retry = h.cgh({ memberId: 'a', memberEpoch: 1, topicPartitions: a.owned }, cat);
    expect(retry).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 2 });
    const greedy = h.cgh({ memberId: 'a', memberEpoch: 1, topicPartitions: [{ topicId: ordersId, partitions: [...Array(12).keys()] }] }, cat);
    expect(greedy.errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
  });

  it('a fenced member rejoins with epoch 0 and its member id (KAFKA-19233), mid-revocation too', () => {
    const h = new Harness();
    const a = new Client(h, 'a');
    a.beat();
    const b = new Client(h, 'b');
    b.beat();
    a.beat(); // a now owes a revocation of 6 partitions
    expect(h.cgh({ memberId: 'a', memberEpoch: 7, topicPartitions: null }, cat).errorCode).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    // The client drops everything and rejoins under the same id.
    const r = h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: ['orders'] }, cat);
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 2 });
    expect(r.assignment?.topicPartitions[0]?.partitions).toHaveLength(6);
    b.beat();
    expect(b.count()).toBe(6);
  });

  it('validates requests: INVALID_REQUEST, UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION, GROUP_MAX_SIZE_REACHED', () => {
    const h = new Harness({ consumerMaxSize: 1 });
    expect(h.cgh({ memberId: 'a', memberEpoch: 0 }, cat).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(h.cgh({ memberId: '', memberEpoch: 0, subscribedTopicNames: ['orders'] }, cat).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(h.cgh({ memberId: 'a', memberEpoch: -3 }, cat).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(h.cgh({ memberId: 'a', memberEpoch: -2 }, cat).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(
      h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: ['orders'], topicPartitions: [{ topicId: ordersId, partitions: [1] }] }, cat).errorCode,
    ).toBe(ErrorCode.INVALID_REQUEST);
    expect(h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: ['orders'], serverAssignor: 'sticky' }, cat).errorCode).toBe(ErrorCode.UNSUPPORTED_ASSIGNOR);
    expect(h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicRegex: '(' }, cat).errorCode).toBe(ErrorCode.INVALID_REGULAR_EXPRESSION);
    expect(h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: ['orders'] }, cat).errorCode).toBe(ErrorCode.NONE);
    expect(h.cgh({ memberId: 'b', memberEpoch: 0, subscribedTopicNames: ['orders'] }, cat).errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it('heartbeats and leaves for a group that does not exist answer GROUP_ID_NOT_FOUND', () => {
    const h = new Harness();
    expect(h.cgh({ memberId: 'a', memberEpoch: 3, topicPartitions: null }, cat).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(h.cgh({ memberId: 'a', memberEpoch: -1 }, cat).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(h.coord.listGroups()).toEqual([]);
  });

  it('v0 clients get a member id from the coordinator', () => {
    const h = new Harness();
    const r = h.cgh({ memberId: '', memberEpoch: 0, subscribedTopicNames: ['orders'], apiVersion: 0 }, cat);
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, memberId: 'm1', memberEpoch: 1 });
  });

  it('subscribes by regex against the tenant catalog and follows new matching topics', () => {
    const h = new Harness();
    const c1 = topics(['orders-eu', 2], ['orders-us', 2], ['payments', 4]);
    const a = new Client(h, 'a', { regex: 'orders-.*' });
    a.beat(c1);
    expect(a.owned.map((t) => [t.topicId, t.partitions])).toEqual([
      ['id-orders-eu', [0, 1]],
      ['id-orders-us', [0, 1]],
    ]);
    const c2 = topics(['orders-eu', 2], ['orders-us', 2], ['payments', 4], ['orders-apac', 1]);
    const r = a.beat(c2);
    expect(r.memberEpoch).toBe(2);
    expect(a.count()).toBe(5);
    const d = h.coord.consumerGroupDescribe([G])[0];
    expect(d?.members[0]).toMatchObject({ subscribedTopicRegex: 'orders-.*', subscribedTopicNames: [] });
    expect(d?.members[0]?.assignment.map((t) => t.topicName)).toEqual(['orders-apac', 'orders-eu', 'orders-us']);
  });

  it('ConsumerGroupDescribe: unknown and classic groups are GROUP_ID_NOT_FOUND; a classic group refuses KIP-848 members', () => {
    const h = new Harness();
    expect(h.coord.consumerGroupDescribe([G])[0]?.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    h.joinNew();
    expect(h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: ['orders'] }, cat).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(h.coord.consumerGroupDescribe([G])[0]?.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});
