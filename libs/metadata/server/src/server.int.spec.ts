// MetadataService over gRPC on a real etcd: the contract as routers, brokers and tools see it.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { cellId, unwrap } from '@stratus/metadata-model';
import { EtcdKvStore, MetadataStore } from '@stratus/metadata-store';
import { bindGrpcServer, createGrpcClient, createGrpcServer, grpcErrorToKafkaError, shutdownGrpcServer, unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { startEtcd, useHarness } from '@stratus/platform-testing';
import { createMetadataService } from './index';

type Client = metadataV1.MetadataServiceClient;

function call<Req, Res>(client: Client, method: keyof Client, request: Req): Promise<Res> {
  return unaryCall(client, client[method] as unknown as UnaryMethod<Req, Res>, request, { timeoutMs: 10_000 });
}

function collect<T>(stream: ClientReadableStream<T>, into: T[]): void {
  stream.on('data', (m: T) => into.push(m));
  stream.on('error', () => undefined);
}

async function until(predicate: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('MetadataService over gRPC', () => {
  useHarness();
  let client: Client;
  let store: MetadataStore;
  let kv: EtcdKvStore;
  let stop: () => Promise<unknown>;

  beforeAll(async () => {
    const etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
    store = new MetadataStore({ kv });
    unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
    for (const [id, az] of [['r1', 'a'], ['r2', 'b'], ['r3', 'c']] as const) {
      unwrap(await store.nodes.register({ id, kind: 'replication', address: `${id}:1`, az, cell: cellId('c1'), ttlSeconds: 60 }));
    }
    const server = createGrpcServer();
    server.addService(metadataV1.MetadataServiceService, createMetadataService(store));
    const port = await bindGrpcServer(server, '127.0.0.1', 0);
    client = createGrpcClient(metadataV1.MetadataServiceClient, `127.0.0.1:${port}`);
    stop = () => shutdownGrpcServer(server, { graceMs: 1000 } as never);
  });
  afterAll(async () => {
    client.close();
    await stop();
    await kv.close();
  });

  it('serves every RPC of the contract (implemented or an explicit UNIMPLEMENTED)', () => {
    const impl = createMetadataService(store) as unknown as Record<string, unknown>;
    for (const name of Object.keys(metadataV1.MetadataServiceService)) expect(typeof impl[name]).toBe('function');
  });

  it('tenants, API keys and credentials', async () => {
    const created = await call<metadataV1.CreateTenantRequest, metadataV1.CreateTenantResponse>(client, 'createTenant', {
      name: 'acme',
      cell: 'c1',
      quotas: { maxPartitions: 5 },
      labels: {},
    });
    const tenantId = created.tenant?.tenantId as commonV1.TenantId;
    expect(created.tenant?.quotas?.maxPartitions).toBe(5);
    const dup = await call(client, 'createTenant', { name: 'acme', cell: 'c1', labels: {} }).catch((e: ServiceError) => e);
    expect((dup as ServiceError).code).toBe(status.ALREADY_EXISTS);
    expect(grpcErrorToKafkaError(dup as ServiceError)).toBe(92);
    const byName = await call<metadataV1.GetTenantRequest, metadataV1.GetTenantResponse>(client, 'getTenant', { selector: { $case: 'name', value: 'acme' } });
    expect(byName.tenant?.tenantId?.value).toBe(tenantId.value);
    expect(byName.tenant?.revision).toBeGreaterThan(0n);
    const missing = await call(client, 'getTenant', { selector: { $case: 'name', value: 'nope' } }).catch((e: ServiceError) => e);
    expect((missing as ServiceError).code).toBe(status.NOT_FOUND);

    const key = await call<metadataV1.CreateApiKeyRequest, metadataV1.CreateApiKeyResponse>(client, 'createApiKey', { tenantId, description: 'ci', scramMechanisms: [], superUser: false });
    expect(key.secret.length).toBeGreaterThan(30);
    const listed = await call<metadataV1.ListApiKeysRequest, metadataV1.ListApiKeysResponse>(client, 'listApiKeys', { tenantId, includeRevoked: false });
    expect(JSON.stringify(listed, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(key.secret);
    const good = await call<metadataV1.VerifyPlainCredentialRequest, metadataV1.VerifyPlainCredentialResponse>(client, 'verifyPlainCredential', { username: key.apiKey?.keyId ?? '', password: key.secret });
    expect(good).toMatchObject({ authenticated: true, tenantId: { value: tenantId.value } });
    const bad = await call<metadataV1.VerifyPlainCredentialRequest, metadataV1.VerifyPlainCredentialResponse>(client, 'verifyPlainCredential', { username: key.apiKey?.keyId ?? '', password: 'wrong' });
    expect(bad.authenticated).toBe(false);

    // SCRAM-SHA-512 from the fetched credential: a client proof derived from the secret verifies.
    const cred = await call<metadataV1.GetScramCredentialRequest, metadataV1.GetScramCredentialResponse>(client, 'getScramCredential', {
      username: key.apiKey?.keyId ?? '',
      mechanism: metadataV1.ScramMechanism.SCRAM_SHA_512,
    });
    expect(cred.found).toBe(true);
    const salted = pbkdf2Sync(key.secret, cred.salt, cred.iterations, 64, 'sha512');
    const clientKey = createHmac('sha512', salted).update('Client Key').digest();
    expect(createHash('sha512').update(clientKey).digest().equals(cred.storedKey)).toBe(true);
    expect(createHmac('sha512', salted).update('Server Key').digest().equals(cred.serverKey)).toBe(true);

    await call(client, 'revokeApiKey', { keyId: key.apiKey?.keyId ?? '' });
    const after = await call<metadataV1.VerifyPlainCredentialRequest, metadataV1.VerifyPlainCredentialResponse>(client, 'verifyPlainCredential', { username: key.apiKey?.keyId ?? '', password: key.secret });
    expect(after.authenticated).toBe(false);
  });

  it('topics and configs with per-item Kafka errors, tenant-scoped; watches deliver snapshot then changes and resume', async () => {
    const t1 = (await call<metadataV1.CreateTenantRequest, metadataV1.CreateTenantResponse>(client, 'createTenant', { name: 'one', cell: 'c1', quotas: { maxPartitions: 13 }, labels: {} })).tenant?.tenantId as commonV1.TenantId;
    const t2 = (await call<metadataV1.CreateTenantRequest, metadataV1.CreateTenantResponse>(client, 'createTenant', { name: 'two', cell: 'c1', labels: {} })).tenant?.tenantId as commonV1.TenantId;
    const node = await call<metadataV1.RegisterNodeRequest, metadataV1.RegisterNodeResponse>(client, 'registerNode', {
      node: { nodeId: 'b1', role: commonV1.NodeRole.BROKER, placement: { cell: 'c1', availabilityZone: 'a' }, grpcAddress: '127.0.0.1:1' },
      leaseTtlMs: 10_000n,
      version: 'test',
      kafkaListeners: [],
    });
    const generation = node.registration?.generation ?? 0n;
    expect(generation).toBeGreaterThan(0n);
    const hb = await call<metadataV1.HeartbeatRequest, metadataV1.HeartbeatResponse>(client, 'heartbeat', { nodeId: 'b1', generation, health: metadataV1.NodeHealth.READY });
    expect(hb.error?.code).toBe(0);
    const stale = await call<metadataV1.HeartbeatRequest, metadataV1.HeartbeatResponse>(client, 'heartbeat', { nodeId: 'b1', generation: generation - 1n, health: metadataV1.NodeHealth.READY });
    expect(stale.error?.code).toBe(91);

    const watched: metadataV1.WatchPartitionsResponse[] = [];
    const stream = client.watchPartitions({ resumeRevision: 0n, tenantId: t1, cell: '', leaderNodeId: '' });
    collect(stream, watched);
    await until(() => watched.some((m) => m.event?.$case === 'snapshotComplete'));
    expect(watched[0]?.event).toEqual({ $case: 'reset', value: { reason: metadataV1.WatchResetReason.INITIAL } });

    const created = await call<metadataV1.CreateTopicsRequest, metadataV1.CreateTopicsResponse>(client, 'createTopics', {
      tenantId: t1,
      topics: [
        { name: 'orders', numPartitions: 3, replicationFactor: -1, configs: { 'retention.ms': '1000' } },
        { name: 'bad name', numPartitions: 1, replicationFactor: -1, configs: {} },
        { name: 'zero', numPartitions: 0, replicationFactor: -1, configs: {} },
        { name: 'cfg', numPartitions: 1, replicationFactor: -1, configs: { 'cleanup.policy': 'never' } },
        { name: 'big', numPartitions: 10, replicationFactor: -1, configs: {} },
      ],
      validateOnly: false,
      timeoutMs: 1000,
    });
    expect(created.results.map((r) => r.error?.code)).toEqual([0, 17, 37, 40, 0]);
    const topicId = created.results[0]?.topicId as commonV1.TopicId;
    await until(() => watched.some((m) => m.event?.$case === 'updates' && m.event.value.upserted.length === 3));
    const upd = watched.find((m) => m.event?.$case === 'updates' && m.event.value.upserted.length === 3);
    const parts = upd?.event?.$case === 'updates' ? upd.event.value.upserted : [];
    expect(parts.every((p) => p.leaderNodeId === 'b1' && p.replicaNodeIds.length === 3 && p.partition?.topicId?.value.equals(topicId.value))).toBe(true);

    // Tenant isolation: t2 sees nothing of t1.
    const other = await call<metadataV1.DescribeTopicsRequest, metadataV1.DescribeTopicsResponse>(client, 'describeTopics', {
      tenantId: t2,
      topics: [{ selector: { $case: 'name', value: 'orders' } }, { selector: { $case: 'topicId', value: topicId } }],
      includePartitions: true,
    });
    expect(other.topics.map((t) => t.error?.code)).toEqual([3, 100]);
    const configs = await call<metadataV1.IncrementalAlterConfigsRequest, metadataV1.IncrementalAlterConfigsResponse>(client, 'incrementalAlterConfigs', {
      tenantId: t1,
      resources: [
        { resource: { type: metadataV1.ConfigResourceType.TOPIC, name: 'orders' }, configs: [{ name: 'cleanup.policy', op: metadataV1.AlterConfigOp.APPEND, value: 'compact' }] },
        { resource: { type: metadataV1.ConfigResourceType.TOPIC, name: 'orders' }, configs: [{ name: 'segment.bytes', op: metadataV1.AlterConfigOp.SET, value: '12' }] },
        { resource: { type: metadataV1.ConfigResourceType.BROKER, name: '1' }, configs: [] },
      ],
      validateOnly: false,
    });
    expect(configs.results.map((r) => r.error?.code)).toEqual([0, 40, 42]);
    const described = await call<metadataV1.DescribeConfigsRequest, metadataV1.DescribeConfigsResponse>(client, 'describeConfigs', {
      tenantId: t1,
      resources: [{ resource: { type: metadataV1.ConfigResourceType.TOPIC, name: 'orders' }, configNames: ['cleanup.policy', 'min.insync.replicas'] }],
      includeSynonyms: false,
      includeDocumentation: true,
    });
    expect(described.results[0]?.configs.map((c) => [c.name, c.value, c.source])).toEqual([
      ['cleanup.policy', 'delete,compact', metadataV1.ConfigSource.DYNAMIC_TOPIC_CONFIG],
      ['min.insync.replicas', '2', metadataV1.ConfigSource.DEFAULT_CONFIG],
    ]);

    const grow = await call<metadataV1.CreatePartitionsRequest, metadataV1.CreatePartitionsResponse>(client, 'createPartitions', {
      tenantId: t1,
      topics: [{ name: 'orders', totalCount: 2 }, { name: 'orders', totalCount: 4 }],
      validateOnly: false,
      timeoutMs: 1000,
    });
    expect(grow.results.map((r) => r.error?.code)).toEqual([37, 44]);

    const resumeFrom = watched[watched.length - 1]?.revision ?? 0n;
    stream.cancel();
    const deleted = await call<metadataV1.DeleteTopicsRequest, metadataV1.DeleteTopicsResponse>(client, 'deleteTopics', {
      tenantId: t1,
      topics: [{ selector: { $case: 'name', value: 'big' } }],
      timeoutMs: 1000,
    });
    expect(deleted.results[0]?.error?.code).toBe(0);
    const resumed: metadataV1.WatchPartitionsResponse[] = [];
    const again = client.watchPartitions({ resumeRevision: resumeFrom, tenantId: t1, cell: '', leaderNodeId: '' });
    collect(again, resumed);
    // No snapshot on resume: the first message names the partitions deleted while away.
    await until(() => resumed.length > 0);
    expect(resumed[0]?.event?.$case).toBe('updates');
    const gone = resumed[0]?.event?.$case === 'updates' ? resumed[0].event.value.deleted : [];
    expect(gone.map((p) => p.partition).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gone.every((p) => p.topicId?.value.equals(deleted.results[0]?.topicId?.value ?? Buffer.alloc(0)))).toBe(true);
    again.cancel();
  });

  it('a watcher resuming from a compacted revision gets reset(COMPACTED) and a fresh snapshot', async () => {
    const t = (await call<metadataV1.CreateTenantRequest, metadataV1.CreateTenantResponse>(client, 'createTenant', { name: 'compact', cell: 'c1', labels: {} })).tenant?.tenantId as commonV1.TenantId;
    const first = await call<metadataV1.CreateTopicsRequest, metadataV1.CreateTopicsResponse>(client, 'createTopics', {
      tenantId: t,
      topics: [{ name: 'early', numPartitions: 1, replicationFactor: -1, configs: {} }],
      validateOnly: false,
      timeoutMs: 1000,
    });
    expect(first.results[0]?.error?.code).toBe(0);
    const old = (await kv.range(store.keys.topics())).revision;
    await call(client, 'createTopics', { tenantId: t, topics: [{ name: 'late', numPartitions: 1, replicationFactor: -1, configs: {} }], validateOnly: false, timeoutMs: 1000 });
    await kv.compact((await kv.range(store.keys.topics())).revision);
    const got: metadataV1.WatchTopicsResponse[] = [];
    const stream = client.watchTopics({ resumeRevision: old - 1n, tenantId: t, cell: '' });
    collect(stream, got);
    await until(() => got.some((m) => m.event?.$case === 'snapshotComplete'));
    expect(got[0]?.event).toEqual({ $case: 'reset', value: { reason: metadataV1.WatchResetReason.COMPACTED } });
    const names = got.flatMap((m) => (m.event?.$case === 'updates' ? m.event.value.upserted.map((u) => u.name) : []));
    expect(names.sort()).toEqual(['early', 'late']);
    stream.cancel();
  });
});
