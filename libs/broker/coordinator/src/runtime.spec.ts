import { ErrorCode } from '@stratus/kafka-errors';
import { groupKey } from '@stratus/broker-groups';
import { coordinatorPartition } from '@stratus/coordinator-keys';
import { API_REGISTRY } from '@stratus/kafka-messages';
import { ORDERS, ManualTimers, PassthroughClient, freshLog, newRuntime, settle } from './harness.testkit';
import type { LogOutcome, OffsetsLog } from './offsets-log';
import type { OffsetsLeadership } from './runtime';
import { MemoryOffsetsLog } from './memory-offsets-log';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const OFFSET_COMMIT = 8;
const JOIN = 11;
const LIST = 16;
const CGH = 68;
const CGD = 69;

const commit = (groupId: string): Json => ({
  groupId,
  generationIdOrMemberEpoch: -1,
  memberId: '',
  groupInstanceId: null,
  topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null }] }],
});

/** A group id of tenant `ta` whose internal key hashes to partition `p` of `n`. */
function groupOn(p: number, n: number, prefix = 'g'): string {
  for (let i = 0; ; i++) if (coordinatorPartition(`ta/${prefix}${i}`, n) === p) return `${prefix}${i}`;
}

describe('CoordinatorRuntime leadership', () => {
  it('answers NOT_COORDINATOR for groups of partitions it does not lead', async () => {
    const timers = new ManualTimers();
    const runtime = newRuntime(timers, { partitionCount: 4 });
    await runtime.becomeLeader(1, freshLog());
    const c = new PassthroughClient(runtime, 'ta');
    const mine = groupOn(1, 4);
    const theirs = groupOn(2, 4);
    expect(runtime.partitionOf(groupKey(c.g(mine)))).toBe(1);
    expect((await c.call<Json>(OFFSET_COMMIT, 8, commit(c.g(mine)))).topics[0].partitions[0].errorCode).toBe(0);
    expect((await c.call<Json>(OFFSET_COMMIT, 8, commit(c.g(theirs)))).topics[0].partitions[0].errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(runtime.status()).toEqual([{ partition: 1, state: 'active' }]);
  });

  it('answers parked joins NOT_COORDINATOR when leadership is lost, and follows a leadership view', async () => {
    const timers = new ManualTimers();
    const runtime = newRuntime(timers, { config: { initialRebalanceDelayMs: 3_000 } });
    const listeners: ((p: number, log: OffsetsLog | undefined) => void)[] = [];
    const led = new Map<number, OffsetsLog>([[0, freshLog()]]);
    const leadership: OffsetsLeadership = { current: () => led, onChange: (l) => (listeners.push(l), () => undefined) };
    runtime.attach(leadership);
    await settle();
    const c = new PassthroughClient(runtime, 'ta');
    const parked = c.start<Json>(JOIN, 3, { groupId: c.g('g'), sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from('s') }] });
    await settle();
    expect(parked.done).toBe(false); // waiting out group.initial.rebalance.delay.ms
    for (const l of listeners) l(0, undefined);
    expect((await parked.result).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(runtime.status()).toEqual([]);

    for (const l of listeners) l(0, freshLog());
    await settle();
    expect(runtime.status()).toEqual([{ partition: 0, state: 'active' }]);
  });

  it('stops serving when the log is fenced (another leader) and answers NOT_COORDINATOR', async () => {
    const timers = new ManualTimers();
    const log = freshLog();
    const runtime = newRuntime(timers);
    await runtime.becomeLeader(0, log);
    const c = new PassthroughClient(runtime, 'ta');
    log.fence();
    expect((await c.call<Json>(OFFSET_COMMIT, 8, commit(c.g('g')))).topics[0].partitions[0].errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(runtime.status()).toEqual([]);
  });

  it('reloads from the log after a transient write failure, dropping the unwritten change', async () => {
    const timers = new ManualTimers();
    const inner = new MemoryOffsetsLog();
    let failNext = false;
    const flaky: OffsetsLog = {
      append: async (records): Promise<LogOutcome<{ baseOffset: bigint }>> => {
        if (failNext) {
          failNext = false;
          return { ok: false, error: { code: ErrorCode.NOT_ENOUGH_REPLICAS, message: 'one replica left' } };
        }
        return inner.append(records);
      },
      read: (from, max) => inner.read(from, max),
      startOffset: () => inner.startOffset(),
      highWatermark: () => inner.highWatermark(),
    };
    const runtime = newRuntime(timers);
    await runtime.becomeLeader(0, flaky);
    const c = new PassthroughClient(runtime, 'ta');
    await c.call(OFFSET_COMMIT, 8, commit(c.g('kept')));
    failNext = true;
    expect((await c.call<Json>(OFFSET_COMMIT, 8, commit(c.g('lost')))).topics[0].partitions[0].errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    await settle();
    expect(runtime.status()).toEqual([{ partition: 0, state: 'active' }]);
    const listed = await c.call<Json>(LIST, 5, { statesFilter: [], typesFilter: [] });
    expect(listed.groups.map((g: Json) => g.groupId)).toEqual([c.g('kept')]);
  });
});

describe('KIP-848 over KafkaPassthrough', () => {
  it('assigns the subscribed topic to a joining member and describes the group', async () => {
    const timers = new ManualTimers();
    const runtime = newRuntime(timers);
    await runtime.becomeLeader(0, freshLog());
    const c = new PassthroughClient(runtime, 'ta');
    const hb = await c.call<Json>(CGH, 1, {
      groupId: c.g('cg'),
      memberId: 'member-uuid-1',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: ['orders'],
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: [],
    });
    expect(hb).toMatchObject({ errorCode: 0, memberId: 'member-uuid-1', memberEpoch: 1 });
    expect(hb.assignment.topicPartitions).toEqual([{ topicId: ORDERS, partitions: [0, 1, 2, 3, 4, 5] }]);
    const d = await c.call<Json>(CGD, 1, { groupIds: [c.g('cg'), c.g('missing')], includeAuthorizedOperations: false });
    expect(d.groups[0]).toMatchObject({ errorCode: 0, groupId: c.g('cg'), groupState: 'Stable', groupEpoch: 1, assignorName: 'uniform' });
    expect(d.groups[0].members[0]).toMatchObject({ memberId: 'member-uuid-1', clientId: 'cli', clientHost: '/10.0.0.9', subscribedTopicNames: ['orders'] });
    expect(d.groups[1].errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});

describe('tenant scoping on the broker', () => {
  it('lists only the caller tenant’s groups and refuses group ids outside its namespace', async () => {
    const timers = new ManualTimers();
    const runtime = newRuntime(timers);
    await runtime.becomeLeader(0, freshLog());
    const a = new PassthroughClient(runtime, 'ta');
    const b = new PassthroughClient(runtime, 'tb');
    await a.call(OFFSET_COMMIT, 8, commit(a.g('shared-name')));
    await b.call(OFFSET_COMMIT, 8, commit(b.g('shared-name')));
    await b.call(OFFSET_COMMIT, 8, commit(b.g('b-only')));
    const listA = await a.call<Json>(LIST, 5, { statesFilter: [], typesFilter: [] });
    expect(listA.groups.map((g: Json) => g.groupId)).toEqual(['ta/shared-name']);
    const stolen = await a.call<Json>(OFFSET_COMMIT, 8, commit('tb/b-only'));
    expect(stolen.topics[0].partitions[0].errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
  });
});

describe('passthrough-level refusals', () => {
  it('refuses unknown APIs, unsupported versions, missing tenants and undecodable bodies with `error`', async () => {
    const timers = new ManualTimers();
    const runtime = newRuntime(timers);
    await runtime.becomeLeader(0, freshLog());
    const c = new PassthroughClient(runtime, 'ta');
    expect((await c.raw(0, 9, Buffer.alloc(0))).error?.code).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect((await c.raw(JOIN, 42, Buffer.alloc(0))).error?.code).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect((await c.raw(JOIN, 9, Buffer.from([1, 2, 3]))).error?.code).toBe(ErrorCode.INVALID_REQUEST);
    const noTenant = new PassthroughClient(runtime, '');
    const body = API_REGISTRY.get(LIST)?.request.encode({ statesFilter: [], typesFilter: [] }, 5) ?? Buffer.alloc(0);
    expect((await noTenant.raw(LIST, 5, body)).error?.code).toBe(ErrorCode.INVALID_REQUEST);
  });
});
