// KIP-430 with the router's real cluster handlers (Metadata, DescribeCluster,
// DescribeTopicPartitions) behind the guard, each request and response passed through the real
// codecs at the version under test: what a client of that version reads.
import { OPERATIONS, type Operation } from '@stratus/kafka-acls';
import { ErrorCode } from '@stratus/kafka-errors';
import { API_REGISTRY, type DescribeClusterResponse, type DescribeTopicPartitionsResponse, type MetadataResponse } from '@stratus/kafka-messages';
import { createLogger } from '@stratus/platform-logging';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { clusterMetadataHandler, describeClusterHandler, describeTopicPartitionsHandler, type ApiHandler, type HandlerResult, type RequestContext } from '@stratus/router-kafka-server';
import { StaticAclAuthority } from './authority';
import { OPERATIONS_NOT_REQUESTED } from './authorized-operations';
import { guardHandler } from './guard';
import { aliceAcl } from './acl-binding.testkit';

const TENANT = 'lkc-ops';
const logger = createLogger({ service: 'acls-ops-real', level: 'silent' });

const acl = aliceAcl;

const authority = new StaticAclAuthority({
  bindings: {
    [TENANT]: [
      acl({ name: 'orders', operation: 'READ' }),
      acl({ name: 'orders', operation: 'DESCRIBE_CONFIGS' }),
      acl({ name: 'audit', operation: 'WRITE', host: '10.1.1.1' }),
      acl({ name: 'secrets', operation: 'ALL', principal: 'User:bob' }),
      acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'ALTER' }),
    ],
  },
  superUsers: ['root'],
});

function newView(): InMemoryClusterView {
  const v = new InMemoryClusterView({
    self: { nodeId: 'router-1', kafkaNodeId: 1, host: 'router-1.example', port: 9092, availabilityZone: 'a' },
    brokers: [{ nodeId: 'broker-1', grpcAddress: 'broker-1:7000', availabilityZone: 'a' }],
  });
  for (const name of ['orders', 'audit', 'secrets']) v.addTopic({ tenantId: TENANT, name, partitionCount: 1 });
  return v;
}

const cluster = newView();

function context(apiKey: number, apiVersion: number, username: string, clientHost?: string): RequestContext {
  return {
    ...(clientHost !== undefined ? { clientHost } : {}),
    header: { apiKey, apiVersion, correlationId: 1, clientId: 'test' },
    sasl: { principal: { username, tenantId: TENANT }, authenticated: true },
    listener: { nodeId: 1, host: 'unused', port: 0, clusterId: 'unused' },
    logger,
    advertised: [],
    noteClientSoftware: () => undefined,
  } as unknown as RequestContext;
}

async function roundTrip<Res>(handler: ApiHandler, version: number, request: unknown, who: { user?: string; host?: string } = {}): Promise<Res> {
  const codec = API_REGISTRY.get(handler.apiKey);
  if (!codec) throw new Error(`no codec for key ${handler.apiKey}`);
  const decoded = codec.request.decode(codec.request.encode(request as never, version), version);
  const guarded = guardHandler(handler, { authority, view: cluster });
  const result = (await guarded.handle(context(handler.apiKey, version, who.user ?? 'alice', who.host), decoded)) as HandlerResult;
  return codec.response.decode(codec.response.encode(result.response as never, version), version) as Res;
}

const decode = (bits: number | undefined): Operation[] | number | undefined =>
  bits === undefined || bits === OPERATIONS_NOT_REQUESTED ? bits : (Object.keys(OPERATIONS) as Operation[]).filter((op) => (bits & (1 << OPERATIONS[op])) !== 0).sort();

describe('authorised operations from the real cluster handlers', () => {
  const metadata = clusterMetadataHandler({ view: cluster });

  it('Metadata v12: each topic reports what alice may do; unknown topics too; refused topics INT32_MIN', async () => {
    const res = await roundTrip<MetadataResponse>(metadata, 12, {
      topics: [{ name: 'orders' }, { name: 'audit' }, { name: 'secrets' }, { name: 'missing' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: true,
    });
    expect(Object.fromEntries(res.topics.map((t) => [t.name, [t.errorCode, decode(t.topicAuthorizedOperations)]]))).toEqual({
      orders: [0, ['DESCRIBE', 'DESCRIBE_CONFIGS', 'READ']],
      // audit's WRITE is for 10.1.1.1 only and the client's address is unknown here.
      audit: [ErrorCode.TOPIC_AUTHORIZATION_FAILED, OPERATIONS_NOT_REQUESTED],
      // No binding names "missing": allow.everyone.if.no.acl.found, as Kafka reports it.
      missing: [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ['ALTER', 'ALTER_CONFIGS', 'CREATE', 'DELETE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'READ', 'WRITE']],
      secrets: [ErrorCode.TOPIC_AUTHORIZATION_FAILED, OPERATIONS_NOT_REQUESTED],
    });
  });

  it('Metadata v12 from 10.1.1.1: the host-bound WRITE now applies', async () => {
    const res = await roundTrip<MetadataResponse>(metadata, 12, { topics: [{ name: 'audit' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: true }, { host: '10.1.1.1' });
    expect(res.topics.map((t) => [t.name, t.errorCode, decode(t.topicAuthorizedOperations)])).toEqual([['audit', 0, ['DESCRIBE', 'WRITE']]]);
  });

  it('Metadata v10: cluster operations only with DESCRIBE on the cluster (ALTER implies it)', async () => {
    const request = { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: true, includeTopicAuthorizedOperations: false };
    expect(decode((await roundTrip<MetadataResponse>(metadata, 10, request)).clusterAuthorizedOperations)).toEqual(['ALTER', 'DESCRIBE']);
    // bob has no cluster binding but the cluster is under ACLs (alice's): nothing, reported as 0.
    expect((await roundTrip<MetadataResponse>(metadata, 10, request, { user: 'bob' })).clusterAuthorizedOperations).toBe(0);
    expect((await roundTrip<MetadataResponse>(metadata, 10, { ...request, includeClusterAuthorizedOperations: false })).clusterAuthorizedOperations).toBe(OPERATIONS_NOT_REQUESTED);
  });

  it('DescribeCluster v1: the same cluster rule; a super user reads every cluster operation', async () => {
    const handler = describeClusterHandler({ view: cluster });
    expect(decode((await roundTrip<DescribeClusterResponse>(handler, 1, { includeClusterAuthorizedOperations: true })).clusterAuthorizedOperations)).toEqual(['ALTER', 'DESCRIBE']);
    expect(decode((await roundTrip<DescribeClusterResponse>(handler, 1, { includeClusterAuthorizedOperations: true }, { user: 'root' })).clusterAuthorizedOperations)).toEqual(
      ['ALTER', 'ALTER_CONFIGS', 'CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'IDEMPOTENT_WRITE'],
    );
    expect((await roundTrip<DescribeClusterResponse>(handler, 1, { includeClusterAuthorizedOperations: false })).clusterAuthorizedOperations).toBe(OPERATIONS_NOT_REQUESTED);
  });

  it('DescribeTopicPartitions v0: every listed topic carries its operations', async () => {
    const handler = describeTopicPartitionsHandler({ view: cluster });
    const res = await roundTrip<DescribeTopicPartitionsResponse>(handler, 0, { topics: [], responsePartitionLimit: 2000, cursor: null }, { user: 'bob' });
    // bob: secrets by his ALL; orders and audit are under alice's bindings, so not listed for him.
    expect(res.topics.map((t) => [t.name, decode(t.topicAuthorizedOperations)])).toEqual([['secrets', ['ALTER', 'ALTER_CONFIGS', 'CREATE', 'DELETE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'READ', 'WRITE']]]);
  });
});
