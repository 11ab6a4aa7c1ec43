import { ErrorCode } from '@stratus/kafka-errors';
import { ORDERS, ManualTimers, PassthroughClient, freshLog, newRuntime } from './harness.testkit';

const OFFSET_COMMIT = 8;
const OFFSET_FETCH = 9;
const JOIN = 11;
const SYNC = 14;
const LIST = 16;
const DESCRIBE = 15;
const DELETE_GROUPS = 42;
const OFFSET_DELETE = 47;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const commit = (groupId: string, offsets: [number, bigint][], extra: Json = {}): Json => ({
  groupId,
  generationIdOrMemberEpoch: -1,
  memberId: '',
  groupInstanceId: null,
  retentionTimeMs: -1n,
  topics: [{ name: 'orders', partitions: offsets.map(([p, o]) => ({ partitionIndex: p, committedOffset: o, committedLeaderEpoch: 3, committedMetadata: 'm' })) }],
  ...extra,
});

async function fetchV8(client: PassthroughClient, groups: string[]): Promise<Json> {
  return client.call<Json>(OFFSET_FETCH, 8, { groups: groups.map((g) => ({ groupId: client.g(g), topics: null })), requireStable: true });
}

describe('offsets over KafkaPassthrough', () => {
  it('commits and fetches (v1 single group, v8 many groups, v10 by topic id)', async () => {
    const timers = new ManualTimers();
    const runtime = newRuntime(timers);
    await runtime.becomeLeader(0, freshLog());
    const c = new PassthroughClient(runtime, 'ta');

    const r = await c.call<Json>(OFFSET_COMMIT, 8, commit(c.g('g1'), [[0, 42n], [1, 7n]]));
    expect(r.topics[0].partitions).toEqual([
      { partitionIndex: 0, errorCode: 0 },
      { partitionIndex: 1, errorCode: 0 },
    ]);
    await c.call(OFFSET_COMMIT, 10, { ...commit(c.g('g2'), [[2, 5n]]), topics: [{ topicId: ORDERS, partitions: [{ partitionIndex: 2, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null }] }] });

    const v1 = await c.call<Json>(OFFSET_FETCH, 1, { groupId: c.g('g1'), topics: [{ name: 'orders', partitionIndexes: [0, 1, 5] }] });
    expect(v1.topics[0].partitions.map((p: Json) => [p.partitionIndex, p.committedOffset])).toEqual([
      [0, 42n],
      [1, 7n],
      [5, -1n],
    ]);

    const v8 = await fetchV8(c, ['g1', 'g2', 'none']);
    expect(v8.groups.map((g: Json) => g.groupId)).toEqual([c.g('g1'), c.g('g2'), c.g('none')]);
    expect(v8.groups[0].topics[0].partitions.map((p: Json) => p.committedOffset)).toEqual([42n, 7n]);
    expect(v8.groups[1].topics[0].partitions[0]).toMatchObject({ partitionIndex: 2, committedOffset: 5n });
    expect(v8.groups[2]).toMatchObject({ errorCode: 0, topics: [] });

    const v10 = await c.call<Json>(OFFSET_FETCH, 10, { groups: [{ groupId: c.g('g1'), memberId: null, memberEpoch: -1, topics: [{ topicId: ORDERS, partitionIndexes: [0] }, { topicId: '0b5c7d3e-0000-0000-0000-00000000dead', partitionIndexes: [0] }] }], requireStable: false });
    expect(v10.groups[0].topics[0]).toMatchObject({ topicId: ORDERS, partitions: [{ partitionIndex: 0, committedOffset: 42n }] });
    expect(v10.groups[0].topics[1].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
  });

  it('a new leader replaying the same log sees committed offsets and groups; a deleted group stays deleted', async () => {
    const timers = new ManualTimers();
    const log = freshLog();
    const first = newRuntime(timers);
    await first.becomeLeader(0, log);
    const c1 = new PassthroughClient(first, 'ta');
    await c1.call(OFFSET_COMMIT, 8, commit(c1.g('kept'), [[0, 100n]]));
    await c1.call(OFFSET_COMMIT, 8, commit(c1.g('gone'), [[0, 1n]]));
    expect((await c1.call<Json>(DELETE_GROUPS, 2, { groupsNames: [c1.g('gone')] })).results[0].errorCode).toBe(0);
    const join1 = await c1.call<Json>(JOIN, 9, { groupId: c1.g('live'), sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: '', groupInstanceId: 'static-1', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from('s') }], reason: null });
    await timers.advance(0);
    const sync = await c1.call<Json>(SYNC, 5, { groupId: c1.g('live'), generationId: join1.generationId, memberId: join1.memberId, groupInstanceId: 'static-1', protocolType: null, protocolName: null, assignments: [{ memberId: join1.memberId, assignment: Buffer.from('a') }] });
    expect(sync.errorCode).toBe(0);

    // Failover: the old broker loses the partition, a new runtime replays the same log.
    first.resign(0);
    expect((await fetchV8(c1, ['kept'])).groups[0].errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    const second = newRuntime(timers);
    const loaded = second.becomeLeader(0, log);
    const c2 = new PassthroughClient(second, 'ta');
    expect((await fetchV8(c2, ['kept'])).groups[0].errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect((await loaded).ok).toBe(true);

    const after = await fetchV8(c2, ['kept', 'gone']);
    expect(after.groups[0].topics[0].partitions[0]).toMatchObject({ partitionIndex: 0, committedOffset: 100n, committedLeaderEpoch: 3, metadata: 'm' });
    expect(after.groups[1].topics).toEqual([]);
    const listed = await c2.call<Json>(LIST, 5, { statesFilter: [], typesFilter: [] });
    expect(listed.groups.map((g: Json) => g.groupId)).toEqual([c2.g('kept'), c2.g('live')]);
    const described = await c2.call<Json>(DESCRIBE, 5, { groups: [c2.g('live')], includeAuthorizedOperations: false });
    expect(described.groups[0]).toMatchObject({ groupState: 'Stable', protocolData: 'range' });
    expect(described.groups[0].members[0]).toMatchObject({ memberId: join1.memberId, groupInstanceId: 'static-1' });

    // The static member restarts against the new coordinator and keeps its assignment without a rebalance (KIP-345).
    const rejoin = await c2.call<Json>(JOIN, 9, { groupId: c2.g('live'), sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: '', groupInstanceId: 'static-1', protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from('s') }], reason: null });
    expect(rejoin).toMatchObject({ errorCode: 0, generationId: join1.generationId });
  });

  it('OffsetDelete removes offsets of a topic an empty group does not consume; an unknown group is GROUP_ID_NOT_FOUND', async () => {
    const timers = new ManualTimers();
    const runtime = newRuntime(timers);
    await runtime.becomeLeader(0, freshLog());
    const c = new PassthroughClient(runtime, 'ta');
    await c.call(OFFSET_COMMIT, 8, commit(c.g('g'), [[0, 9n]]));
    const del = await c.call<Json>(OFFSET_DELETE, 0, { groupId: c.g('g'), topics: [{ name: 'orders', partitions: [{ partitionIndex: 0 }] }] });
    expect(del).toMatchObject({ errorCode: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] });
    expect((await fetchV8(c, ['g'])).groups[0].topics).toEqual([]);
    const missing = await c.call<Json>(OFFSET_DELETE, 0, { groupId: c.g('nope'), topics: [] });
    expect(missing.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('expires committed offsets of an empty group after offsets.retention.minutes, also after replay', async () => {
    const timers = new ManualTimers();
    const log = freshLog();
    const config = { offsetsRetentionMs: 60_000, offsetsRetentionCheckIntervalMs: 10_000 };
    const runtime = newRuntime(timers, { config });
    await runtime.becomeLeader(0, log);
    const c = new PassthroughClient(runtime, 'ta');
    await c.call(OFFSET_COMMIT, 8, commit(c.g('idle'), [[0, 5n]]));
    await timers.advance(30_000);
    expect((await fetchV8(c, ['idle'])).groups[0].topics).toHaveLength(1);
    await timers.advance(45_000);
    expect((await fetchV8(c, ['idle'])).groups[0].topics).toEqual([]);

    const replayed = newRuntime(timers, { config });
    await replayed.becomeLeader(0, log);
    const c2 = new PassthroughClient(replayed, 'ta');
    expect((await fetchV8(c2, ['idle'])).groups[0].topics).toEqual([]);
    expect((await c2.call<Json>(LIST, 5, { statesFilter: [], typesFilter: [] })).groups).toEqual([]);
  });
});
