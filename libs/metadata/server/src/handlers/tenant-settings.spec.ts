// UpdateTenant, GetQuotas/SetQuotas and the tenant-scoped RevokeApiKey over the in-memory store,
// invoked with minimal call objects (the gRPC round trip is in server.int.spec.ts).
import { status } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { cellId, unwrap } from '@stratus/metadata-model';
import { DEFAULT_QUOTAS, MemoryKvStore, MetadataStore } from '@stratus/metadata-store';
import { createMetadataService } from '../service';
import { settingsFromProto, settingsToProto } from './tenant-settings';

type Unary = (call: { request: unknown }, cb: (err: { code: number; details?: string } | null, res?: unknown) => void) => void;

function invoke<Res>(service: metadataV1.MetadataServiceServer, method: keyof metadataV1.MetadataServiceServer, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (service[method] as unknown as Unary)({ request }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

describe('tenant settings handlers', () => {
  const kv = new MemoryKvStore();
  const store = new MetadataStore({ kv, scramIterations: 4096 });
  const service = createMetadataService(store);
  let tenant: metadataV1.Tenant;
  afterAll(() => kv.close());
  beforeAll(async () => {
    unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
    const created = await invoke<metadataV1.CreateTenantResponse>(service, 'createTenant', {
      name: 'acme',
      cell: 'c1',
      quotas: { produceBytesPerSecond: 2048n, maxTopics: 3 },
      labels: { plan: 'pro' },
    });
    tenant = created.tenant as metadataV1.Tenant;
  });

  it('maps every TenantQuotas field both ways, int64 as bigint, and rejects unsafe int64 values', () => {
    const wire: metadataV1.TenantQuotas = {
      produceBytesPerSecond: 1n,
      fetchBytesPerSecond: 2n,
      requestsPerSecond: 3n,
      maxConnections: 4,
      connectionCreationsPerSecond: 5,
      maxPartitions: 6,
      maxStorageBytes: 7n,
      partitionMutationsPerSecond: 8,
      maxTopics: 0,
    };
    expect(settingsToProto(settingsFromProto(wire))).toEqual(wire);
    expect(settingsFromProto({})).toEqual({});
    expect(() => settingsFromProto({ maxStorageBytes: 2n ** 60n })).toThrow(/out of range/);
  });

  it('CreateTenant keeps explicit quotas and labels; GetQuotas separates configured from effective', async () => {
    expect(tenant.labels).toEqual({ plan: 'pro' });
    expect(tenant.quotas?.produceBytesPerSecond).toBe(2048n);
    const q = await invoke<metadataV1.GetQuotasResponse>(service, 'getQuotas', { tenantId: tenant.tenantId });
    expect(q.configured).toEqual({ produceBytesPerSecond: 2048n, maxTopics: 3 });
    expect(q.effective?.fetchBytesPerSecond).toBe(BigInt(DEFAULT_QUOTAS.fetchBytesPerSecond));
    expect(q.effective?.partitionMutationsPerSecond).toBe(DEFAULT_QUOTAS.partitionMutationsPerSecond);
    expect(q.revision).toBe(tenant.revision);
    await expect(invoke(service, 'getQuotas', { tenantId: { value: 'lkc-none' } })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(invoke(service, 'getQuotas', {})).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('SetQuotas replaces as a whole, honours validate_only and compare-on-revision', async () => {
    const before = await invoke<metadataV1.GetQuotasResponse>(service, 'getQuotas', { tenantId: tenant.tenantId });
    const dry = await invoke<metadataV1.SetQuotasResponse>(service, 'setQuotas', {
      tenantId: tenant.tenantId,
      quotas: { maxConnections: 0 },
      expectedRevision: 0n,
      validateOnly: true,
    });
    expect(dry.configured).toEqual({ maxConnections: 0 });
    expect(dry.effective?.maxConnections).toBe(0);
    expect((await invoke<metadataV1.GetQuotasResponse>(service, 'getQuotas', { tenantId: tenant.tenantId })).revision).toBe(before.revision);
    await expect(
      invoke(service, 'setQuotas', { tenantId: tenant.tenantId, quotas: { maxConnections: -1 }, expectedRevision: 0n, validateOnly: true }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    const set = await invoke<metadataV1.SetQuotasResponse>(service, 'setQuotas', {
      tenantId: tenant.tenantId,
      quotas: { requestsPerSecond: 50n },
      expectedRevision: before.revision,
      validateOnly: false,
    });
    expect(set.configured).toEqual({ requestsPerSecond: 50n });
    expect(set.effective?.produceBytesPerSecond).toBe(BigInt(DEFAULT_QUOTAS.produceBytesPerSecond));
    expect(set.revision).toBeGreaterThan(before.revision);
    // The revision the caller read is now stale: FAILED_PRECONDITION, as the contract says.
    await expect(
      invoke(service, 'setQuotas', { tenantId: tenant.tenantId, quotas: {}, expectedRevision: before.revision, validateOnly: false }),
    ).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
  });

  it('UpdateTenant renames, suspends, relabels and rejects states it does not own', async () => {
    const updated = await invoke<metadataV1.UpdateTenantResponse>(service, 'updateTenant', {
      tenantId: tenant.tenantId,
      expectedRevision: 0n,
      name: 'acme-renamed',
      state: metadataV1.TenantState.SUSPENDED,
      labels: { team: 'x' },
      replaceLabels: false,
    });
    expect(updated.tenant).toMatchObject({ name: 'acme-renamed', state: metadataV1.TenantState.SUSPENDED, labels: { plan: 'pro', team: 'x' } });
    const byName = await invoke<metadataV1.GetTenantResponse>(service, 'getTenant', { selector: { $case: 'name', value: 'acme-renamed' } });
    expect(byName.tenant?.revision).toBe(updated.tenant?.revision);
    await expect(
      invoke(service, 'updateTenant', { tenantId: tenant.tenantId, expectedRevision: 0n, state: metadataV1.TenantState.DELETING, labels: {}, replaceLabels: false }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(
      invoke(service, 'updateTenant', { tenantId: tenant.tenantId, expectedRevision: 1n, name: 'x', labels: {}, replaceLabels: false }),
    ).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
    await expect(
      invoke(service, 'updateTenant', { tenantId: { value: 'lkc-none' }, expectedRevision: 0n, labels: {}, replaceLabels: false }),
    ).rejects.toMatchObject({ code: status.NOT_FOUND });
    const cleared = await invoke<metadataV1.UpdateTenantResponse>(service, 'updateTenant', {
      tenantId: tenant.tenantId,
      expectedRevision: 0n,
      state: metadataV1.TenantState.ACTIVE,
      labels: {},
      replaceLabels: true,
    });
    expect(cleared.tenant).toMatchObject({ state: metadataV1.TenantState.ACTIVE, labels: {} });
  });

  it('RevokeApiKey scoped to a tenant answers NOT_FOUND for another tenant key', async () => {
    const other = await invoke<metadataV1.CreateTenantResponse>(service, 'createTenant', { name: 'globex', cell: 'c1', labels: {} });
    const key = await invoke<metadataV1.CreateApiKeyResponse>(service, 'createApiKey', { tenantId: tenant.tenantId, description: '', scramMechanisms: [] });
    const keyId = key.apiKey?.keyId as string;
    await expect(invoke(service, 'revokeApiKey', { keyId, tenantId: other.tenant?.tenantId })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(invoke(service, 'revokeApiKey', { keyId: '' })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    const revoked = await invoke<metadataV1.RevokeApiKeyResponse>(service, 'revokeApiKey', { keyId, tenantId: tenant.tenantId });
    expect(revoked.apiKey).toMatchObject({ keyId, state: metadataV1.ApiKeyState.REVOKED });
    const verify = await invoke<metadataV1.VerifyPlainCredentialResponse>(service, 'verifyPlainCredential', { username: keyId, password: key.secret });
    expect(verify.authenticated).toBe(false);
  });
});
