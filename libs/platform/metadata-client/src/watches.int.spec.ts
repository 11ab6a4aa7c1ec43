// Watched caches against a real etcd and real metadata app processes: snapshot then changes,
// resume across a metadata restart without losing what changed meanwhile, and a fresh snapshot
// (reset) when etcd compacted past the revision the cache held.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { useHarness, type EtcdHandle } from '@stratus/platform-testing';
import { partitionKey, topicKey } from './keys';
import { NodeMembership } from './membership';
import type { WatchChange } from './types';
import { watchNodes, watchPartitions, watchTenants, watchTopics } from './watches';
import {
  createTenant,
  createTopic,
  deleteTopic,
  metadataClient,
  quietLogger,
  recordingLogger,
  startCluster,
  startMetadata,
  until,
  type MetadataProcess,
} from './int-helpers.testkit';

jest.setTimeout(120_000);

describe('watched caches over a real metadata service', () => {
  useHarness();
  let etcd: EtcdHandle;
  // Watches go through `primary`, restarted by the tests; changes go through `secondary`. Each
  // test starts its own primary because the harness stops what a test started when it ends.
  let primary: MetadataProcess;
  let secondary: MetadataProcess;
  let client: metadataV1.MetadataServiceClient;
  let other: metadataV1.MetadataServiceClient;
  let tenant: string;
  const members: NodeMembership[] = [];

  beforeAll(async () => {
    const cluster = await startCluster();
    etcd = cluster.etcd;
    secondary = cluster.metadata;
    other = metadataClient(secondary.address);
    // Topic placement needs live replication nodes in the cell's three AZs.
    for (const az of ['az-1', 'az-2', 'az-3']) {
      const m = NodeMembership.start({
        client: other,
        logger: quietLogger,
        node: { nodeId: `repl-${az}`, role: commonV1.NodeRole.REPLICATION, availabilityZone: az, cell: 'cell-1', grpcAddress: `127.0.0.1:1${az.slice(-1)}` },
        leaseTtlMs: 30_000,
      });
      members.push(m);
      expect(await m.whenRegistered(20_000)).toBe(true);
    }
    tenant = await createTenant(other, 'acme');
  });

  beforeEach(async () => {
    primary = await startMetadata(etcd);
    client = metadataClient(primary.address);
  });

  afterEach(() => client.close());

  afterAll(async () => {
    await Promise.all(members.map((m) => m.close()));
    other.close();
  });

  it('delivers a complete snapshot, then every change in order', async () => {
    const first = await createTopic(other, tenant, 'orders', 2);
    const topics = watchTopics(client, { tenantId: tenant, logger: quietLogger });
    const changes: Array<WatchChange<string, metadataV1.Topic>> = [];
    topics.onChange((c) => changes.push(c));
    await topics.ready(20_000);
    expect(topics.get(topicKey(first))?.name).toBe('orders');
    expect(topics.revision).toBeGreaterThan(0n);
    expect(changes).toEqual([{ type: 'reset', reason: 'initial', revision: topics.revision, size: 1 }]);

    const partitions = watchPartitions(client, { tenantId: tenant, logger: quietLogger });
    await partitions.ready(20_000);
    expect([...partitions.keys()].sort()).toEqual([partitionKey(first, 0), partitionKey(first, 1)]);
    expect(partitions.get(partitionKey(first, 0))?.replicaNodeIds).toHaveLength(3);

    const second = await createTopic(other, tenant, 'payments');
    await until('the new topic in the cache', () => topics.get(topicKey(second)) !== undefined);
    await until('its partition in the partitions cache', () => partitions.has(partitionKey(second, 0)));
    await deleteTopic(other, tenant, 'orders');
    await until('the deleted topic to leave the cache', () => !topics.has(topicKey(first)));
    await until('its partitions to leave', () => !partitions.has(partitionKey(first, 0)) && !partitions.has(partitionKey(first, 1)));
    expect(changes.slice(1).map((c) => [c.type, c.type === 'reset' ? '' : c.key])).toEqual([
      ['put', topicKey(second)],
      ['delete', topicKey(first)],
    ]);
    const revisions = changes.map((c) => c.revision);
    expect([...revisions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(revisions);

    // catchUp: the cache reflects the metadata service's current revision.
    expect(await topics.catchUp(10_000)).toBe(true);
    topics.close();
    partitions.close();
  });

  it('resumes after the metadata service restarts, with the changes made while it was down', async () => {
    const topics = watchTopics(client, { tenantId: tenant, logger: recordingLogger(), backoff: { initialMs: 50, maxMs: 500 } });
    await topics.ready(20_000);
    const before = topics.revision;
    const changes: Array<WatchChange<string, metadataV1.Topic>> = [];
    topics.onChange((c) => changes.push(c));

    await primary.stop();
    const whileDown = await createTopic(other, tenant, 'made-while-down');
    await primary.start();

    await until('the change made during the outage', () => topics.has(topicKey(whileDown)), 30_000);
    // Resumed from its revision: the missed change arrives as a put, not as a new snapshot.
    expect(changes.map((c) => c.type)).toEqual(['put']);
    expect(topics.revision).toBeGreaterThan(before);
    const after = await createTopic(other, tenant, 'made-after');
    await until('a change after the restart', () => topics.has(topicKey(after)));
    topics.close();
  });

  it('replaces the cache with a fresh snapshot (reset) when etcd compacted past its revision', async () => {
    const topics = watchTopics(client, { tenantId: tenant, logger: quietLogger, backoff: { initialMs: 50, maxMs: 500 } });
    const nodes = watchNodes(client, { role: commonV1.NodeRole.REPLICATION, logger: quietLogger });
    await Promise.all([topics.ready(20_000), nodes.ready(20_000)]);
    expect(nodes.size).toBe(3);
    const changes: Array<WatchChange<string, metadataV1.Topic>> = [];
    topics.onChange((c) => changes.push(c));

    await primary.stop();
    const created = await createTopic(other, tenant, 'after-compaction');
    await deleteTopic(other, tenant, 'payments');
    const head = await etcd.client().get('stratus-compaction-probe').exec();
    await etcd.client().kv.compact({ revision: head.header.revision, physical: true });
    await primary.start();

    await until('a reset after compaction', () => changes.some((c) => c.type === 'reset'), 30_000);
    const reset = changes.find((c) => c.type === 'reset');
    expect(reset).toMatchObject({ type: 'reset', reason: 'compacted' });
    expect(topics.has(topicKey(created))).toBe(true);
    expect([...topics.values()].map((t) => t.name)).not.toContain('payments');
    // The nodes cache resumed (or reset) too and still holds the three live registrations.
    await until('nodes cache current again', async () => nodes.isReady && (await nodes.catchUp(5_000)));
    expect(nodes.size).toBe(3);
    topics.close();
    nodes.close();
  });

  it('catchUp reaches the current revision although the writes since were outside the watched range', async () => {
    const topics = watchTopics(client, { tenantId: tenant, logger: quietLogger });
    await topics.ready(20_000);
    const otherTenant = await createTenant(other, 'initech');
    await createTopic(other, otherTenant, 'elsewhere');
    const before = topics.revision;
    // The server's progress messages move the cache to the current revision: nothing changed in
    // this tenant's topics, and the cache can prove it.
    expect(await topics.catchUp(15_000)).toBe(true);
    expect(topics.revision).toBeGreaterThan(before);
    topics.close();
  });

  it('tenants cache sees tenants created later; closing rejects pending waits', async () => {
    const tenants = watchTenants(client, { logger: quietLogger });
    await tenants.ready(20_000);
    expect(tenants.get(tenant)?.name).toBe('acme');
    const id = await createTenant(other, 'globex');
    await until('the new tenant', () => tenants.get(id)?.name === 'globex');
    const never = tenants.waitForRevision(tenants.revision + 1_000_000n, 60_000);
    tenants.close();
    await expect(never).resolves.toBe(false);
  });
});
