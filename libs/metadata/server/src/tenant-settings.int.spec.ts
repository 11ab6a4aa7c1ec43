// UpdateTenant, GetQuotas/SetQuotas and WatchApiKeys over gRPC on a real etcd.
import { status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { cellId, unwrap } from '@stratus/metadata-model';
import { EtcdKvStore, MetadataStore } from '@stratus/metadata-store';
import { bindGrpcServer, createGrpcClient, createGrpcServer, shutdownGrpcServer, unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { startEtcd, useHarness } from '@stratus/platform-testing';
import { createMetadataService } from './index';

type Client = metadataV1.MetadataServiceClient;

function call<Res>(client: Client, method: keyof Client, request: unknown): Promise<Res> {
  return unaryCall(client, client[method] as unknown as UnaryMethod<unknown, Res>, request, { timeoutMs: 10_000 });
}

async function until(predicate: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('tenant settings and API key watch over gRPC', () => {
  useHarness();
  let client: Client;
  let kv: EtcdKvStore;
  let stop: () => Promise<unknown>;
  const tenantOf = async (name: string) =>
    (await call<metadataV1.CreateTenantResponse>(client, 'createTenant', { name, cell: 'c1', labels: {} })).tenant as metadataV1.Tenant;

  beforeAll(async () => {
    const etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
    const store = new MetadataStore({ kv, scramIterations: 4096 });
    unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
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

  it('UpdateTenant and SetQuotas are compare-on-revision; GetQuotas reports configured and effective', async () => {
    const t = await tenantOf('initech');
    const renamed = await call<metadataV1.UpdateTenantResponse>(client, 'updateTenant', {
      tenantId: t.tenantId,
      expectedRevision: t.revision,
      name: 'initech-2',
      labels: {},
      replaceLabels: false,
    });
    expect(renamed.tenant?.name).toBe('initech-2');
    const stale = await call(client, 'updateTenant', { tenantId: t.tenantId, expectedRevision: t.revision, name: 'x', labels: {} }).catch((e: ServiceError) => e);
    expect((stale as ServiceError).code).toBe(status.FAILED_PRECONDITION);
    const set = await call<metadataV1.SetQuotasResponse>(client, 'setQuotas', {
      tenantId: t.tenantId,
      quotas: { fetchBytesPerSecond: 1n << 40n, maxPartitions: 0 },
      expectedRevision: renamed.tenant?.revision,
    });
    expect(set.revision).toBeGreaterThan(renamed.tenant?.revision ?? 0n);
    const got = await call<metadataV1.GetQuotasResponse>(client, 'getQuotas', { tenantId: t.tenantId });
    expect(got.configured).toEqual({ fetchBytesPerSecond: 1n << 40n, maxPartitions: 0 });
    expect(got.effective?.maxPartitions).toBe(0);
    expect(got.effective?.produceBytesPerSecond).toBeGreaterThan(0n);
    expect(got.revision).toBe(set.revision);
    // maxPartitions 0 is enforced on topic creation.
    const topics = await call<metadataV1.CreateTopicsResponse>(
      client,
      'createTopics',
      metadataV1.CreateTopicsRequest.fromPartial({ tenantId: t.tenantId, topics: [{ name: 'orders', numPartitions: 1, replicationFactor: -1 }] }),
    );
    expect(topics.results[0]?.error?.code).toBe(44);
    const missing = await call(client, 'getQuotas', { tenantId: { value: 'lkc-nope' } }).catch((e: ServiceError) => e);
    expect((missing as ServiceError).code).toBe(status.NOT_FOUND);
  });

  it('WatchApiKeys: a snapshot of the tenant keys, then creations and revocations, never hashes', async () => {
    const acme = await tenantOf('acme-watch');
    const other = await tenantOf('globex-watch');
    const first = await call<metadataV1.CreateApiKeyResponse>(client, 'createApiKey', { tenantId: acme.tenantId, description: 'first', scramMechanisms: [] });
    await call(client, 'createApiKey', { tenantId: other.tenantId, description: 'other', scramMechanisms: [] });
    const got: metadataV1.WatchApiKeysResponse[] = [];
    const stream: ClientReadableStream<metadataV1.WatchApiKeysResponse> = client.watchApiKeys({ resumeRevision: 0n, tenantId: acme.tenantId });
    stream.on('data', (m: metadataV1.WatchApiKeysResponse) => got.push(m));
    stream.on('error', () => undefined);
    try {
      await until(() => got.some((m) => m.event?.$case === 'snapshotComplete'));
      expect(got[0]?.event).toEqual({ $case: 'reset', value: { reason: metadataV1.WatchResetReason.INITIAL } });
      const snapshot = got.flatMap((m) => (m.event?.$case === 'updates' ? m.event.value.upserted : []));
      expect(snapshot.map((k) => k.keyId)).toEqual([first.apiKey?.keyId]);
      const second = await call<metadataV1.CreateApiKeyResponse>(client, 'createApiKey', { tenantId: acme.tenantId, description: 'second', scramMechanisms: [] });
      await call(client, 'createApiKey', { tenantId: other.tenantId, description: 'not mine', scramMechanisms: [] });
      await call(client, 'revokeApiKey', { keyId: first.apiKey?.keyId, tenantId: acme.tenantId });
      await until(() => got.some((m) => m.event?.$case === 'updates' && m.event.value.deleted.length > 0));
      const changes = got.slice(got.findIndex((m) => m.event?.$case === 'snapshotComplete') + 1);
      expect(changes.map((m) => (m.event?.$case === 'updates' ? m.event.value : undefined))).toEqual([
        { upserted: [expect.objectContaining({ keyId: second.apiKey?.keyId, description: 'second' })], deleted: [] },
        { upserted: [], deleted: [first.apiKey?.keyId] },
      ]);
      // Only public fields cross the wire: no hash, salt or SCRAM key, and never the secret.
      const wire = JSON.stringify(got, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      expect(wire).not.toContain(second.secret);
      expect(wire).not.toMatch(/storedKey|serverKey|salt|hash/i);
    } finally {
      stream.cancel();
    }
  });
});
