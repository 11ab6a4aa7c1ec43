// The router's cluster view end to end: etcd, the metadata app and two router apps (AZs az-1 and
// az-2) as real processes, the routers registered with metadata and watching it. Topics are made
// through the metadata gRPC API for two tenants that both own a topic named "orders"; kafkajs
// and @platformatic/kafka, logged in with SASL PLAIN, see their own tenant's topics only, with
// routers of the answering router's AZ as leaders and the tenant's own cluster id.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { NodeMembership } from '@stratus/metadata-client';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { createLogger } from '@stratus/platform-logging';
import { startApp, startEtcd, useHarness, waitFor, routerKafkaPort } from '@stratus/platform-testing';
import { tenantClusterId } from '@stratus/router-cluster-view';
import type { FindCoordinatorResponse, MetadataResponse } from '@stratus/kafka-messages';
import { Kafka, logLevel } from 'kafkajs';
import { WireClient } from './kafka-wire.testkit';

interface PlatformaticAnswer {
  ok: boolean;
  error?: string;
  topics?: string[];
  clusterId?: string;
  brokers?: Array<[number, string, number, string | null]>;
  topicId?: string;
  partitions?: Array<[number, number]>;
}

/** @platformatic/kafka is ESM-only, so it runs in a child process (see the fixture script). */
function platformaticMetadata(bootstrap: string, username: string, password: string, topic: string): Promise<PlatformaticAnswer> {
  const script = join(__dirname, '__fixtures__', 'platformatic-metadata.mjs');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, bootstrap, username, password, topic], { timeout: 30_000 }, (error, stdout) => {
      if (error && stdout.trim() === '') return reject(error);
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as PlatformaticAnswer);
    });
  });
}

const logger = createLogger({ service: 'cluster-it', level: 'silent' });

describe('router cluster view against metadata', () => {
  useHarness();

  let client: metadataV1.MetadataServiceClient;
  const memberships: NodeMembership[] = [];
  const routers: Array<{ nodeId: string; az: string; bootstrap: string; port: number }> = [];
  const tenants = new Map<string, { tenantId: string; keyId: string; secret: string; ordersId: string }>();

  async function makeTenant(name: string, topics: string[], labels: Record<string, string> = {}): Promise<void> {
    const created = await unaryCall(client, client.createTenant, { name, cell: '', labels }, { timeoutMs: 10_000 });
    const tenantId = created.tenant?.tenantId?.value ?? '';
    const key = await unaryCall(client, client.createApiKey, {
      tenantId: { value: tenantId },
      description: 'cluster view test',
      scramMechanisms: [],
      superUser: false,
    }, { timeoutMs: 10_000 });
    const made = await unaryCall(client, client.createTopics, {
      tenantId: { value: tenantId },
      topics: topics.map((t) => ({ name: t, numPartitions: 6, replicationFactor: -1, configs: {} })),
      validateOnly: false,
      timeoutMs: 10_000,
    }, { timeoutMs: 10_000 });
    for (const r of made.results) expect([r.name, r.error?.code ?? 0]).toEqual([r.name, 0]);
    const orders = made.results.find((r) => r.name === 'orders');
    tenants.set(name, { tenantId, keyId: key.apiKey?.keyId ?? '', secret: key.secret, ordersId: Buffer.from(orders?.topicId?.value ?? []).toString('hex') });
  }

  beforeAll(async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    client = createGrpcClient(metadataV1.MetadataServiceClient, metadata.grpcAddress);
    // Placement needs a replication node in each of the cell's 3 AZs and a live broker to lead;
    // these registrations heartbeat like real nodes (nothing dials their addresses here).
    const fakeNodes: Array<[string, commonV1.NodeRole, string]> = [
      ['repl-1', commonV1.NodeRole.REPLICATION, 'az-1'],
      ['repl-2', commonV1.NodeRole.REPLICATION, 'az-2'],
      ['repl-3', commonV1.NodeRole.REPLICATION, 'az-3'],
      ['broker-1', commonV1.NodeRole.BROKER, 'az-1'],
    ];
    for (const [nodeId, role, az] of fakeNodes) {
      const m = NodeMembership.start({ client, logger, node: { nodeId, role, availabilityZone: az, cell: 'cell-1', grpcAddress: '127.0.0.1:1' } });
      memberships.push(m);
      expect(await m.whenRegistered(10_000)).toBe(true);
    }
    for (const [nodeId, az] of [
      ['router-a', 'az-1'],
      ['router-b', 'az-2'],
    ] as const) {
      const app = await startApp('router', {
        env: { STRATUS_METADATA_ADDRESS: metadata.grpcAddress, STRATUS_KAFKA_PORT: '0', STRATUS_NODE_ID: nodeId, STRATUS_AZ: az, STRATUS_CELL: 'cell-1' },
      });
      const port = await routerKafkaPort(app, { timeoutMs: 10_000 });
      await app.waitReady();
      routers.push({ nodeId, az, port, bootstrap: `127.0.0.1:${port}` });
    }
    await makeTenant('acme', ['orders', 'audit']);
    await makeTenant('globex', ['orders', 'payments']);
    await makeTenant('initech', ['orders'], { 'auto.create.topics.enable': 'true' });
    // Both routers are registered as ROUTER nodes with their AZ and Kafka listener.
    await waitFor(
      async () => {
        const listed = await unaryCall(client, client.listNodes, { role: commonV1.NodeRole.ROUTER, cell: '' }, { timeoutMs: 10_000 });
        return listed.nodes.length === 2 ? listed.nodes : undefined;
      },
      { timeoutMs: 15_000, description: 'both routers registered' },
    );
  });

  afterAll(async () => {
    for (const m of memberships) await m.close();
    client?.close();
  });

  function admin(tenant: string, bootstrap: string) {
    const t = tenants.get(tenant);
    return new Kafka({ clientId: 'cluster-it', brokers: [bootstrap], sasl: { mechanism: 'plain', username: t?.keyId ?? '', password: t?.secret ?? '' }, logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
  }

  it('kafkajs lists and describes only its own tenant’s topics, with both routers as the brokers', async () => {
    const listeners = routers.map((r) => `127.0.0.1:${r.port}`).sort();
    for (const router of routers) {
      const a = admin('acme', router.bootstrap);
      await a.connect();
      try {
        // The topics were made before; the router's watch may need a moment to show them.
        await waitFor(async () => ((await a.listTopics()).length === 2 ? true : undefined), { timeoutMs: 10_000, description: 'topics in the view' });
        expect((await a.listTopics()).sort()).toEqual(['audit', 'orders']);
        const cluster = await a.describeCluster();
        expect(cluster.clusterId).toBe(tenantClusterId(tenants.get('acme')?.tenantId ?? ''));
        expect(cluster.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual(listeners);
        const { topics } = await a.fetchTopicMetadata({ topics: ['orders'] });
        const partitions = topics[0]?.partitions ?? [];
        expect(partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3, 4, 5]);
        const brokerIds = cluster.brokers.map((b) => b.nodeId);
        for (const p of partitions) {
          expect(brokerIds).toContain(p.leader);
          expect(p.partitionErrorCode).toBe(0);
        }
      } finally {
        await a.disconnect();
      }
    }
  });

  it('each router names a router of its own AZ as leader, its peers as brokers with AZ racks, and itself as coordinator', async () => {
    const acme = tenants.get('acme');
    for (const router of routers) {
      const wire = await WireClient.login(router.port, acme?.keyId ?? '', acme?.secret ?? '');
      try {
        const md = await wire.call<MetadataResponse>(3, 12, { topics: [{ name: 'orders' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
        const racks = new Map(md.brokers.map((b) => [b.nodeId, b.rack]));
        expect(md.brokers.map((b) => [b.port, b.rack]).sort()).toEqual(routers.map((r) => [r.port, r.az]).sort());
        const self = md.brokers.find((b) => b.port === router.port);
        expect(md.controllerId).toBe(self?.nodeId);
        const topic = md.topics[0];
        expect(topic?.topicId?.replace(/-/g, '')).toBe(acme?.ordersId);
        // One router per AZ here, so every leader is the answering router; the epoch is the real one (0: never moved).
        expect(topic?.partitions.map((p) => [p.errorCode, racks.get(p.leaderId), p.leaderEpoch])).toEqual(Array.from({ length: 6 }, () => [0, router.az, 0]));
        const coordinator = await wire.call<FindCoordinatorResponse>(10, 4, { keyType: 0, coordinatorKeys: ['my-group'] });
        expect(coordinator.coordinators?.[0]).toMatchObject({ key: 'my-group', errorCode: 0, nodeId: self?.nodeId, port: router.port });
        const unknown = await wire.call<MetadataResponse>(3, 12, { topics: [{ name: 'payments' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
        // globex owns "payments": for acme it does not exist.
        expect(unknown.topics[0]?.errorCode).toBe(3);
      } finally {
        wire.close();
      }
    }
  });

  it('auto-creates a topic on Metadata only for a tenant that opted in, and answers it at once', async () => {
    const router = routers[1];
    const initech = tenants.get('initech');
    const acme = tenants.get('acme');
    if (!router || !initech || !acme) throw new Error('fixture');
    const ask = { topics: [{ name: 'made-on-demand' }], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false };
    const optedIn = await WireClient.login(router.port, initech.keyId, initech.secret);
    const optedOut = await WireClient.login(router.port, acme.keyId, acme.secret);
    try {
      // The router's tenants watch must show the label first (the tenant was made moments ago).
      const made = await waitFor(
        async () => {
          const md = await optedIn.call<MetadataResponse>(3, 12, ask);
          return md.topics[0]?.errorCode === 0 ? md : undefined;
        },
        { timeoutMs: 15_000, description: 'auto-created topic answered' },
      );
      expect(made.topics[0]?.partitions.length).toBeGreaterThan(0);
      expect(made.topics[0]?.partitions.every((p) => p.errorCode === 0)).toBe(true);
      const refused = await optedOut.call<MetadataResponse>(3, 12, ask);
      expect(refused.topics[0]?.errorCode).toBe(3);
      // Not created for acme, and initech's new topic is initech's only.
      const listed = await optedOut.call<MetadataResponse>(3, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
      expect(listed.topics.map((t) => t.name).sort()).toEqual(['audit', 'orders']);
    } finally {
      optedIn.close();
      optedOut.close();
    }
  });

  it('two tenants with the same topic name each see their own topic, and not the other’s topics', async () => {
    const router = routers[0];
    if (!router) throw new Error('no router');
    const g = admin('globex', router.bootstrap);
    await g.connect();
    try {
      await waitFor(async () => ((await g.listTopics()).length === 2 ? true : undefined), { timeoutMs: 10_000, description: 'globex topics' });
      expect((await g.listTopics()).sort()).toEqual(['orders', 'payments']);
      await expect(g.fetchTopicMetadata({ topics: ['audit'] })).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    } finally {
      await g.disconnect();
    }
    // Same name, different topics: the ids differ and each tenant sees its own (Metadata v10+ ids).
    const acme = tenants.get('acme');
    const globex = tenants.get('globex');
    expect(acme?.ordersId).not.toBe(globex?.ordersId);
    const seenByAcme = await platformaticMetadata(router.bootstrap, acme?.keyId ?? '', acme?.secret ?? '', 'orders');
    const seenByGlobex = await platformaticMetadata(router.bootstrap, globex?.keyId ?? '', globex?.secret ?? '', 'orders');
    expect(seenByAcme.topicId?.replace(/-/g, '')).toBe(acme?.ordersId);
    expect(seenByGlobex.topicId?.replace(/-/g, '')).toBe(globex?.ordersId);
  });

  it('@platformatic/kafka sees the routers as brokers with AZ racks and the tenant’s cluster id', async () => {
    const acme = tenants.get('acme');
    for (const router of routers) {
      const seen = await platformaticMetadata(router.bootstrap, acme?.keyId ?? '', acme?.secret ?? '', 'orders');
      expect(seen).toMatchObject({ ok: true, clusterId: tenantClusterId(acme?.tenantId ?? '') });
      expect(seen.topics?.sort()).toEqual(['audit', 'orders']);
      expect(seen.brokers?.map(([, , port, rack]) => [port, rack]).sort()).toEqual(routers.map((r) => [r.port, r.az]).sort());
      const ids = seen.brokers?.map(([id]) => id) ?? [];
      expect(seen.partitions).toHaveLength(6);
      for (const [leader, epoch] of seen.partitions ?? []) {
        expect(ids).toContain(leader);
        expect(epoch).toBe(0);
      }
    }
  });
});
