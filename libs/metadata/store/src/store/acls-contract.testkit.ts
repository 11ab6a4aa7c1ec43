// The ACL store suite, run on the in-memory KV (unit) and on a real etcd (integration).
import type { AclBinding, AclBindingFilter } from '@stratus/kafka-acls';
import { MATCH_ALL_FILTER } from '@stratus/kafka-acls';
import { unwrap } from '@stratus/metadata-model';
import type { KvStore } from '../kv/kv';
import type { ResourceEvent } from '../watch/resource-watch';
import type { StoredAcl } from './acls';
import { makeFixture } from './fixtures.testkit';

const allow = (name: string, p: Partial<AclBinding> = {}): AclBinding => ({
  resourceType: 'TOPIC',
  name,
  patternType: 'LITERAL',
  principal: 'User:ak-1',
  host: '*',
  operation: 'READ',
  permissionType: 'ALLOW',
  ...p,
});
const filter = (p: Partial<AclBindingFilter>): AclBindingFilter => ({ ...MATCH_ALL_FILTER, ...p });

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}

export function aclsContract(kv: () => KvStore): void {
  it('creates, describes with filters and deletes bindings; a repeated creation is a no-op success', async () => {
    const { store, tenant } = await makeFixture(kv());
    const created = unwrap(await store.acls.create(tenant, [allow('orders'), allow('team.', { patternType: 'PREFIXED', operation: 'WRITE' }), allow('orders')]));
    expect(created.map((c) => c.ok)).toEqual([true, true, true]);
    expect(await store.acls.list(tenant)).toHaveLength(2);
    const match = unwrap(await store.acls.describe(tenant, filter({ patternType: 'MATCH', name: 'team.payments' })));
    expect(match.map((a) => a.binding.name)).toEqual(['team.']);
    const deleted = unwrap(await store.acls.delete(tenant, [filter({ name: 'orders', patternType: 'LITERAL' }), filter({ operation: 'READ' })]));
    // Both filters report the binding they matched, as Kafka does.
    expect(deleted.map((d) => (d.ok ? d.value.map((a) => a.binding.name) : d.error.name))).toEqual([['orders'], ['orders']]);
    expect((await store.acls.list(tenant)).map((a) => a.binding.name)).toEqual(['team.']);
  });

  it('answers INVALID_REQUEST per invalid binding or filter and stores the valid ones', async () => {
    const { store, tenant } = await makeFixture(kv());
    const created = unwrap(await store.acls.create(tenant, [allow(''), allow('ok'), allow('c', { resourceType: 'CLUSTER' }), allow('x', { principal: 'nobody' })]));
    expect(created.map((c) => (c.ok ? 'ok' : c.error.name))).toEqual(['INVALID_REQUEST', 'ok', 'INVALID_REQUEST', 'INVALID_REQUEST']);
    const bad = await store.acls.describe(tenant, filter({ operation: 'UNKNOWN' }));
    expect(bad.ok ? 'ok' : bad.error.name).toBe('INVALID_REQUEST');
    const deletions = unwrap(await store.acls.delete(tenant, [filter({ patternType: 'UNKNOWN' }), MATCH_ALL_FILTER]));
    expect(deletions.map((d) => (d.ok ? d.value.length : d.error.name))).toEqual(['INVALID_REQUEST', 1]);
  });

  it('keeps tenants apart and removes a deleted tenant`s bindings', async () => {
    const { store, tenant, other } = await makeFixture(kv());
    unwrap(await store.acls.create(tenant, [allow('orders')]));
    expect(unwrap(await store.acls.describe(other, MATCH_ALL_FILTER))).toEqual([]);
    expect(unwrap(await store.acls.delete(other, [MATCH_ALL_FILTER]))).toEqual([{ ok: true, value: [] }]);
    expect(await store.acls.list(tenant)).toHaveLength(1);
    const missing = await store.acls.create('lkc-nope' as never, [allow('x')]);
    expect(missing.ok ? 'ok' : missing.error.name).toBe('RESOURCE_NOT_FOUND');
    unwrap(await store.tenants.delete(tenant));
    expect(await store.acls.list(tenant)).toEqual([]);
  });

  it('streams a snapshot and then changes of one tenant`s bindings', async () => {
    const { store, tenant, other } = await makeFixture(kv());
    unwrap(await store.acls.create(tenant, [allow('a')]));
    const seen = new Map<string, StoredAcl>();
    let snapshots = 0;
    const handle = await store.watch({ kind: 'acls', tenantId: tenant }, {}, (e: ResourceEvent<StoredAcl>) => {
      if (e.type === 'snapshot') {
        snapshots++;
        seen.clear();
        for (const [k, v] of e.items) seen.set(k, v);
      } else if (e.type === 'put') seen.set(e.key, e.value);
      else seen.delete(e.key);
    });
    try {
      await until(() => snapshots === 1 && seen.size === 1);
      unwrap(await store.acls.create(tenant, [allow('b')]));
      unwrap(await store.acls.create(other, [allow('c')]));
      await until(() => seen.size === 2);
      unwrap(await store.acls.delete(tenant, [filter({ name: 'a' })]));
      await until(() => seen.size === 1);
      expect([...seen.values()].map((a) => a.binding.name)).toEqual(['b']);
    } finally {
      await handle.cancel();
    }
  });

  it('records super-user API keys', async () => {
    const { store, tenant } = await makeFixture(kv());
    const admin = unwrap(await store.apiKeys.create({ tenantId: tenant, superUser: true }));
    const plain = unwrap(await store.apiKeys.create({ tenantId: tenant }));
    expect(admin.info.superUser).toBe(true);
    expect(plain.info.superUser).toBe(false);
    const listed = await store.apiKeys.list(tenant);
    expect(listed.find((k) => k.id === admin.info.id)?.superUser).toBe(true);
  });
}
