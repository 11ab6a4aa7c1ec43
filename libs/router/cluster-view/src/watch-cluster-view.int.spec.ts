// MetadataClusterView over the real metadata watches (etcd + the metadata app as a process): a
// topic created through the metadata API is in the view as soon as catchUp resolves, with every
// partition assigned; a deleted topic leaves it; routers appear with the Kafka node id and
// listener they registered, and leave when they deregister.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { NodeMembership, createMetadataClient } from '@stratus/metadata-client';
import { unaryCall } from '@stratus/platform-grpc';
import { startApp, startEtcd, useHarness, waitFor } from '@stratus/platform-testing';
import type { MetadataClusterView } from './metadata-cluster-view';
import { watchClusterView } from './watch-cluster-view';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('watchClusterView against the metadata app', () => {
  useHarness();

  let client: metadataV1.MetadataServiceClient;
  let view: MetadataClusterView;
  let tenantId: string;
  const memberships: NodeMembership[] = [];

  const member = async (nodeId: string, role: commonV1.NodeRole, az: string, kafkaPort?: number): Promise<NodeMembership> => {
    const m = NodeMembership.start({
      client,
      logger,
      node: { nodeId, role, availabilityZone: az, cell: 'cell-1', grpcAddress: `127.0.0.1:${kafkaPort ?? 1}` },
      ...(kafkaPort ? { kafkaListeners: [{ name: 'EXTERNAL', host: '127.0.0.1', port: kafkaPort, securityProtocol: 'SASL_PLAINTEXT' }] } : {}),
    });
    memberships.push(m);
    expect(await m.whenRegistered(10_000)).toBe(true);
    return m;
  };

  beforeAll(async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    client = createMetadataClient(metadata.grpcAddress);
    for (const [id, az] of [
      ['repl-1', 'az-1'],
      ['repl-2', 'az-2'],
      ['repl-3', 'az-3'],
    ]) {
      await member(id as string, commonV1.NodeRole.REPLICATION, az as string);
    }
    await member('broker-1', commonV1.NodeRole.BROKER, 'az-1');
    const created = await unaryCall(client, client.createTenant, { name: 'acme', cell: '', labels: {} }, { timeoutMs: 10_000 });
    tenantId = created.tenant?.tenantId?.value ?? '';
    view = watchClusterView(client, { logger, self: { nodeId: 'router-self', host: '127.0.0.1', port: 9092, availabilityZone: 'az-1' } });
    await view.ready(10_000);
  });

  afterAll(async () => {
    view?.close();
    for (const m of memberships) await m.close();
    client?.close();
  });

  it('shows a created topic with all its partitions once catchUp resolves, and drops it when deleted', async () => {
    const made = await unaryCall(client, client.createTopics, {
      tenantId: { value: tenantId },
      topics: [{ name: 'orders', numPartitions: 4, replicationFactor: -1, configs: {} }],
      validateOnly: false,
      timeoutMs: 10_000,
    }, { timeoutMs: 10_000 });
    const topicId = Buffer.from(made.results[0]?.topicId?.value ?? []);
    await view.catchUp(10_000);
    expect(view.topicByName(tenantId, 'orders')).toMatchObject({ tenantId, name: 'orders', partitionCount: 4, internal: false, topicId });
    expect(view.topicById('someone-else', topicId)).toBeUndefined();
    for (let p = 0; p < 4; p++) expect(view.partition(topicId, p)).toMatchObject({ leaderNodeId: 'broker-1', leaderEpoch: 0 });
    expect(view.partition(topicId, 0)?.replicaNodeIds.length).toBe(3);
    expect(view.broker('broker-1')).toEqual({ nodeId: 'broker-1', grpcAddress: '127.0.0.1:1', availabilityZone: 'az-1' });

    await unaryCall(client, client.deleteTopics, {
      tenantId: { value: tenantId },
      topics: [{ selector: { $case: 'name', value: 'orders' } }],
      timeoutMs: 10_000,
    }, { timeoutMs: 10_000 });
    await view.catchUp(10_000);
    expect(view.topicByName(tenantId, 'orders')).toBeUndefined();
    expect(view.topics(tenantId)).toEqual([]);
  });

  it('advertises registered routers with their Kafka node id and listener, and forgets them on deregistration', async () => {
    const peer = await member('router-peer', commonV1.NodeRole.ROUTER, 'az-2', 19093);
    const assigned = peer.registration?.kafkaNodeId ?? -1;
    const seen = await waitFor(() => view.routers().find((r) => r.nodeId === 'router-peer'), { timeoutMs: 10_000, description: 'peer router in the view' });
    expect(seen).toEqual({ nodeId: 'router-peer', kafkaNodeId: assigned, host: '127.0.0.1', port: 19093, availabilityZone: 'az-2' });
    expect(view.routers().map((r) => r.nodeId)).toContain('router-self');
    await peer.close();
    await waitFor(() => (view.routers().some((r) => r.nodeId === 'router-peer') ? undefined : true), { timeoutMs: 10_000, description: 'peer router gone' });
  });
});
