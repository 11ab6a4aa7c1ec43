// UpdateTenant / quotas / suspension: run against in-memory and etcd KV stores.
import { unwrap } from '@stratus/metadata-model';
import type { KvStore } from '../kv/kv';
import { waitFor } from '../kv/kv-contract.testkit';
import type { ResourceEvent } from '../watch/resource-watch';
import { makeFixture } from './fixtures.testkit';
import { DEFAULT_LIMITS, DEFAULT_QUOTAS, configuredSettings, effectiveQuotas } from './tenant-settings';
import { errorOf } from './topics-contract.testkit';
import type { StoredApiKey } from './types';

export function tenantUpdateContract(kv: () => KvStore): void {
  it('renames a tenant atomically with its name index, compare-on-revision', async () => {
    const { store, tenant } = await makeFixture(kv());
    const before = await store.tenants.get(tenant);
    const renamed = unwrap(await store.tenants.update(tenant, { name: 'acme-2', expectedRevision: before?.modRevision }));
    expect(renamed.value.name).toBe('acme-2');
    expect(renamed.modRevision).toBeGreaterThan(before?.modRevision ?? 0n);
    expect((await store.tenants.get(tenant))?.modRevision).toBe(renamed.modRevision);
    expect((await store.tenants.findByName('acme-2'))?.value.id).toBe(tenant);
    expect(await store.tenants.findByName('acme')).toBeUndefined();
    // The stale revision no longer matches; nothing changes.
    expect(errorOf(await store.tenants.update(tenant, { name: 'acme-3', expectedRevision: before?.modRevision }))).toBe('INVALID_UPDATE_VERSION');
    expect((await store.tenants.get(tenant))?.value.name).toBe('acme-2');
    // Names stay unique; the old name is free again.
    expect(errorOf(await store.tenants.update(tenant, { name: 'globex' }))).toBe('DUPLICATE_RESOURCE');
    expect(errorOf(await store.tenants.update(tenant, { name: 'bad name' }))).toBe('INVALID_REQUEST');
    unwrap(await store.tenants.create({ name: 'acme' }));
  });

  it('replaces quotas and limits as a whole, keeping configured apart from effective', async () => {
    const { store, tenant } = await makeFixture(kv());
    const updated = unwrap(await store.tenants.update(tenant, { settings: { produceBytesPerSecond: 1024, maxPartitions: 0, partitionMutationsPerSecond: 5 } }));
    expect(configuredSettings(updated.value)).toEqual({ produceBytesPerSecond: 1024, maxPartitions: 0, partitionMutationsPerSecond: 5 });
    expect(effectiveQuotas(updated.value)).toEqual({ ...DEFAULT_QUOTAS, produceBytesPerSecond: 1024, partitionMutationsPerSecond: 5 });
    expect(updated.value.limits).toEqual({ ...DEFAULT_LIMITS, maxPartitions: 0 });
    // An explicit 0 partitions means nothing more may be created.
    expect(errorOf(await store.topics.create({ tenantId: tenant, name: 't', numPartitions: 1 }))).toBe('POLICY_VIOLATION');
    const replaced = unwrap(await store.tenants.update(tenant, { settings: { fetchBytesPerSecond: 7 } }));
    expect(configuredSettings(replaced.value)).toEqual({ fetchBytesPerSecond: 7 });
    expect(replaced.value.quotas.produceBytesPerSecond).toBe(DEFAULT_QUOTAS.produceBytesPerSecond);
    expect(errorOf(await store.tenants.update(tenant, { settings: { maxTopics: -1 } }))).toBe('INVALID_REQUEST');
    expect(errorOf(await store.tenants.update(tenant, { settings: { requestsPerSecond: 1.5 } }))).toBe('INVALID_REQUEST');
    expect(errorOf(await store.tenants.update(tenant, { settings: { bogus: 1 } as never }))).toBe('INVALID_REQUEST');
  });

  it('merges or replaces labels, and a suspended tenant authenticates nobody', async () => {
    const { store, tenant } = await makeFixture(kv());
    unwrap(await store.tenants.update(tenant, { labels: { values: { plan: 'pro', team: 'a' }, replace: false } }));
    const merged = unwrap(await store.tenants.update(tenant, { labels: { values: { plan: 'free' }, replace: false } }));
    expect(merged.value.labels).toEqual({ plan: 'free', team: 'a' });
    const replaced = unwrap(await store.tenants.update(tenant, { labels: { values: { only: 'x' }, replace: true } }));
    expect(replaced.value.labels).toEqual({ only: 'x' });
    expect(errorOf(await store.tenants.update(tenant, { labels: { values: { 'bad key!': 'x' }, replace: false } }))).toBe('INVALID_REQUEST');
    const key = unwrap(await store.apiKeys.create({ tenantId: tenant }));
    unwrap(await store.tenants.update(tenant, { state: 'suspended' }));
    expect(errorOf(await store.apiKeys.verifyPlain({ keyId: key.info.id, secret: key.secret }))).toBe('SASL_AUTHENTICATION_FAILED');
    expect(errorOf(await store.apiKeys.scramCredential({ keyId: key.info.id, mechanism: 'SCRAM-SHA-256' }))).toBe('SASL_AUTHENTICATION_FAILED');
    unwrap(await store.tenants.update(tenant, { state: 'active' }));
    unwrap(await store.apiKeys.verifyPlain({ keyId: key.info.id, secret: key.secret }));
    expect(errorOf(await store.tenants.update(tenant, { state: 'active', expectedRevision: 1n }))).toBe('INVALID_UPDATE_VERSION');
  });

  it('api-key watch: snapshot of existing keys, then creations and revocations', async () => {
    const { store, tenant } = await makeFixture(kv());
    const first = unwrap(await store.apiKeys.create({ tenantId: tenant }));
    const events: ResourceEvent<StoredApiKey>[] = [];
    const handle = await store.watch({ kind: 'apiKeys' }, {}, (e) => events.push(e));
    try {
      await waitFor(() => events.length === 1, 10_000, 'snapshot');
      const snapshot = events[0];
      expect(snapshot?.type === 'snapshot' && [...snapshot.items.values()].map((k) => k.id)).toEqual([first.info.id]);
      const second = unwrap(await store.apiKeys.create({ tenantId: tenant }));
      unwrap(await store.apiKeys.revoke({ keyId: first.info.id }));
      await waitFor(() => events.length === 3, 10_000, 'changes');
      expect(events[1]).toMatchObject({ type: 'put', value: { id: second.info.id } });
      expect(events[2]).toMatchObject({ type: 'delete', previous: { id: first.info.id } });
    } finally {
      await handle.cancel();
    }
  });
}
