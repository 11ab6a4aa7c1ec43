// Tenants, API keys and credentials, node registrations, producer ids and watches: run against
// in-memory and etcd KV stores.
import { checkClientFinal, parseClientFinal, parseClientFirst, serverFirstMessage } from '@stratus/kafka-scram';
import { apiKeyId, cellId, tenantId, unwrap, type ScramMechanism } from '@stratus/metadata-model';
import type { KvStore } from '../kv/kv';
import { waitFor } from '../kv/kv-contract.testkit';
import type { ResourceEvent } from '../watch/resource-watch';
import { makeFixture, scramClientProof } from './fixtures.testkit';
import { errorOf } from './topics-contract.testkit';
import type { Topic } from './types';

export function clusterContract(kv: () => KvStore): void {
  it('creates, lists, describes and deletes tenants with their topics and keys', async () => {
    const { store, tenant, other } = await makeFixture(kv());
    expect(errorOf(await store.tenants.create({ name: 'acme', cell: cellId('c1') }))).toBe('DUPLICATE_RESOURCE');
    expect(errorOf(await store.tenants.create({ name: 'bad name' }))).toBe('INVALID_REQUEST');
    expect(errorOf(await store.tenants.create({ name: 'x', cell: cellId('nowhere') }))).toBe('INVALID_REQUEST');
    expect(errorOf(await store.tenants.create({ name: 'y', limits: { maxPartitions: -1 } }))).toBe('INVALID_REQUEST');
    const auto = unwrap(await store.tenants.create({ name: 'auto-cell' }));
    expect(auto.cell).toBe('c1');
    expect((await store.tenants.list()).map((t) => t.name).sort()).toEqual(['acme', 'auto-cell', 'globex']);
    expect(unwrap(await store.tenants.describe(tenant)).name).toBe('acme');
    expect(errorOf(await store.tenants.describe(tenantId('lkc-missing')))).toBe('RESOURCE_NOT_FOUND');
    unwrap(await store.topics.create({ tenantId: tenant, name: 'doomed', numPartitions: 2 }));
    const key = unwrap(await store.apiKeys.create({ tenantId: tenant }));
    unwrap(await store.tenants.delete(tenant));
    expect(errorOf(await store.tenants.describe(tenant))).toBe('RESOURCE_NOT_FOUND');
    expect(await store.topics.list(tenant)).toEqual([]);
    expect((await store.kv.range(store.keys.partitions(tenant))).entries).toEqual([]);
    expect(errorOf(await store.apiKeys.verifyPlain({ keyId: key.info.id, secret: key.secret }))).toBe('SASL_AUTHENTICATION_FAILED');
    expect(errorOf(await store.tenants.delete(tenant))).toBe('RESOURCE_NOT_FOUND');
    expect(unwrap(await store.tenants.describe(other)).name).toBe('globex');
    // The name is free again.
    unwrap(await store.tenants.create({ name: 'acme', cell: cellId('c1') }));
  });

  it('API keys: secret returned once, verified by PLAIN, never stored in clear; revoke is tenant-scoped', async () => {
    const { store, tenant, other } = await makeFixture(kv());
    const created = unwrap(await store.apiKeys.create({ tenantId: tenant, description: 'ci' }));
    expect(created.secret.length).toBeGreaterThanOrEqual(32);
    expect(unwrap(await store.apiKeys.verifyPlain({ keyId: created.info.id, secret: created.secret }))).toEqual({ tenantId: tenant, keyId: created.info.id });
    expect(errorOf(await store.apiKeys.verifyPlain({ keyId: created.info.id, secret: `${created.secret}x` }))).toBe('SASL_AUTHENTICATION_FAILED');
    expect(errorOf(await store.apiKeys.verifyPlain({ keyId: 'NOPE', secret: created.secret }))).toBe('SASL_AUTHENTICATION_FAILED');
    expect(errorOf(await store.apiKeys.verifyPlain({ keyId: '../x', secret: created.secret }))).toBe('SASL_AUTHENTICATION_FAILED');
    expect(await store.apiKeys.list(tenant)).toEqual([created.info]);
    expect(await store.apiKeys.list(other)).toEqual([]);
    // Scan every value under the root (and the raw bytes of the whole store) for the secret.
    const all = await store.kv.range(store.keys.root);
    const secretForms = [created.secret, Buffer.from(created.secret).toString('base64'), Buffer.from(created.secret).toString('hex')];
    for (const entry of all.entries) for (const form of secretForms) expect(entry.value.toString('utf8')).not.toContain(form);
    expect(errorOf(await store.apiKeys.revoke({ tenantId: other, keyId: created.info.id }))).toBe('RESOURCE_NOT_FOUND');
    unwrap(await store.apiKeys.revoke({ tenantId: tenant, keyId: created.info.id }));
    expect(errorOf(await store.apiKeys.verifyPlain({ keyId: created.info.id, secret: created.secret }))).toBe('SASL_AUTHENTICATION_FAILED');
    expect(errorOf(await store.apiKeys.revoke({ tenantId: tenant, keyId: created.info.id }))).toBe('RESOURCE_NOT_FOUND');
    expect(errorOf(await store.apiKeys.create({ tenantId: tenantId('lkc-none') }))).toBe('RESOURCE_NOT_FOUND');
  });

  it.each<ScramMechanism>(['SCRAM-SHA-256', 'SCRAM-SHA-512'])('stored %s credentials verify a standard client exchange', async (mechanism) => {
    const { store, tenant } = await makeFixture(kv());
    const created = unwrap(await store.apiKeys.create({ tenantId: tenant }));
    const fetched = unwrap(await store.apiKeys.scramCredential({ keyId: created.info.id, mechanism }));
    expect(fetched.tenantId).toBe(tenant);
    // The server side exactly as the router runs it (shared @stratus/kafka-scram steps), the client
    // side written independently in fixtures.testkit.ts.
    const run = async (password: string) => {
      const clientFirstBare = `n=${created.info.id},r=clientnonce123`;
      const first = parseClientFirst(`n,,${clientFirstBare}`);
      if (typeof first === 'string') throw new Error(first);
      const looked = await store.apiKeys.scramCredential({ keyId: apiKeyId(first.username), mechanism });
      if (!looked.ok) return { ok: false, serverOk: false };
      const serverFirst = serverFirstMessage(first, looked.value.credential, 'servernonce456');
      const { clientFinal, expectedServerFinal } = scramClientProof({ mechanism, user: created.info.id, password, serverFirst: serverFirst.message, clientFirstBare });
      const final = parseClientFinal(clientFinal);
      if (typeof final === 'string') throw new Error(final);
      const check = checkClientFinal({ credential: looked.value.credential, first, serverFirst, final });
      return { ok: check.ok, serverOk: check.ok && check.serverFinal === expectedServerFinal };
    };
    expect(await run(created.secret)).toEqual({ ok: true, serverOk: true });
    expect((await run('wrong-secret')).ok).toBe(false);
    expect(errorOf(await store.apiKeys.scramCredential({ keyId: apiKeyId('UNKNOWN'), mechanism }))).toBe('SASL_AUTHENTICATION_FAILED');
  });

  it('registers nodes under leases: duplicates refused, heartbeat renews, expiry removes', async () => {
    const { store } = await makeFixture(kv());
    const reg = unwrap(await store.nodes.register({ id: 'b9', kind: 'broker', address: '127.0.0.1:9', az: 'az-a', cell: cellId('c1'), ttlSeconds: 1 }));
    expect(errorOf(await store.nodes.register({ id: 'b9', kind: 'broker', address: 'x:1', az: 'az-a', cell: cellId('c1'), ttlSeconds: 5 }))).toBe('DUPLICATE_RESOURCE');
    expect(errorOf(await store.nodes.register({ id: 'B/9', kind: 'broker', address: 'x:1', az: 'az-a', cell: cellId('c1'), ttlSeconds: 5 }))).toBe('INVALID_REQUEST');
    expect(errorOf(await store.nodes.register({ id: 'b10', kind: 'broker', address: 'x:1', az: 'az-a', cell: cellId('c1'), ttlSeconds: 0 }))).toBe('INVALID_REQUEST');
    unwrap(await store.nodes.heartbeat({ kind: 'broker', id: 'b9', leaseId: reg.leaseId }));
    expect(errorOf(await store.nodes.heartbeat({ kind: 'broker', id: 'b9', leaseId: '12345' }))).toBe('RESOURCE_NOT_FOUND');
    expect((await store.nodes.list('broker')).map((n) => n.id).sort()).toEqual(['b1', 'b2', 'b9']);
    let present = true;
    const deadline = Date.now() + 10_000;
    while (present && Date.now() < deadline) {
      present = (await store.nodes.list('broker')).some((n) => n.id === 'b9');
      if (present) await new Promise((r) => setTimeout(r, 100));
    }
    expect(present).toBe(false);
    expect(errorOf(await store.nodes.heartbeat({ kind: 'broker', id: 'b9', leaseId: reg.leaseId }))).toBe('RESOURCE_NOT_FOUND');
    unwrap(await store.nodes.register({ id: 'b9', kind: 'broker', address: '127.0.0.1:9', az: 'az-a', cell: cellId('c1'), ttlSeconds: 5 }));
  });

  it('node generations: each registration gets a new one; heartbeats with a stale generation are fenced', async () => {
    const { store } = await makeFixture(kv());
    const first = unwrap(await store.nodes.register({ id: 'g1', kind: 'broker', address: 'g1:1', az: 'az-a', cell: cellId('c1'), ttlSeconds: 30 }));
    expect((await store.nodes.findById('g1'))?.generation).toBe(first.generation);
    unwrap(await store.nodes.heartbeatGeneration({ id: 'g1', generation: first.generation }));
    unwrap(await store.nodes.deregister({ kind: 'broker', id: 'g1', leaseId: first.leaseId }));
    const second = unwrap(await store.nodes.register({ id: 'g1', kind: 'broker', address: 'g1:1', az: 'az-a', cell: cellId('c1'), ttlSeconds: 30 }));
    expect(second.generation).toBeGreaterThan(first.generation);
    expect(errorOf(await store.nodes.heartbeatGeneration({ id: 'g1', generation: first.generation }))).toBe('RESOURCE_NOT_FOUND');
    unwrap(await store.nodes.heartbeatGeneration({ id: 'g1', generation: second.generation }));
    expect(await store.nodes.findById('nobody')).toBeUndefined();
  });

  it('finds tenants by name with their revision; operators revoke keys without a tenant', async () => {
    const { store, tenant } = await makeFixture(kv());
    const byName = await store.tenants.findByName('acme');
    expect(byName?.value.id).toBe(tenant);
    expect(byName?.modRevision).toBe((await store.tenants.get(tenant))?.modRevision);
    expect(await store.tenants.findByName('nope')).toBeUndefined();
    const key = unwrap(await store.apiKeys.create({ tenantId: tenant }));
    unwrap(await store.apiKeys.revoke({ keyId: key.info.id }));
    expect(errorOf(await store.apiKeys.verifyPlain({ keyId: key.info.id, secret: key.secret }))).toBe('SASL_AUTHENTICATION_FAILED');
  });

  it('allocates disjoint producer-id blocks under concurrency', async () => {
    const { store } = await makeFixture(kv());
    const blocks = await Promise.all(Array.from({ length: 8 }, () => store.producerIds.allocate(100)));
    const starts = blocks.map((b) => unwrap(b).start).sort((a, b) => (a < b ? -1 : 1));
    expect(starts).toEqual(Array.from({ length: 8 }, (_, i) => BigInt(i * 100)));
    expect(errorOf(await store.producerIds.allocate(0))).toBe('INVALID_REQUEST');
  });

  it('watch: snapshot then changes; resume from a revision; compaction yields a fresh snapshot', async () => {
    const { store, tenant, other } = await makeFixture(kv());
    unwrap(await store.topics.create({ tenantId: tenant, name: 'before' }));
    const events: ResourceEvent<Topic>[] = [];
    const handle = await store.watch({ kind: 'topics', tenantId: tenant }, {}, (e) => events.push(e));
    unwrap(await store.topics.create({ tenantId: tenant, name: 'after' }));
    unwrap(await store.topics.create({ tenantId: other, name: 'not-mine' }));
    unwrap(await store.topics.delete(tenant, { name: 'before' }));
    await waitFor(() => events.length === 3, 10_000, 'watch events');
    const [snap, put, del] = events;
    expect(snap?.type === 'snapshot' && [...snap.items.values()].map((t) => t.name)).toEqual(['before']);
    expect(put?.type === 'put' && put.value.name).toBe('after');
    expect(del?.type === 'delete' && del.key).toBe(store.keys.topic(tenant, 'before'));
    expect(del?.type === 'delete' && del.previous?.name).toBe('before');
    const resumeFrom = handle.lastRevision() + 1n;
    await handle.cancel();

    unwrap(await store.topics.create({ tenantId: tenant, name: 'while-away' }));
    const resumed: ResourceEvent<Topic>[] = [];
    const h2 = await store.watch({ kind: 'topics', tenantId: tenant }, { fromRevision: resumeFrom }, (e) => resumed.push(e));
    await waitFor(() => resumed.length === 1, 10_000, 'resumed event');
    expect(resumed[0]?.type === 'put' && resumed[0].value.name).toBe('while-away');
    await h2.cancel();

    const last = unwrap(await store.topics.create({ tenantId: tenant, name: 'latest' }));
    const head = (await store.kv.range(store.keys.topics(tenant))).revision;
    await store.kv.compact(head);
    const fresh: ResourceEvent<Topic>[] = [];
    const h3 = await store.watch({ kind: 'topics', tenantId: tenant }, { fromRevision: resumeFrom }, (e) => fresh.push(e));
    await waitFor(() => fresh.length === 1, 10_000, 'snapshot after compaction');
    const snap2 = fresh[0];
    expect(snap2?.type === 'snapshot' && snap2.reason).toBe('compacted');
    expect(snap2?.type === 'snapshot' && [...snap2.items.values()].map((t) => t.name).sort()).toEqual(['after', 'latest', 'while-away']);
    expect(last.topic.name).toBe('latest');
    await h3.cancel();
  });
}
