import { coordinatorPartition } from '@stratus/coordinator-keys';
import { ErrorCode } from '@stratus/kafka-errors';
import { FakeBrokers, PARTITIONS, call, clusterView, handlersFor, router, type Received } from './routing.testkit';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const leaderOf = (internal: string) => (coordinatorPartition(internal, PARTITIONS) % 2 === 0 ? 'b0' : 'b1');

/** A group id of tenant `tenant` coordinated by broker `node`. */
function groupOn(tenant: string, node: string, prefix = 'g'): string {
  for (let i = 0; ; i++) if (leaderOf(`${tenant}/${prefix}${i}`) === node) return `${prefix}${i}`;
}

const heartbeatReq = (groupId: string) => ({ groupId, generationId: 3, memberId: 'm-1', groupInstanceId: null });

describe('group routing: placement and namespacing', () => {
  it('forwards a single-group API to the leader of hash(<tenant>/<group>) mod N with the namespaced id', async () => {
    const { view } = clusterView();
    const brokers = new FakeBrokers(() => ({ throttleTimeMs: 0, errorCode: 0 }));
    const hs = handlersFor(view, brokers);
    for (const node of ['b0', 'b1']) {
      const g = groupOn('ta', node);
      const r = await call(hs, 'ta', 12, 4, heartbeatReq(g));
      expect(r.errorCode).toBe(0);
      const sent = brokers.received.at(-1) as Received;
      expect(sent).toMatchObject({ nodeId: node, tenantId: 'ta', apiKey: 12, apiVersion: 4 });
      expect(sent.body).toMatchObject({ groupId: `ta/${g}`, generationId: 3, memberId: 'm-1' });
    }
  });

  it('the same client group id of two tenants is two different groups', async () => {
    const { view } = clusterView();
    const brokers = new FakeBrokers(() => ({ throttleTimeMs: 0, topics: [] }));
    const hs = handlersFor(view, brokers);
    const commit = { groupId: 'orders-app', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics: [] };
    await call(hs, 'ta', 8, 9, commit);
    await call(hs, 'tb', 8, 9, commit);
    expect(brokers.received.map((r) => [r.tenantId, r.body['groupId']])).toEqual([
      ['ta', 'ta/orders-app'],
      ['tb', 'tb/orders-app'],
    ]);
  });

  it('a tenant naming another tenant’s internal id only reaches its own namespace', async () => {
    const { view } = clusterView();
    const brokers = new FakeBrokers(() => ({ throttleTimeMs: 0, errorCode: 0 }));
    const hs = handlersFor(view, brokers);
    await call(hs, 'ta', 12, 4, heartbeatReq('tb/secret'));
    expect(brokers.received[0]?.body['groupId']).toBe('ta/tb/secret');
  });

  it('answers COORDINATOR_NOT_AVAILABLE without an offsets topic, with an offline partition, or an unreachable broker', async () => {
    const { view, offsets } = clusterView();
    const brokers = new FakeBrokers(() => 'unreachable');
    const hs = handlersFor(view, brokers);
    const join = { groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [], reason: null };
    expect((await call(hs, 'ta', 11, 9, join)).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    view.setPartition({ topicId: offsets.topicId, partition: coordinatorPartition('ta/g', PARTITIONS), leaderNodeId: undefined, leaderEpoch: 2, replicaNodeIds: [] });
    expect((await call(hs, 'ta', 11, 9, join)).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    view.removeTopic(offsets.topicId);
    expect((await call(hs, 'ta', 11, 0, { ...join, rebalanceTimeoutMs: undefined })).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(brokers.received).toHaveLength(1);
  });

  it('gives a JoinGroup the time its rebalance may take, other calls the request timeout', async () => {
    const { view } = clusterView();
    const brokers = new FakeBrokers((r) =>
      r.apiKey === 11
        ? { throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolType: 'consumer', protocolName: 'range', leader: 'm', skipAssignment: false, memberId: 'm', members: [] }
        : { throttleTimeMs: 0, errorCode: 0 },
    );
    const hs = handlersFor(view, brokers);
    const join = { groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 60_000, memberId: 'm', groupInstanceId: null, protocolType: 'consumer', protocols: [], reason: null };
    expect(await call(hs, 'ta', 11, 9, join)).toMatchObject({ errorCode: 0, generationId: 1, memberId: 'm' });
    await call(hs, 'ta', 12, 4, heartbeatReq('g'));
    expect(brokers.received.map((r) => [r.apiKey, r.timeoutMs, r.headerTimeoutMs])).toEqual([
      [11, 65_000, 65_000],
      [12, 30_000, 30_000],
    ]);
  });

  it('fails the groups a broker left out of a short answer', async () => {
    const { view } = clusterView();
    const hs = handlersFor(view, new FakeBrokers(() => ({ throttleTimeMs: 0, results: [] })));
    const r = await call(hs, 'ta', 42, 2, { groupsNames: ['a'] });
    expect(r.results).toEqual([{ groupId: 'a', errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: null }]);
  });

  it('passes a broker-level refusal through as the API’s error', async () => {
    const { view } = clusterView();
    const hs = handlersFor(view, new FakeBrokers(() => ({ passthroughError: ErrorCode.NOT_COORDINATOR })));
    const r = await call(hs, 'ta', 9, 1, { groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0, 1] }] });
    expect(r.topics[0].partitions.map((p: Json) => p.errorCode)).toEqual([ErrorCode.NOT_COORDINATOR, ErrorCode.NOT_COORDINATOR]);
  });
});

describe('group routing: multi-group APIs', () => {
  it('splits DescribeGroups by coordinator, keeps the client order and strips the tenant prefix', async () => {
    const { view } = clusterView();
    const brokers = new FakeBrokers((r) => ({
      throttleTimeMs: 0,
      groups: (r.body['groups'] as string[]).map((groupId) => ({ errorCode: 0, errorMessage: null, groupId, groupState: `Stable@${r.nodeId}`, protocolType: 'consumer', protocolData: 'range', members: [], authorizedOperations: -2147483648 })),
    }));
    const hs = handlersFor(view, brokers);
    const g0 = groupOn('ta', 'b0', 'x');
    const g1 = groupOn('ta', 'b1', 'y');
    const g0b = groupOn('ta', 'b0', 'z');
    const r = await call(hs, 'ta', 15, 5, { groups: [g0, g1, g0b], includeAuthorizedOperations: false });
    expect(r.groups.map((g: Json) => [g.groupId, g.groupState])).toEqual([
      [g0, 'Stable@b0'],
      [g1, 'Stable@b1'],
      [g0b, 'Stable@b0'],
    ]);
    expect(brokers.received.map((x) => [x.nodeId, x.body['groups']])).toEqual(
      expect.arrayContaining([
        ['b0', [`ta/${g0}`, `ta/${g0b}`]],
        ['b1', [`ta/${g1}`]],
      ]),
    );
  });

  it('KIP-430: DescribeGroups and ConsumerGroupDescribe report READ, DELETE, DESCRIBE for described groups when asked (the guard narrows it by ACLs)', async () => {
    const { view } = clusterView();
    const described = (ids: string[]) => ids.map((groupId) => ({ errorCode: 0, errorMessage: null, groupId, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', groupEpoch: 1, assignmentEpoch: 1, assignorName: 'uniform', members: [], authorizedOperations: -2147483648 }));
    const brokers = new FakeBrokers((r) => {
      if (r.nodeId === 'b1') return 'unreachable';
      return { throttleTimeMs: 0, groups: described((r.body['groups'] ?? r.body['groupIds']) as string[]) };
    });
    const hs = handlersFor(view, brokers);
    const ok = groupOn('ta', 'b0');
    const down = groupOn('ta', 'b1');
    const READ_DELETE_DESCRIBE = (1 << 3) | (1 << 6) | (1 << 8);
    const ops = (r: Json) => (r['groups'] as Json[]).map((g) => [g['groupId'], g['errorCode'], g['authorizedOperations']]);
    expect(ops(await call(hs, 'ta', 15, 5, { groups: [ok, down], includeAuthorizedOperations: true }))).toEqual([
      [ok, 0, READ_DELETE_DESCRIBE],
      [down, ErrorCode.COORDINATOR_NOT_AVAILABLE, -2147483648],
    ]);
    expect(ops(await call(hs, 'ta', 15, 5, { groups: [ok], includeAuthorizedOperations: false }))).toEqual([[ok, 0, -2147483648]]);
    expect(ops(await call(hs, 'ta', 69, 0, { groupIds: [ok, down], includeAuthorizedOperations: true }))).toEqual([
      [ok, 0, READ_DELETE_DESCRIBE],
      [down, ErrorCode.COORDINATOR_NOT_AVAILABLE, -2147483648],
    ]);
    expect(ops(await call(hs, 'ta', 69, 0, { groupIds: [ok], includeAuthorizedOperations: false }))).toEqual([[ok, 0, -2147483648]]);
  });

  it('fails only the groups of an unreachable coordinator (OffsetFetch v8, DeleteGroups)', async () => {
    const { view } = clusterView();
    const brokers = new FakeBrokers((r) => {
      if (r.nodeId === 'b1') return 'unreachable';
      if (r.apiKey === 42) return { throttleTimeMs: 0, results: (r.body['groupsNames'] as string[]).map((groupId) => ({ groupId, errorCode: 0, errorMessage: null })) };
      return { throttleTimeMs: 0, groups: (r.body['groups'] as Json[]).map((g) => ({ groupId: g['groupId'], errorCode: 0, topics: [] })) };
    });
    const hs = handlersFor(view, brokers);
    const ok = groupOn('ta', 'b0');
    const down = groupOn('ta', 'b1');
    const fetched = await call(hs, 'ta', 9, 8, { groups: [{ groupId: down, topics: null }, { groupId: ok, topics: null }], requireStable: false });
    expect(fetched.groups.map((g: Json) => [g.groupId, g.errorCode])).toEqual([
      [down, ErrorCode.COORDINATOR_NOT_AVAILABLE],
      [ok, 0],
    ]);
    const deleted = await call(hs, 'ta', 42, 2, { groupsNames: [ok, down] });
    expect(deleted.results.map((g: Json) => [g.groupId, g.errorCode])).toEqual([
      [ok, 0],
      [down, ErrorCode.COORDINATOR_NOT_AVAILABLE],
    ]);
  });
});

describe('group routing: ListGroups', () => {
  const listed = (r: Received) => ({
    throttleTimeMs: 0,
    errorCode: 0,
    groups: (r.nodeId === 'b0' ? ['ta/a1', 'tb/b1', 'ta/a2'] : ['tb/b2', 'ta/a3', 'tx']).map((groupId) => ({ groupId, protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' })),
  });

  it('fans out to every broker and shows a tenant only its own groups, without the prefix', async () => {
    const { view } = clusterView();
    const hs = handlersFor(view, new FakeBrokers(listed));
    const a = await call(hs, 'ta', 16, 5, { statesFilter: [], typesFilter: [] });
    expect(a).toMatchObject({ errorCode: 0 });
    expect(a.groups.map((g: Json) => g.groupId)).toEqual(['a1', 'a2', 'a3']);
    const b = await call(hs, 'tb', 16, 0, {});
    expect(b.groups.map((g: Json) => g.groupId)).toEqual(['b1', 'b2']);
  });

  it('with several routers each lists the groups FindCoordinator sends to it: every group exactly once overall', async () => {
    const routers = [router(1), router(2), router(3)];
    const all: string[] = [];
    for (const self of routers) {
      const { view } = clusterView(self, routers);
      const r = await call(handlersFor(view, new FakeBrokers(listed), 'coordinated-here'), 'ta', 16, 5, { statesFilter: [], typesFilter: [] });
      all.push(...r.groups.map((g: Json) => g.groupId));
    }
    expect(all.sort()).toEqual(['a1', 'a2', 'a3']);
  });

  it('reports COORDINATOR_NOT_AVAILABLE with the groups it could list when a broker is down', async () => {
    const { view } = clusterView();
    const hs = handlersFor(view, new FakeBrokers((r) => (r.nodeId === 'b1' ? 'unreachable' : listed(r))));
    const a = await call(hs, 'ta', 16, 5, { statesFilter: [], typesFilter: [] });
    expect(a.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(a.groups.map((g: Json) => g.groupId)).toEqual(['a1', 'a2']);
  });
});
