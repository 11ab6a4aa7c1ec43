import { ErrorCode } from '@stratus/kafka-errors';
import { ManualTimers, PassthroughClient, freshLog, newRuntime, settle } from './harness.testkit';

const JOIN = 11;
const HEARTBEAT = 12;
const SYNC = 14;
const LEAVE = 13;
const DESCRIBE = 15;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function joinReq(groupId: string, memberId = '', extra: Json = {}): Json {
  return {
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('sub') }],
    reason: null,
    ...extra,
  };
}

async function setup() {
  const timers = new ManualTimers();
  const log = freshLog();
  const runtime = newRuntime(timers);
  expect((await runtime.becomeLeader(0, log)).ok).toBe(true);
  return { timers, log, runtime, client: new PassthroughClient(runtime, 'ta') };
}

/** KIP-394 two-phase join of one member; returns its id and the (maybe parked) second join. */
async function joinTwoPhase(client: PassthroughClient, group: string) {
  const first = await client.call<Json>(JOIN, 9, joinReq(client.g(group)));
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  const memberId = first.memberId as string;
  return { memberId, second: client.start<Json>(JOIN, 9, joinReq(client.g(group), memberId)) };
}

describe('classic group protocol over KafkaPassthrough', () => {
  it('joins (KIP-394), syncs, heartbeats and leaves; every change is in the offsets log first', async () => {
    const { client, log, timers } = await setup();
    const a = await joinTwoPhase(client, 'g');
    await timers.advance(0);
    const ja = await a.second.result;
    expect(ja).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: a.memberId, protocolName: 'range', memberId: a.memberId });
    expect(ja.members.map((m: Json) => m.memberId)).toEqual([a.memberId]);

    const sync = await client.call<Json>(SYNC, 5, {
      groupId: client.g('g'),
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: a.memberId, assignment: Buffer.from('all-of-it') }],
    });
    expect(sync).toMatchObject({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range' });
    expect(Buffer.from(sync.assignment).toString()).toBe('all-of-it');
    expect(log.highWatermark()).toBeGreaterThan(0n);

    const hb = await client.call<Json>(HEARTBEAT, 4, { groupId: client.g('g'), generationId: 1, memberId: a.memberId, groupInstanceId: null });
    expect(hb.errorCode).toBe(ErrorCode.NONE);
    const stale = await client.call<Json>(HEARTBEAT, 4, { groupId: client.g('g'), generationId: 0, memberId: a.memberId, groupInstanceId: null });
    expect(stale.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);

    const described = await client.call<Json>(DESCRIBE, 5, { groups: [client.g('g')], includeAuthorizedOperations: false });
    expect(described.groups[0]).toMatchObject({ errorCode: 0, groupId: client.g('g'), groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described.groups[0].members[0]).toMatchObject({ memberId: a.memberId, clientId: 'cli', clientHost: '/10.0.0.9' });

    const leave = await client.call<Json>(LEAVE, 5, { groupId: client.g('g'), members: [{ memberId: a.memberId, groupInstanceId: null, reason: 'bye' }] });
    expect(leave).toMatchObject({ errorCode: 0, members: [{ memberId: a.memberId, errorCode: 0 }] });
    const after = await client.call<Json>(DESCRIBE, 5, { groups: [client.g('g')], includeAuthorizedOperations: false });
    expect(after.groups[0].groupState).toBe('Empty');
  });

  it('a parked JoinGroup (rebalance in progress) does not block other requests', async () => {
    const { client, timers } = await setup();
    const a = await joinTwoPhase(client, 'g');
    await timers.advance(0);
    await a.second.result;
    await client.call(SYNC, 5, { groupId: client.g('g'), generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });

    // A second member joins: the group rebalances and waits for member a to rejoin.
    const b = await joinTwoPhase(client, 'g');
    await settle();
    expect(b.second.done).toBe(false);

    // Meanwhile a heartbeat, a describe and another group's join are all answered.
    const hb = await client.call<Json>(HEARTBEAT, 4, { groupId: client.g('g'), generationId: 1, memberId: a.memberId, groupInstanceId: null });
    expect(hb.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const other = await joinTwoPhase(client, 'other');
    await timers.advance(0);
    expect((await other.second.result).errorCode).toBe(ErrorCode.NONE);
    expect(b.second.done).toBe(false);

    // a rejoins: both parked joins complete with generation 2.
    const ra = await client.call<Json>(JOIN, 9, joinReq(client.g('g'), a.memberId));
    const rb = await b.second.result;
    expect(ra).toMatchObject({ errorCode: 0, generationId: 2, leader: a.memberId });
    expect(rb).toMatchObject({ errorCode: 0, generationId: 2, leader: a.memberId, members: [] });
  });

  it('old versions: JoinGroup v0 (no rebalance timeout, non-null protocol name) and LeaveGroup v0', async () => {
    const { client, timers } = await setup();
    const join = client.start<Json>(JOIN, 0, { groupId: client.g('old'), sessionTimeoutMs: 10_000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from('x') }] });
    await timers.advance(0);
    const r = await join.result;
    expect(r).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
    const leave = await client.call<Json>(LEAVE, 0, { groupId: client.g('old'), memberId: r.memberId });
    expect(leave.errorCode).toBe(0);
    const unknown = await client.call<Json>(LEAVE, 0, { groupId: client.g('old'), memberId: 'nobody' });
    expect(unknown.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('expires a member whose session times out (timers fire without any request)', async () => {
    const { client, timers } = await setup();
    const a = await joinTwoPhase(client, 'g');
    await timers.advance(0);
    await a.second.result;
    await client.call(SYNC, 5, { groupId: client.g('g'), generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await timers.advance(10_001);
    const d = await client.call<Json>(DESCRIBE, 5, { groups: [client.g('g')], includeAuthorizedOperations: false });
    expect(d.groups[0]).toMatchObject({ groupState: 'Empty', members: [] });
  });
});
