// The guard with real rules and a fixed ACL set: handlers are recorders that answer what a real
// handler would for the request they receive, so each test shows what reached the handler and
// what the client gets back.
import type { AclBinding } from '@stratus/kafka-acls';
import { ErrorCode } from '@stratus/kafka-errors';
import { createLogger } from '@stratus/platform-logging';
import type { ClusterView } from '@stratus/router-cluster-view';
import type { ApiHandler, HandlerResult, RequestContext } from '@stratus/router-kafka-server';
import { StaticAclAuthority, type AclAuthority } from './authority';
import { guardHandler } from './guard';

const logger = createLogger({ service: 'acls-test', level: 'silent' });
const TENANT = 'lkc-a';

function ctx(apiVersion: number, username = 'alice', tenantId = TENANT, clientHost?: string): RequestContext {
  return {
    ...(clientHost !== undefined ? { clientHost } : {}),
    header: { apiKey: 0, apiVersion, correlationId: 1, clientId: 'unit' },
    sasl: { principal: { username, tenantId } },
    listener: { nodeId: 1, host: '127.0.0.1', port: 9092, clusterId: 'c' },
    logger,
    advertised: [],
    noteClientSoftware: () => undefined,
  } as unknown as RequestContext;
}

const acl = (p: Partial<AclBinding> & Pick<AclBinding, 'name' | 'operation' | 'permissionType'>): AclBinding => ({
  resourceType: 'TOPIC',
  patternType: 'LITERAL',
  principal: 'User:alice',
  host: '*',
  ...p,
});

function recorder(apiKey: number, respond: (request: never) => unknown): { handler: ApiHandler; seen: unknown[] } {
  const seen: unknown[] = [];
  const handler: ApiHandler = {
    apiKey,
    name: `api-${apiKey}`,
    minVersion: 0,
    maxVersion: 20,
    async handle(_ctx, request): Promise<HandlerResult> {
      seen.push(request);
      return { response: respond(request as never) };
    },
  };
  return { handler, seen };
}

async function run(authority: AclAuthority, apiKey: number, request: unknown, respond: (r: never) => unknown, options: { version?: number; user?: string; view?: ClusterView; host?: string } = {}) {
  const { handler, seen } = recorder(apiKey, respond);
  const result = (await guardHandler(handler, { authority, view: options.view }).handle(ctx(options.version ?? 9, options.user, TENANT, options.host), request)) as HandlerResult;
  return { response: result.response as Record<string, unknown>, seen };
}

const denyOrders = new StaticAclAuthority({
  bindings: { [TENANT]: [acl({ name: 'orders', operation: 'ALL', permissionType: 'DENY' }), acl({ name: 'payments', operation: 'ALL', permissionType: 'ALLOW' })] },
  superUsers: ['root'],
});

const produceEcho = (r: { topicData: Array<{ name: string; partitionData: Array<{ index: number }> }> }) => ({
  throttleTimeMs: 0,
  responses: r.topicData.map((t) => ({ name: t.name, partitionResponses: t.partitionData.map((p) => ({ index: p.index, errorCode: 0 })) })),
});

describe('guard: data path', () => {
  const produce = { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'orders', partitionData: [{ index: 0, records: null }, { index: 1, records: null }] }, { name: 'payments', partitionData: [{ index: 0, records: null }] }] };

  it('Produce: a denied topic never reaches the handler and is answered TOPIC_AUTHORIZATION_FAILED per partition', async () => {
    const { response, seen } = await run(denyOrders, 0, produce, produceEcho);
    expect((seen[0] as typeof produce).topicData.map((t) => t.name)).toEqual(['payments']);
    const byName = new Map((response['responses'] as Array<{ name: string; partitionResponses: Array<{ errorCode: number }> }>).map((t) => [t.name, t.partitionResponses.map((p) => p.errorCode)]));
    expect(byName.get('payments')).toEqual([0]);
    expect(byName.get('orders')).toEqual([ErrorCode.TOPIC_AUTHORIZATION_FAILED, ErrorCode.TOPIC_AUTHORIZATION_FAILED]);
  });

  it('Produce: super users and tenants without bindings pass untouched', async () => {
    const root = await run(denyOrders, 0, produce, produceEcho, { user: 'root' });
    expect(root.seen[0]).toBe(produce);
    const open = await run(new StaticAclAuthority(), 0, produce, produceEcho);
    expect(open.seen[0]).toBe(produce);
  });

  it("host-specific bindings apply to clients at that address only: a DENY from 10.0.0.9 and an ALLOW from 10.0.0.7", async () => {
    const byHost = new StaticAclAuthority({
      bindings: {
        [TENANT]: [
          acl({ name: 'orders', operation: 'WRITE', permissionType: 'ALLOW' }),
          acl({ name: 'orders', operation: 'WRITE', permissionType: 'DENY', host: '10.0.0.9' }),
          acl({ name: 'payments', operation: 'WRITE', permissionType: 'ALLOW', host: '10.0.0.7' }),
        ],
      },
    });
    const codes = async (host?: string) => {
      const { response } = await run(byHost, 0, produce, produceEcho, host !== undefined ? { host } : {});
      return Object.fromEntries((response['responses'] as Array<{ name: string; partitionResponses: Array<{ errorCode: number }> }>).map((t) => [t.name, t.partitionResponses[0]?.errorCode]));
    };
    const DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    expect(await codes('10.0.0.9')).toEqual({ orders: DENIED, payments: DENIED });
    expect(await codes('10.0.0.7')).toEqual({ orders: 0, payments: 0 });
    expect(await codes('10.0.0.8')).toEqual({ orders: 0, payments: DENIED });
    // Address unknown: only host "*" bindings apply.
    expect(await codes()).toEqual({ orders: 0, payments: DENIED });
  });

  it('Produce: a denied transactional id fails every partition with TRANSACTIONAL_ID_AUTHORIZATION_FAILED', async () => {
    const authority = new StaticAclAuthority({ bindings: { [TENANT]: [acl({ resourceType: 'TRANSACTIONAL_ID', name: 'tx-', patternType: 'PREFIXED', operation: 'WRITE', permissionType: 'DENY' })] } });
    const { response } = await run(authority, 0, { ...produce, transactionalId: 'tx-1' }, produceEcho);
    const codes = (response['responses'] as Array<{ partitionResponses: Array<{ errorCode: number }> }>).flatMap((t) => t.partitionResponses.map((p) => p.errorCode));
    expect(codes).toEqual([ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED]);
  });

  it('Fetch: READ per topic', async () => {
    const fetch = { maxWaitMs: 0, minBytes: 1, maxBytes: 1000, isolationLevel: 0, topics: [{ topic: 'orders', partitions: [{ partition: 3, fetchOffset: 0n, partitionMaxBytes: 10 }] }, { topic: 'payments', partitions: [] }] };
    const { response, seen } = await run(denyOrders, 1, fetch, (r: { topics: Array<{ topic: string }> }) => ({ throttleTimeMs: 0, responses: r.topics.map((t) => ({ topic: t.topic, partitions: [] })) }));
    expect((seen[0] as typeof fetch).topics.map((t) => t.topic)).toEqual(['payments']);
    const orders = (response['responses'] as Array<{ topic: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>).find((t) => t.topic === 'orders');
    expect(orders?.partitions).toEqual([expect.objectContaining({ partitionIndex: 3, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })]);
  });

  it('DescribeProducers (KIP-664): READ per topic; DESCRIBE alone is not enough, as in Kafka', async () => {
    const describeOnly = new StaticAclAuthority({
      bindings: { [TENANT]: [acl({ name: 'orders', operation: 'DESCRIBE', permissionType: 'ALLOW' }), acl({ name: 'payments', operation: 'READ', permissionType: 'ALLOW' })] },
    });
    const request = { topics: [{ name: 'orders', partitionIndexes: [0, 2] }, { name: 'payments', partitionIndexes: [1] }] };
    const echo = (r: typeof request) => ({
      throttleTimeMs: 0,
      topics: r.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode: 0, errorMessage: null, activeProducers: [] })) })),
    });
    const { response, seen } = await run(describeOnly, 61, request, echo, { version: 0 });
    expect((seen[0] as typeof request).topics.map((t) => t.name)).toEqual(['payments']);
    const byName = new Map((response['topics'] as Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>).map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])]));
    expect(byName.get('payments')).toEqual([[1, 0]]);
    expect(byName.get('orders')).toEqual([
      [0, ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      [2, ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
  });

  it('InitProducerId: idempotent producers need IDEMPOTENT_WRITE on the cluster or WRITE on some topic', async () => {
    // With no CLUSTER binding at all, IDEMPOTENT_WRITE is allowed by default; one for another user changes that.
    const adminCluster = acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'ALL', permissionType: 'ALLOW', principal: 'User:admin' });
    const denyAllTopics = new StaticAclAuthority({ bindings: { [TENANT]: [acl({ name: '*', operation: 'WRITE', permissionType: 'DENY' }), adminCluster] } });
    const denied = await run(denyAllTopics, 22, { transactionalId: null, transactionTimeoutMs: 1 }, () => ({ errorCode: 0 }));
    expect(denied.response['errorCode']).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    expect(denied.seen).toHaveLength(0);
    const allowed = await run(denyOrders, 22, { transactionalId: null, transactionTimeoutMs: 1 }, () => ({ errorCode: 0 }));
    expect(allowed.response['errorCode']).toBe(0);
  });
});

describe('guard: Metadata', () => {
  const topics = ['orders', 'payments', 'other'];
  const metadataEcho = (r: { topics: Array<{ name: string }> | null }) => ({
    brokers: [],
    topics: (r.topics ?? topics.map((name) => ({ name }))).map((t) => ({ errorCode: 0, name: t.name, partitions: [] })),
  });

  it('leaves unauthorized topics out of a full listing', async () => {
    const { response } = await run(denyOrders, 3, { topics: null, allowAutoTopicCreation: false }, metadataEcho);
    expect((response['topics'] as Array<{ name: string }>).map((t) => t.name)).toEqual(['payments', 'other']);
  });

  it('answers TOPIC_AUTHORIZATION_FAILED for a named unauthorized topic', async () => {
    const { response, seen } = await run(denyOrders, 3, { topics: [{ name: 'orders' }, { name: 'payments' }], allowAutoTopicCreation: false }, metadataEcho);
    expect((seen[0] as { topics: Array<{ name: string }> }).topics).toEqual([{ name: 'payments' }]);
    expect(response['topics']).toEqual([
      { errorCode: 0, name: 'payments', partitions: [] },
      expect.objectContaining({ name: 'orders', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED }),
    ]);
  });

  it('auto-creation of a missing topic needs CREATE', async () => {
    const adminCluster = acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'ALL', permissionType: 'ALLOW', principal: 'User:admin' });
    const describeOnly = new StaticAclAuthority({ bindings: { [TENANT]: [acl({ name: 'new', operation: 'DESCRIBE', permissionType: 'ALLOW' }), adminCluster] } });
    // The tenant has no topic yet: the view knows none.
    const view = { topicByName: () => undefined, topicById: () => undefined } as unknown as ClusterView;
    const { response } = await run(describeOnly, 3, { topics: [{ name: 'new' }], allowAutoTopicCreation: true }, metadataEcho, { view });
    expect(response['topics']).toEqual([expect.objectContaining({ name: 'new', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })]);
    const canCreate = new StaticAclAuthority({ bindings: { [TENANT]: [acl({ name: 'new', operation: 'ALL', permissionType: 'ALLOW' })] } });
    const created = await run(canCreate, 3, { topics: [{ name: 'new' }], allowAutoTopicCreation: true }, metadataEcho, { view });
    expect(created.response['topics']).toEqual([{ errorCode: 0, name: 'new', partitions: [] }]);
  });
});

describe('guard: groups', () => {
  const groupAcls = new StaticAclAuthority({
    // alice may use team-* groups; the wildcard binding (for an admin) puts every group under ACLs,
    // so groups outside the prefix are denied to alice instead of falling to the allow-if-no-ACL default.
    bindings: {
      [TENANT]: [
        acl({ resourceType: 'GROUP', name: 'team-', patternType: 'PREFIXED', operation: 'READ', permissionType: 'ALLOW' }),
        acl({ resourceType: 'GROUP', name: '*', operation: 'ALL', permissionType: 'ALLOW', principal: 'User:admin' }),
        acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'DESCRIBE', permissionType: 'ALLOW', principal: 'User:admin' }),
      ],
    },
  });

  it('JoinGroup outside the allowed prefix gets GROUP_AUTHORIZATION_FAILED without reaching the coordinator', async () => {
    const join = { groupId: 'other', sessionTimeoutMs: 1, memberId: 'm', protocolType: 'consumer', protocols: [] };
    const denied = await run(groupAcls, 11, join, () => ({ errorCode: 0 }));
    expect(denied.response['errorCode']).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    expect(denied.seen).toHaveLength(0);
    const allowed = await run(groupAcls, 11, { ...join, groupId: 'team-a' }, () => ({ errorCode: 0 }));
    expect(allowed.response['errorCode']).toBe(0);
  });

  it('OffsetFetch v8: per group, and READ on a group implies DESCRIBE', async () => {
    const request = { groups: [{ groupId: 'team-a', topics: null }, { groupId: 'other', topics: null }], requireStable: false };
    const { response, seen } = await run(groupAcls, 9, request, (r: { groups: Array<{ groupId: string }> }) => ({ throttleTimeMs: 0, groups: r.groups.map((g) => ({ groupId: g.groupId, topics: [], errorCode: 0 })) }), { version: 8 });
    expect((seen[0] as typeof request).groups).toEqual([{ groupId: 'team-a', topics: null }, { groupId: 'other', topics: [] }]);
    expect(response['groups']).toEqual([
      { groupId: 'team-a', topics: [], errorCode: 0 },
      { groupId: 'other', topics: [], errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED },
    ]);
  });

  it('ListGroups shows only groups the user may describe unless it may describe the cluster', async () => {
    const list = () => ({ errorCode: 0, groups: [{ groupId: 'team-a', protocolType: 'consumer' }, { groupId: 'other', protocolType: 'consumer' }] });
    const { response } = await run(groupAcls, 16, {}, list);
    expect((response['groups'] as Array<{ groupId: string }>).map((g) => g.groupId)).toEqual(['team-a']);
    const admin = await run(groupAcls, 16, {}, list, { user: 'admin' });
    expect((admin.response['groups'] as Array<{ groupId: string }>).map((g) => g.groupId)).toEqual(['team-a', 'other']);
  });

  it('FindCoordinator v4 answers denied keys itself', async () => {
    const { response, seen } = await run(groupAcls, 10, { keyType: 0, coordinatorKeys: ['team-a', 'other'] }, (r: { coordinatorKeys: string[] }) => ({
      coordinators: r.coordinatorKeys.map((key) => ({ key, nodeId: 1, host: 'h', port: 1, errorCode: 0, errorMessage: null })),
    }), { version: 4 });
    expect((seen[0] as { coordinatorKeys: string[] }).coordinatorKeys).toEqual(['team-a']);
    expect((response['coordinators'] as Array<{ key: string; errorCode: number }>).map((c) => [c.key, c.errorCode])).toEqual([
      ['team-a', 0],
      ['other', ErrorCode.GROUP_AUTHORIZATION_FAILED],
    ]);
  });
});

describe('guard: cluster-level admin APIs', () => {
  const clusterAcls = new StaticAclAuthority({
    bindings: { [TENANT]: [acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'ALTER', permissionType: 'ALLOW', principal: 'User:admin' })] },
  });

  it('CreateAcls needs ALTER on the cluster once cluster bindings exist', async () => {
    const request = { creations: [{ resourceType: 2, resourceName: 't', resourcePatternType: 3, principal: 'User:x', host: '*', operation: 3, permissionType: 3 }] };
    const denied = await run(clusterAcls, 30, request, () => ({ results: [{ errorCode: 0, errorMessage: null }] }));
    expect(denied.response['results']).toEqual([{ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null }]);
    const allowed = await run(clusterAcls, 30, request, () => ({ results: [{ errorCode: 0, errorMessage: null }] }), { user: 'admin' });
    expect(allowed.response['results']).toEqual([{ errorCode: 0, errorMessage: null }]);
  });

  it('DescribeAcls needs DESCRIBE on the cluster (ALTER implies it)', async () => {
    const denied = await run(clusterAcls, 29, {}, () => ({ errorCode: 0, resources: [] }));
    expect(denied.response['errorCode']).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const allowed = await run(clusterAcls, 29, {}, () => ({ errorCode: 0, resources: [] }), { user: 'admin' });
    expect(allowed.response['errorCode']).toBe(0);
  });

  it('DescribeConfigs: a topic needs DESCRIBE_CONFIGS on it (ALTER_CONFIGS implies it), a broker on the cluster', async () => {
    const authority = new StaticAclAuthority({ bindings: { [TENANT]: [acl({ name: 'a', operation: 'ALTER_CONFIGS', permissionType: 'ALLOW' }), acl({ name: 'b', operation: 'ALTER_CONFIGS', permissionType: 'ALLOW', principal: 'User:bob' })] } });
    const request = { resources: [{ resourceType: 2, resourceName: 'a', configurationKeys: null }, { resourceType: 2, resourceName: 'b', configurationKeys: null }], includeSynonyms: false };
    const { response } = await run(authority, 32, request, (r: typeof request) => ({ results: r.resources.map((x) => ({ errorCode: 0, resourceName: x.resourceName })) }));
    expect((response['results'] as Array<{ resourceName: string; errorCode: number }>).map((x) => [x.resourceName, x.errorCode])).toEqual([
      ['a', 0],
      ['b', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
  });

  it('fails closed while the ACLs have not loaded', async () => {
    const notReady: AclAuthority = { indexFor: () => new StaticAclAuthority().indexFor(TENANT), isSuperUser: () => true, ready: async () => false };
    const { response, seen } = await run(notReady, 0, { transactionalId: null, acks: -1, timeoutMs: 1, topicData: [{ name: 'x', partitionData: [{ index: 0 }] }] }, produceEcho);
    expect(seen[0]).toEqual(expect.objectContaining({ topicData: [] }));
    expect(response['responses']).toEqual([expect.objectContaining({ name: 'x', partitionResponses: [expect.objectContaining({ errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })] })]);
  });
});
