import { ErrorCode } from '@stratus/kafka-errors';
import { G, Harness, subscription } from '../harness.testkit';

const bytes = (s: string) => new Uint8Array(Buffer.from(s));

/** Three members join within the initial delay and complete generation 1. */
function threeMembers(h: Harness) {
  const a = h.joinNew({ clientId: 'a' });
  const b = h.joinNew({ clientId: 'b' });
  const c = h.joinNew({ clientId: 'c' });
  expect(h.joins.get(a.token)).toBeUndefined(); // parked during group.initial.rebalance.delay.ms
  h.advance(3_000);
  // Newcomers arrived during the first delay, so Kafka waits one more delay before completing.
  expect(h.joins.get(a.token)).toBeUndefined();
  h.advance(3_000);
  return { a, b, c };
}

describe('classic JoinGroup / SyncGroup', () => {
  it('runs KIP-394 two-phase join, the initial delay, leader election and assignment distribution', () => {
    const h = new Harness();
    const { a, b, c } = threeMembers(h);
    const ra = h.joins.get(a.token);
    const rb = h.joins.get(b.token);
    expect(ra).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range', leader: a.memberId, memberId: a.memberId });
    expect(ra?.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId, c.memberId]);
    expect(rb).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: a.memberId, members: [] });
    expect(h.coord.describeGroups([G])[0]?.groupState).toBe('CompletingRebalance');

    // A follower syncing first waits for the leader.
    const sb = h.sync(b.memberId, 1);
    expect(h.syncs.get(sb)).toBeUndefined();
    const sa = h.sync(a.memberId, 1, [
      { memberId: a.memberId, assignment: bytes('p0-3') },
      { memberId: b.memberId, assignment: bytes('p4-7') },
      { memberId: c.memberId, assignment: bytes('p8-11') },
    ]);
    expect(Buffer.from(h.syncs.get(sa)?.assignment ?? []).toString()).toBe('p0-3');
    expect(Buffer.from(h.syncs.get(sb)?.assignment ?? []).toString()).toBe('p4-7');
    const sc = h.sync(c.memberId, 1);
    expect(h.syncs.get(sc)).toMatchObject({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range' });
    expect(Buffer.from(h.syncs.get(sc)?.assignment ?? []).toString()).toBe('p8-11');
    const d = h.coord.describeGroups([G])[0];
    expect(d?.groupState).toBe('Stable');
    expect(d?.members.map((m) => Buffer.from(m.memberAssignment).toString())).toEqual(['p0-3', 'p4-7', 'p8-11']);
  });

  it('old clients (JoinGroup < v4) join in one step', () => {
    const h = new Harness({ initialRebalanceDelayMs: 0 });
    const t = h.join({ apiVersion: 3 });
    expect(h.joins.get(t)).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
  });

  it('selects the protocol by vote among the protocols every member supports', () => {
    const h = new Harness();
    const p = (...names: string[]) => names.map((name) => ({ name, metadata: subscription(['t']) }));
    const a = h.joinNew({ protocols: p('range', 'roundrobin', 'sticky') });
    h.joinNew({ protocols: p('roundrobin', 'range') });
    h.joinNew({ protocols: p('sticky', 'roundrobin') });
    h.advance(6_000);
    expect(h.joins.get(a.token)?.protocolName).toBe('roundrobin');
  });

  it('rejects incompatible members with INCONSISTENT_GROUP_PROTOCOL', () => {
    const h = new Harness();
    h.joinNew();
    const wrongType = h.join({ protocolType: 'connect' });
    expect(h.joins.get(wrongType)?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const noCommon = h.join({ protocols: [{ name: 'cooperative-sticky', metadata: new Uint8Array() }] });
    expect(h.joins.get(noCommon)?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const none = h.join({ protocols: [] });
    expect(h.joins.get(none)?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('a failed first join does not leave an empty group behind', () => {
    const h = new Harness();
    expect(h.joins.get(h.join({ protocols: [] }))?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(h.coord.listGroups()).toEqual([]);
  });

  it('validates session timeouts, unknown members and group size', () => {
    const h = new Harness({ classicMaxSize: 2 });
    expect(h.joins.get(h.join({ sessionTimeoutMs: 10 }))?.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(h.joins.get(h.join({ sessionTimeoutMs: 2_000_000 }))?.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(h.joins.get(h.join({ memberId: 'ghost' }))?.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    h.joinNew();
    h.joinNew();
    h.advance(6_000);
    expect(h.joins.get(h.join({}))?.errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it('SyncGroup and Heartbeat fence wrong generations, strangers and mismatched protocols', () => {
    const h = new Harness();
    const { a, b } = threeMembers(h);
    expect(h.syncs.get(h.sync(a.memberId, 7))?.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(h.syncs.get(h.sync('ghost', 1))?.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(h.syncs.get(h.sync(b.memberId, 1, [], { protocolType: 'connect' }))?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(h.syncs.get(h.sync(b.memberId, 1, [], { protocolName: 'roundrobin' }))?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(h.heartbeat(a.memberId, 2)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(h.heartbeat('ghost', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(h.heartbeat(a.memberId, 1, 'no-such-instance')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(h.heartbeat(a.memberId, 1)).toBe(ErrorCode.NONE); // CompletingRebalance: fine
    // A new member triggers a rebalance: heartbeats and syncs now say REBALANCE_IN_PROGRESS.
    h.joinNew({ clientId: 'd' });
    expect(h.heartbeat(a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(h.syncs.get(h.sync(a.memberId, 1))?.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('a parked SyncGroup is answered REBALANCE_IN_PROGRESS when a rebalance starts', () => {
    const h = new Harness();
    const { b } = threeMembers(h);
    const sb = h.sync(b.memberId, 1);
    h.joinNew({ clientId: 'late' });
    expect(h.syncs.get(sb)?.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('a member killed by its session timeout leaves the group and the others rebalance without it', () => {
    const h = new Harness();
    const { a, b, c } = threeMembers(h);
    h.sync(a.memberId, 1, []);
    h.sync(b.memberId, 1);
    h.sync(c.memberId, 1);
    h.advance(6_000);
    expect(h.heartbeat(a.memberId, 1)).toBe(ErrorCode.NONE);
    expect(h.heartbeat(b.memberId, 1)).toBe(ErrorCode.NONE);
    h.advance(5_000); // c has been silent for 11s > 10s session
    expect(h.coord.describeGroups([G])[0]?.groupState).toBe('PreparingRebalance');
    expect(h.heartbeat(a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const ja = h.join({ memberId: a.memberId });
    const jb = h.join({ memberId: b.memberId });
    expect(h.joins.get(ja)).toMatchObject({ generationId: 2, leader: a.memberId });
    expect(h.joins.get(ja)?.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);
    expect(h.joins.get(jb)?.errorCode).toBe(ErrorCode.NONE);
    expect(h.heartbeat(c.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('drops members that do not rejoin within the rebalance timeout', () => {
    const h = new Harness();
    const { a, b, c } = threeMembers(h);
    for (const m of [a, b, c]) h.sync(m.memberId, 1);
    h.sync(a.memberId, 1, []);
    const ja = h.join({ memberId: a.memberId, protocols: [{ name: 'range', metadata: subscription(['orders', 'x']) }] });
    expect(h.joins.get(ja)).toBeUndefined();
    for (let i = 0; i < 4; i++) {
      h.advance(7_000);
      h.heartbeat(b.memberId, 1);
    }
    // b kept heartbeating but never rejoined; c went silent. At 30s the join phase ends without them.
    h.advance(2_000);
    expect(h.joins.get(ja)).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: a.memberId });
    expect(h.coord.describeGroups([G])[0]?.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('drops members that never send SyncGroup within the rebalance timeout', () => {
    const h = new Harness();
    const { a, b, c } = threeMembers(h);
    h.sync(b.memberId, 1);
    h.sync(c.memberId, 1);
    for (let i = 0; i < 4; i++) {
      h.advance(8_000);
      for (const m of [a, b, c]) h.heartbeat(m.memberId, 1);
    }
    // The leader (a) never synced: the group rebalances without it.
    expect(h.coord.describeGroups([G])[0]?.members.map((m) => m.memberId)).toEqual([b.memberId, c.memberId]);
    expect(h.coord.describeGroups([G])[0]?.groupState).toBe('PreparingRebalance');
  });

  it('expires KIP-394 pending member ids that never come back', () => {
    const h = new Harness();
    const first = h.join({});
    const pendingId = h.joins.get(first)?.memberId as string;
    h.advance(11_000);
    expect(h.joins.get(h.join({ memberId: pendingId }))?.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('extends the initial delay while members keep arriving, capped by the rebalance timeout', () => {
    const h = new Harness({ initialRebalanceDelayMs: 3_000 });
    const a = h.joinNew({ rebalanceTimeoutMs: 7_000 });
    h.advance(2_500);
    h.joinNew();
    h.advance(1_000); // first delay over, but a newcomer arrived: wait another 3s
    expect(h.joins.get(a.token)).toBeUndefined();
    h.joinNew();
    h.advance(3_000);
    expect(h.joins.get(a.token)).toBeUndefined(); // remaining 1s slice
    h.advance(1_000);
    expect(h.joins.get(a.token)?.members).toHaveLength(3);
  });
});

describe('classic LeaveGroup', () => {
  it('removes a batch of dynamic and static members, reporting per-member errors', () => {
    const h = new Harness();
    const a = h.joinNew({ clientId: 'a' });
    const s = h.join({ groupInstanceId: 'inst-1' });
    const b = h.joinNew({ clientId: 'b' });
    h.advance(6_000);
    const sid = h.joins.get(s)?.memberId as string;
    const res = h.absorb(
      h.coord.leaveGroup(G, [
        { memberId: b.memberId, groupInstanceId: null },
        { memberId: '', groupInstanceId: 'inst-1' },
        { memberId: 'ghost', groupInstanceId: null },
        { memberId: 'wrong', groupInstanceId: 'inst-1' },
      ]),
    ).response;
    expect(res.errorCode).toBe(ErrorCode.NONE);
    expect(res.members.map((m) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(h.coord.describeGroups([G])[0]?.members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(sid).toMatch(/^c-/);
  });

  it('FENCED_INSTANCE_ID when the member id does not own the instance id; last leaver empties the group', () => {
    const h = new Harness();
    const s = h.join({ groupInstanceId: 'inst-1' });
    h.advance(3_000);
    const sid = h.joins.get(s)?.memberId as string;
    const fenced = h.absorb(h.coord.leaveGroup(G, [{ memberId: 'other', groupInstanceId: 'inst-1' }])).response;
    expect(fenced.members[0]?.errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    h.absorb(h.coord.leaveGroup(G, [{ memberId: sid, groupInstanceId: 'inst-1' }]));
    expect(h.coord.describeGroups([G])[0]).toMatchObject({ groupState: 'Empty', members: [] });
    expect(h.absorb(h.coord.leaveGroup(G, [{ memberId: sid, groupInstanceId: null }])).response.members[0]?.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('KIP-345 static membership', () => {
  function stableStatic(h: Harness) {
    const a = h.join({ groupInstanceId: 'i-a', clientId: 'a' });
    const b = h.join({ groupInstanceId: 'i-b', clientId: 'b' });
    h.advance(6_000);
    const ida = h.joins.get(a)?.memberId as string;
    const idb = h.joins.get(b)?.memberId as string;
    h.sync(ida, 1, [
      { memberId: ida, assignment: bytes('A') },
      { memberId: idb, assignment: bytes('B') },
    ], { groupInstanceId: 'i-a' });
    h.sync(idb, 1, [], { groupInstanceId: 'i-b' });
    return { ida, idb };
  }

  it('a restart within the session timeout replaces the member id without a rebalance', () => {
    const h = new Harness();
    const { ida, idb } = stableStatic(h);
    h.advance(5_000);
    const rejoin = h.join({ groupInstanceId: 'i-b', clientId: 'b' });
    const r = h.joins.get(rejoin);
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: ida });
    expect(r?.memberId).not.toBe(idb);
    expect(h.coord.describeGroups([G])[0]?.groupState).toBe('Stable');
    const s = h.sync(r?.memberId as string, 1, [], { groupInstanceId: 'i-b' });
    expect(Buffer.from(h.syncs.get(s)?.assignment ?? []).toString()).toBe('B');
    expect(h.heartbeat(idb, 1, 'i-b')).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(h.heartbeat(ida, 1, 'i-a')).toBe(ErrorCode.NONE);
    expect(h.heartbeat(ida, 1, 'i-b')).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });

  it('a returning static leader is told to skip assignment', () => {
    const h = new Harness();
    stableStatic(h);
    const rejoin = h.join({ groupInstanceId: 'i-a', clientId: 'a' });
    expect(h.joins.get(rejoin)).toMatchObject({ errorCode: ErrorCode.NONE, skipAssignment: true, generationId: 1 });
  });

  it('a restart with changed metadata triggers a rebalance', () => {
    const h = new Harness();
    stableStatic(h);
    h.join({ groupInstanceId: 'i-b', protocols: [{ name: 'range', metadata: subscription(['orders', 'payments']) }] });
    expect(h.coord.describeGroups([G])[0]?.groupState).toBe('PreparingRebalance');
  });

  it('a static member that stays away past its session timeout is removed', () => {
    const h = new Harness();
    const { ida } = stableStatic(h);
    for (let i = 0; i < 3; i++) {
      h.advance(4_000);
      h.heartbeat(ida, 1, 'i-a');
    }
    expect(h.coord.describeGroups([G])[0]?.members.map((m) => m.groupInstanceId)).toEqual(['i-a']);
  });
});
