// KIP-430 authorised operations through the guard: handlers answer what a principal without ACLs
// may do (as the real handlers do) and the client must read what its own ACLs allow.
import { OPERATIONS, type Operation } from '@stratus/kafka-acls';
import { ErrorCode } from '@stratus/kafka-errors';
import { createLogger } from '@stratus/platform-logging';
import type { ApiHandler, HandlerResult, RequestContext } from '@stratus/router-kafka-server';
import { StaticAclAuthority, type AclAuthority } from './authority';
import { OPERATIONS_NOT_REQUESTED, SUPPORTED_OPERATIONS, operationsBitField } from './authorized-operations';
import { guardHandler } from './guard';
import { aliceAcl } from './acl-binding.testkit';

const logger = createLogger({ service: 'acls-ops-test', level: 'silent' });
const TENANT = 'lkc-a';
const ALL_TOPIC = operationsBitField(SUPPORTED_OPERATIONS.TOPIC);
const ALL_GROUP = operationsBitField(SUPPORTED_OPERATIONS.GROUP);
const ALL_CLUSTER = operationsBitField(SUPPORTED_OPERATIONS.CLUSTER);

function ctx(apiVersion: number, username: string, clientHost?: string): RequestContext {
  return {
    ...(clientHost !== undefined ? { clientHost } : {}),
    header: { apiKey: 0, apiVersion, correlationId: 1, clientId: 'unit' },
    sasl: { principal: { username, tenantId: TENANT } },
    listener: { nodeId: 1, host: '127.0.0.1', port: 9092, clusterId: 'c' },
    logger,
    advertised: [],
    noteClientSoftware: () => undefined,
  } as unknown as RequestContext;
}

const acl = aliceAcl;

const decode = (bits: number): Operation[] => (Object.keys(OPERATIONS) as Operation[]).filter((op) => (bits & (1 << OPERATIONS[op])) !== 0).sort();

async function run(
  authority: AclAuthority,
  apiKey: number,
  request: unknown,
  respond: (request: never) => unknown,
  options: { version: number; user?: string; host?: string },
): Promise<Record<string, unknown>> {
  const handler: ApiHandler = {
    apiKey,
    name: `api-${apiKey}`,
    minVersion: 0,
    maxVersion: 20,
    async handle(_ctx, r): Promise<HandlerResult> {
      return { response: respond(r as never) };
    },
  };
  const result = (await guardHandler(handler, { authority }).handle(ctx(options.version, options.user ?? 'alice', options.host), request)) as HandlerResult;
  return result.response as Record<string, unknown>;
}

const bindings = new StaticAclAuthority({
  bindings: {
    [TENANT]: [
      acl({ name: 'orders', operation: 'READ' }),
      acl({ name: 'pay', patternType: 'PREFIXED', operation: 'WRITE' }),
      acl({ name: 'pay', patternType: 'PREFIXED', operation: 'ALTER_CONFIGS' }),
      acl({ name: 'payments-eu', operation: 'WRITE', permissionType: 'DENY' }),
      // Bob's bindings put "secrets" and "billing" under ACLs, so alice has no access to them.
      acl({ name: 'secrets', operation: 'READ', principal: 'User:bob' }),
      acl({ resourceType: 'GROUP', name: 'billing', operation: 'READ', principal: 'User:bob' }),
      acl({ resourceType: 'GROUP', name: 'app-', patternType: 'PREFIXED', operation: 'READ' }),
      acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'IDEMPOTENT_WRITE', principal: 'User:bob' }),
      acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'DESCRIBE_CONFIGS', principal: 'User:carol' }),
      acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'DESCRIBE', principal: 'User:carol', host: '10.0.0.7' }),
    ],
  },
  superUsers: ['root'],
});

type Topic = { errorCode: number; name: string | null; topicAuthorizedOperations: number };

/** A Metadata handler for an ACL-free world: every topic known, all operations when asked. */
function metadataEcho(r: { topics: Array<{ name: string }> | null; includeTopicAuthorizedOperations?: boolean; includeClusterAuthorizedOperations?: boolean }) {
  const names = r.topics === null ? ['orders', 'payments', 'payments-eu', 'secrets'] : r.topics.map((t) => t.name);
  return {
    throttleTimeMs: 0,
    brokers: [],
    clusterId: 'c',
    controllerId: 1,
    topics: names.map((name) => ({ errorCode: 0, name, partitions: [], isInternal: false, topicAuthorizedOperations: r.includeTopicAuthorizedOperations ? ALL_TOPIC : OPERATIONS_NOT_REQUESTED })),
    clusterAuthorizedOperations: r.includeClusterAuthorizedOperations ? ALL_CLUSTER : OPERATIONS_NOT_REQUESTED,
  };
}

const opsByName = (response: Record<string, unknown>) => Object.fromEntries((response['topics'] as Topic[]).map((t) => [t.name, t.topicAuthorizedOperations === OPERATIONS_NOT_REQUESTED ? 'not requested' : decode(t.topicAuthorizedOperations)]));

describe('authorised operations through the guard: Metadata', () => {
  it('per topic, from the principal\'s literal and prefixed ALLOWs, implied DESCRIBE and DENY', async () => {
    const request = { topics: [{ name: 'orders' }, { name: 'payments' }, { name: 'payments-eu' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: true };
    const response = await run(bindings, 3, request, metadataEcho, { version: 12 });
    expect(opsByName(response)).toEqual({
      orders: ['DESCRIBE', 'READ'],
      payments: ['ALTER_CONFIGS', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'WRITE'],
      // DENY WRITE takes WRITE only: a DENY implies nothing, so the DESCRIBE implied by the
      // prefixed ALLOW WRITE stays (Kafka's authorizer).
      'payments-eu': ['ALTER_CONFIGS', 'DESCRIBE', 'DESCRIBE_CONFIGS'],
    });
  });

  it('a full listing drops topics without DESCRIBE and reports the rest', async () => {
    const response = await run(bindings, 3, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: true }, metadataEcho, { version: 12 });
    expect(opsByName(response)).toEqual({
      orders: ['DESCRIBE', 'READ'],
      payments: ['ALTER_CONFIGS', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'WRITE'],
      'payments-eu': ['ALTER_CONFIGS', 'DESCRIBE', 'DESCRIBE_CONFIGS'],
    });
  });

  it('a topic refused for DESCRIBE keeps INT32_MIN; not asking keeps INT32_MIN everywhere', async () => {
    const request = { topics: [{ name: 'orders' }, { name: 'secrets' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: true };
    const asked = (await run(bindings, 3, request, metadataEcho, { version: 12 }))['topics'] as Topic[];
    expect(asked.find((t) => t.name === 'secrets')).toMatchObject({ errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, topicAuthorizedOperations: OPERATIONS_NOT_REQUESTED });
    const notAsked = await run(bindings, 3, { ...request, includeTopicAuthorizedOperations: false }, metadataEcho, { version: 12 });
    expect(opsByName(notAsked)).toEqual({ orders: 'not requested', secrets: 'not requested' });
  });

  it('cluster operations (v8-v10): 0 without DESCRIBE on the cluster, the allowed set with it', async () => {
    const request = { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: true, includeTopicAuthorizedOperations: false };
    // bob may IDEMPOTENT_WRITE but not DESCRIBE the cluster: Kafka answers 0.
    expect((await run(bindings, 3, request, metadataEcho, { version: 10, user: 'bob' }))['clusterAuthorizedOperations']).toBe(0);
    // carol's DESCRIBE is bound to 10.0.0.7.
    expect(decode((await run(bindings, 3, request, metadataEcho, { version: 10, user: 'carol', host: '10.0.0.7' }))['clusterAuthorizedOperations'] as number)).toEqual(['DESCRIBE', 'DESCRIBE_CONFIGS']);
    expect((await run(bindings, 3, request, metadataEcho, { version: 10, user: 'carol', host: '10.0.0.8' }))['clusterAuthorizedOperations']).toBe(0);
    expect((await run(bindings, 3, request, metadataEcho, { version: 10, user: 'root' }))['clusterAuthorizedOperations']).toBe(ALL_CLUSTER);
  });

  it('before v8 the fields are left alone', async () => {
    const request = { topics: [{ name: 'orders' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: true };
    const response = await run(bindings, 3, request, metadataEcho, { version: 7 });
    expect((response['topics'] as Topic[])[0]?.topicAuthorizedOperations).toBe(ALL_TOPIC);
  });

  it('a Metadata request that asks for nothing gets the handler\'s answer untouched', async () => {
    const answer = metadataEcho({ topics: [{ name: 'orders' }] });
    const response = await run(new StaticAclAuthority(), 3, { topics: [{ name: 'orders' }], allowAutoTopicCreation: false }, () => answer, { version: 12 });
    expect(response).toBe(answer);
  });

  it('tenants without bindings and super users read every supported operation', async () => {
    const request = { topics: [{ name: 'orders' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: true };
    const open = await run(new StaticAclAuthority(), 3, request, metadataEcho, { version: 12 });
    expect((open['topics'] as Topic[])[0]?.topicAuthorizedOperations).toBe(ALL_TOPIC);
    const root = await run(bindings, 3, request, metadataEcho, { version: 12, user: 'root' });
    expect((root['topics'] as Topic[])[0]?.topicAuthorizedOperations).toBe(ALL_TOPIC);
  });
});

describe('authorised operations through the guard: DescribeCluster', () => {
  const describeClusterEcho = (r: { includeClusterAuthorizedOperations: boolean }) => ({
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    clusterId: 'c',
    controllerId: 1,
    brokers: [],
    clusterAuthorizedOperations: r.includeClusterAuthorizedOperations ? ALL_CLUSTER : OPERATIONS_NOT_REQUESTED,
  });

  it('answers the allowed cluster operations when asked, INT32_MIN when not', async () => {
    const ask = { includeClusterAuthorizedOperations: true, endpointType: 1 };
    expect(decode((await run(bindings, 60, ask, describeClusterEcho, { version: 1, user: 'carol', host: '10.0.0.7' }))['clusterAuthorizedOperations'] as number)).toEqual(['DESCRIBE', 'DESCRIBE_CONFIGS']);
    expect((await run(bindings, 60, ask, describeClusterEcho, { version: 1, user: 'bob' }))['clusterAuthorizedOperations']).toBe(0);
    expect((await run(new StaticAclAuthority(), 60, ask, describeClusterEcho, { version: 1 }))['clusterAuthorizedOperations']).toBe(ALL_CLUSTER);
    expect((await run(bindings, 60, { ...ask, includeClusterAuthorizedOperations: false }, describeClusterEcho, { version: 1, user: 'carol', host: '10.0.0.7' }))['clusterAuthorizedOperations']).toBe(OPERATIONS_NOT_REQUESTED);
  });

  it('fills the field beside an endpoint-type error too, as Kafka', async () => {
    const controllers = (r: { includeClusterAuthorizedOperations: boolean }) => ({ ...describeClusterEcho(r), errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, clusterAuthorizedOperations: OPERATIONS_NOT_REQUESTED });
    const response = await run(bindings, 60, { includeClusterAuthorizedOperations: true, endpointType: 2 }, controllers, { version: 1, user: 'carol', host: '10.0.0.7' });
    expect(response['errorCode']).toBe(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE);
    expect(decode(response['clusterAuthorizedOperations'] as number)).toEqual(['DESCRIBE', 'DESCRIBE_CONFIGS']);
  });

  it('reports nothing allowed while ACLs are not loaded (fail closed)', async () => {
    const notReady: AclAuthority = { indexFor: () => new StaticAclAuthority().indexFor(TENANT), isSuperUser: () => false, ready: async () => false };
    expect((await run(notReady, 60, { includeClusterAuthorizedOperations: true }, describeClusterEcho, { version: 0 }))['clusterAuthorizedOperations']).toBe(0);
  });
});

describe('authorised operations through the guard: DescribeTopicPartitions', () => {
  it('every topic answered carries its operations (the request has no flag); refused topics keep INT32_MIN', async () => {
    const echo = (r: { topics: Array<{ name: string }> }) => ({
      throttleTimeMs: 0,
      nextCursor: null,
      topics: r.topics.map((t) => ({ errorCode: 0, name: t.name, topicId: '00000000-0000-0000-0000-000000000000', isInternal: false, partitions: [], topicAuthorizedOperations: ALL_TOPIC })),
    });
    const response = await run(bindings, 75, { topics: [{ name: 'payments' }, { name: 'secrets' }], responsePartitionLimit: 2000, cursor: null }, echo, { version: 0 });
    expect(opsByName(response)).toEqual({ payments: ['ALTER_CONFIGS', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'WRITE'], secrets: 'not requested' });
    expect((response['topics'] as Topic[]).find((t) => t.name === 'secrets')?.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  });
});

describe('authorised operations through the guard: DescribeGroups and ConsumerGroupDescribe', () => {
  type Group = { groupId: string; errorCode: number; authorizedOperations: number };
  const groupsEcho = (ids: string[]) => ({
    throttleTimeMs: 0,
    groups: ids.map((groupId) => ({
      groupId,
      // "app-gone" does not exist: the coordinator answers GROUP_ID_NOT_FOUND (KIP-848 describe).
      errorCode: groupId === 'app-gone' ? ErrorCode.GROUP_ID_NOT_FOUND : 0,
      errorMessage: null,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      members: [],
      authorizedOperations: OPERATIONS_NOT_REQUESTED,
    })),
  });
  const opsOf = (response: Record<string, unknown>) =>
    Object.fromEntries((response['groups'] as Group[]).map((g) => [g.groupId, g.authorizedOperations === OPERATIONS_NOT_REQUESTED ? g.errorCode : decode(g.authorizedOperations)]));

  it('DescribeGroups v3+: described groups carry their operations; refused and failed groups keep INT32_MIN', async () => {
    const request = { groups: ['app-1', 'billing'], includeAuthorizedOperations: true };
    const response = await run(bindings, 15, request, (r: { groups: string[] }) => groupsEcho(r.groups), { version: 5 });
    expect(opsOf(response)).toEqual({ 'app-1': ['DESCRIBE', 'READ'], billing: ErrorCode.GROUP_AUTHORIZATION_FAILED });
  });

  it('DescribeGroups: not asked, or before v3, leaves INT32_MIN', async () => {
    const echo = (r: { groups: string[] }) => groupsEcho(r.groups);
    expect(opsOf(await run(bindings, 15, { groups: ['app-1'], includeAuthorizedOperations: false }, echo, { version: 5 }))).toEqual({ 'app-1': 0 });
    expect(opsOf(await run(bindings, 15, { groups: ['app-1'], includeAuthorizedOperations: true }, echo, { version: 2 }))).toEqual({ 'app-1': 0 });
  });

  it('DescribeGroups: a super user and a tenant without bindings read READ, DESCRIBE and DELETE', async () => {
    const echo = (r: { groups: string[] }) => groupsEcho(r.groups);
    const request = { groups: ['billing'], includeAuthorizedOperations: true };
    expect((await run(bindings, 15, request, echo, { version: 5, user: 'root' }))['groups']).toEqual([expect.objectContaining({ authorizedOperations: ALL_GROUP })]);
    expect((await run(new StaticAclAuthority(), 15, request, echo, { version: 5 }))['groups']).toEqual([expect.objectContaining({ authorizedOperations: ALL_GROUP })]);
  });

  it('ConsumerGroupDescribe (KIP-848): the same, for groups described without error', async () => {
    const request = { groupIds: ['app-1', 'app-gone', 'billing'], includeAuthorizedOperations: true };
    const echo = (r: { groupIds: string[] }) => groupsEcho(r.groupIds);
    expect(opsOf(await run(bindings, 69, request, echo, { version: 0 }))).toEqual({
      'app-1': ['DESCRIBE', 'READ'],
      'app-gone': ErrorCode.GROUP_ID_NOT_FOUND,
      billing: ErrorCode.GROUP_AUTHORIZATION_FAILED,
    });
    expect(opsOf(await run(bindings, 69, { ...request, includeAuthorizedOperations: false }, echo, { version: 0 }))).toEqual({
      'app-1': 0,
      'app-gone': ErrorCode.GROUP_ID_NOT_FOUND,
      billing: ErrorCode.GROUP_AUTHORIZATION_FAILED,
    });
  });
});
