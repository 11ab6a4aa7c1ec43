// The admin APIs end to end: real etcd, the real metadata app (its own process), a real router
// listener in this process with adminHandlers() and the metadata credential source, and real
// clients (kafkajs, @platformatic/kafka) logging in as two tenants that use the same topic names.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { currentMetadataRevision, watchNodes, watchPartitions, watchTopics } from '@stratus/metadata-client';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { createLogger } from '@stratus/platform-logging';
import { startApp, startEtcd, useHarness } from '@stratus/platform-testing';
import { MetadataClusterView } from '@stratus/router-cluster-view';
import { MetadataCredentialSource, startKafkaListener, type KafkaListener } from '@stratus/router-kafka-server';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { adminHandlers } from './index';

/** Kafka error type names along an error's chain (kafkajs wraps per-topic errors in aggregates and causes). */
function errorTypes(error: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const walk = (e: unknown): void => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    const o = e as { type?: unknown; errors?: unknown[]; cause?: unknown; originalError?: unknown };
    if (typeof o.type === 'string') out.push(o.type);
    for (const inner of o.errors ?? []) walk(inner);
    walk(o.cause);
    walk(o.originalError);
  };
  walk(error);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    return errorTypes(err);
  }
  throw new Error('expected a rejection');
}

interface PlatformaticResult {
  ok: boolean;
  value?: unknown;
  codes?: number[];
  message?: string;
}

describe('router admin APIs against the metadata service', () => {
  useHarness();
  const logger = createLogger({ service: 'admin-it', level: 'warn' });
  let client: metadataV1.MetadataServiceClient;
  let listener: KafkaListener;
  const tenants: Record<'alpha' | 'beta', { id: string; keyId: string; secret: string }> = {
    alpha: { id: '', keyId: '', secret: '' },
    beta: { id: '', keyId: '', secret: '' },
  };
  let view: MetadataClusterView;
  const admins: Admin[] = [];

  beforeAll(async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    client = createGrpcClient(metadataV1.MetadataServiceClient, metadata.grpcAddress);
    // Topic placement needs replication nodes in 3 zones of the tenant's cell (the default cell-1).
    for (const [nodeId, az] of [['rep-1', 'az-1'], ['rep-2', 'az-2'], ['rep-3', 'az-3']] as const) {
      await unaryCall(client, client.registerNode, {
        node: { nodeId, role: commonV1.NodeRole.REPLICATION, placement: { cell: 'cell-1', availabilityZone: az }, grpcAddress: '127.0.0.1:1' },
        leaseTtlMs: 300_000n,
        version: 'test',
        kafkaListeners: [],
      }, { timeoutMs: 10_000 });
    }
    for (const name of ['alpha', 'beta'] as const) {
      const created = await unaryCall(client, client.createTenant, {
        name,
        cell: '',
        quotas: { maxPartitions: 20 },
        labels: {},
      }, { timeoutMs: 10_000 });
      const key = await unaryCall(client, client.createApiKey, {
        tenantId: created.tenant?.tenantId,
        description: `admin-it ${name}`,
        scramMechanisms: [],
        superUser: false,
      }, { timeoutMs: 10_000 });
      tenants[name] = { id: created.tenant?.tenantId?.value ?? '', keyId: key.apiKey?.keyId ?? '', secret: key.secret };
    }
    // The router's watched view of metadata: the handlers wait for it after every topic change.
    view = new MetadataClusterView({
      sources: {
        topics: watchTopics(client, { logger }),
        partitions: watchPartitions(client, { logger }),
        brokers: watchNodes(client, { logger, role: commonV1.NodeRole.BROKER }),
        routers: watchNodes(client, { logger, role: commonV1.NodeRole.ROUTER }),
        currentRevision: (timeoutMs) => currentMetadataRevision(client, timeoutMs),
      },
      self: { nodeId: 'router-it', host: '127.0.0.1', port: 0, availabilityZone: 'az-1' },
    });
    await view.ready(10_000);
    listener = await startKafkaListener({
      credentials: new MetadataCredentialSource({ client }),
      logger,
      handlers: adminHandlers({ metadata: client, logger, view }),
    });
  });

  afterAll(async () => {
    for (const a of admins) await a.disconnect().catch(() => undefined);
    await listener?.close();
    view?.close();
    client?.close();
  });

  async function kafkajsAdmin(tenant: 'alpha' | 'beta'): Promise<Admin> {
    const kafka = new Kafka({
      clientId: `admin-it-${tenant}`,
      brokers: [`127.0.0.1:${listener.port}`],
      sasl: { mechanism: 'plain', username: tenants[tenant].keyId, password: tenants[tenant].secret },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    admins.push(admin);
    return admin;
  }

  function platformatic(tenant: 'alpha' | 'beta', ops: Array<[string, unknown]>): Promise<PlatformaticResult[]> {
    const script = join(__dirname, '__fixtures__', 'platformatic-admin.mjs');
    const { keyId, secret } = tenants[tenant];
    return new Promise((resolve, reject) => {
      execFile(process.execPath, [script, String(listener.port), keyId, secret, JSON.stringify(ops)], { timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as PlatformaticResult[]);
      });
    });
  }

  it('kafkajs: createTopics validates only, creates, answers an existing topic, refuses bad names, counts, factors, configs and the tenant limit', async () => {
    const admin = await kafkajsAdmin('alpha');
    const orders = { topic: 'orders', numPartitions: 2, replicationFactor: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] };
    await expect(admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [orders] })).resolves.toBe(true);
    // validate_only created nothing: its configs cannot be described yet.
    expect(await rejection(admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'orders' }] }))).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    await expect(admin.createTopics({ waitForLeaders: false, topics: [orders] })).resolves.toBe(true);
    // The router's view already shows the topic when the answer arrives (no polling).
    expect(view.topicByName(tenants.alpha.id, 'orders')?.partitionCount).toBe(2);
    // kafkajs answers false when every topic already exists.
    await expect(admin.createTopics({ waitForLeaders: false, topics: [orders] })).resolves.toBe(false);
    expect(await rejection(admin.createTopics({ waitForLeaders: false, topics: [{ topic: 'bad name!' }] }))).toContain('INVALID_TOPIC_EXCEPTION');
    expect(await rejection(admin.createTopics({ waitForLeaders: false, topics: [{ topic: 'four', replicationFactor: 4 }] }))).toContain('INVALID_REPLICATION_FACTOR');
    expect(await rejection(admin.createTopics({ waitForLeaders: false, topics: [{ topic: 'zero', numPartitions: 0 }] }))).toContain('INVALID_PARTITIONS');
    expect(
      await rejection(admin.createTopics({ waitForLeaders: false, topics: [{ topic: 'cfg', configEntries: [{ name: 'cleanup.policy', value: 'never' }] }] })),
    ).toContain('INVALID_CONFIG');
    // The tenant may hold 20 partitions; orders has 2.
    expect(await rejection(admin.createTopics({ waitForLeaders: false, topics: [{ topic: 'huge', numPartitions: 19 }] }))).toContain('POLICY_VIOLATION');
    // A replication factor of 1 is accepted: the topic gets Stratus's 3 copies anyway.
    await expect(admin.createTopics({ waitForLeaders: false, topics: [{ topic: 'single', replicationFactor: 1 }] })).resolves.toBe(true);
  });

  it('kafkajs: describeConfigs with synonyms, alterConfigs, broker configs', async () => {
    const admin = await kafkajsAdmin('alpha');
    const described = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: 2, name: 'orders', configNames: ['retention.ms', 'cleanup.policy'] }] });
    const entries = described.resources[0]?.configEntries ?? [];
    const retention = entries.find((e) => e.configName === 'retention.ms');
    expect(retention).toMatchObject({ configValue: '3600000', readOnly: false, isDefault: false, configSource: 1, isSensitive: false });
    expect(retention?.configSynonyms).toEqual([
      { configName: 'retention.ms', configValue: '3600000', configSource: 1 },
      { configName: 'log.retention.ms', configValue: '604800000', configSource: 5 },
    ]);
    expect(entries.find((e) => e.configName === 'cleanup.policy')).toMatchObject({ configValue: 'delete', configSource: 5 });

    // Legacy AlterConfigs replaces the whole set of overrides.
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const after = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'orders', configNames: ['retention.ms', 'cleanup.policy'] }] });
    // Entries come in the order asked for; retention.ms was not in the new set, so it is back to its default.
    expect(after.resources[0]?.configEntries.map((e) => [e.configName, e.configValue, e.configSource])).toEqual([
      ['retention.ms', '604800000', 5],
      ['cleanup.policy', 'compact', 1],
    ]);
    expect(
      await rejection(admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'orders', configEntries: [{ name: 'min.insync.replicas', value: '9' }] }] })),
    ).toContain('INVALID_CONFIG');
    expect(await rejection(admin.alterConfigs({ validateOnly: false, resources: [{ type: 4, name: '0', configEntries: [{ name: 'num.partitions', value: '3' }] }] }))).toContain(
      'CLUSTER_AUTHORIZATION_FAILED',
    );

    const broker = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 4, name: '0' }] });
    const brokerEntries = broker.resources[0]?.configEntries ?? [];
    expect(brokerEntries.find((e) => e.configName === 'default.replication.factor')).toMatchObject({ configValue: '3', readOnly: true });
    expect(brokerEntries.find((e) => e.configName === 'log.retention.ms')).toMatchObject({ configValue: '604800000', readOnly: true });
  });

  it('kafkajs: createPartitions grows, validates only, and refuses shrinking', async () => {
    const admin = await kafkajsAdmin('alpha');
    await admin.createPartitions({ validateOnly: true, topicPartitions: [{ topic: 'orders', count: 4 }] });
    // validate_only changed nothing: growing to 3 is still possible.
    await admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 3 }] });
    expect(view.topicByName(tenants.alpha.id, 'orders')?.partitionCount).toBe(3);
    expect(await rejection(admin.createPartitions({ topicPartitions: [{ topic: 'orders', count: 2 }] }))).toContain('INVALID_PARTITIONS');
    expect(await rejection(admin.createPartitions({ topicPartitions: [{ topic: 'nope', count: 2 }] }))).toContain('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('two tenants with the same topic names are isolated', async () => {
    const beta = await kafkajsAdmin('beta');
    // alpha's 'orders' does not exist for beta: not describable, not growable, not deletable.
    expect(await rejection(beta.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'orders' }] }))).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    expect(await rejection(beta.createPartitions({ topicPartitions: [{ topic: 'orders', count: 5 }] }))).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    expect(await rejection(beta.deleteTopics({ topics: ['orders'] }))).toContain('UNKNOWN_TOPIC_OR_PARTITION');
    // beta makes its own 'orders' with other settings; alpha's keeps its own.
    await expect(beta.createTopics({ waitForLeaders: false, topics: [{ topic: 'orders', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '1000' }] }] })).resolves.toBe(true);
    const alpha = await kafkajsAdmin('alpha');
    const [a, b] = await Promise.all(
      [alpha, beta].map((admin) => admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'orders', configNames: ['retention.ms', 'cleanup.policy'] }] })),
    );
    expect(a?.resources[0]?.configEntries.map((e) => e.configValue)).toEqual(['604800000', 'compact']);
    expect(b?.resources[0]?.configEntries.map((e) => e.configValue)).toEqual(['1000', 'delete']);
    expect(view.topicByName(tenants.beta.id, 'orders')?.partitionCount).toBe(1);
    await beta.deleteTopics({ topics: ['orders'] });
    expect(view.topicByName(tenants.beta.id, 'orders')).toBeUndefined();
    expect(view.topicByName(tenants.alpha.id, 'orders')).toBeDefined();
    // alpha's topic survived beta's delete.
    await expect(alpha.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'orders', configNames: ['cleanup.policy'] }] })).resolves.toBeDefined();
  });

  it('@platformatic/kafka: createTopics v7 returns id, count, factor and every effective config; incremental alter; log dirs; delete', async () => {
    const results = await platformatic('beta', [
      ['createTopics', { topics: ['events'], partitions: 2, replicas: 3, configs: [{ name: 'cleanup.policy', value: 'compact' }] }],
      ['createTopics', { topics: ['events'], partitions: 2 }],
      ['incrementalAlterConfigs', { resources: [{ resourceType: 2, resourceName: 'events', configs: [{ name: 'cleanup.policy', configOperation: 2, value: 'delete' }] }] }],
      ['describeConfigs', { resources: [{ resourceType: 2, resourceName: 'events', configurationKeys: ['cleanup.policy'] }], includeSynonyms: false, includeDocumentation: true }],
      ['describeLogDirs', { topics: [{ name: 'events', partitions: [0, 1, 7] }] }],
      ['deleteTopics', { topics: ['events'] }],
      ['deleteTopics', { topics: ['events'] }],
    ]);
    const [created, again, altered, described, logDirs, deleted, deletedAgain] = results;
    expect(created?.ok).toBe(true);
    const topic = (created?.value as Array<{ id: string; name: string; partitions: number; replicas: number; configuration: Record<string, string> }>)[0];
    expect(topic?.name).toBe('events');
    expect(topic?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(topic?.id).not.toBe('00000000-0000-0000-0000-000000000000');
    expect([topic?.partitions, topic?.replicas]).toEqual([2, 3]);
    expect(topic?.configuration).toMatchObject({ 'cleanup.policy': 'compact', 'retention.ms': '604800000', 'min.insync.replicas': '2' });
    expect(again).toMatchObject({ ok: false, codes: expect.arrayContaining([36]) });
    expect(altered?.ok).toBe(true);
    const config = (described?.value as Array<{ configs: Array<{ name: string; value: string; configType: number; documentation: string | null }> }>)[0]?.configs[0];
    expect(config).toMatchObject({ name: 'cleanup.policy', value: 'compact,delete', configType: 7 });
    expect(config?.documentation).toEqual(expect.any(String));
    const dirs = logDirs?.value as Array<{ results: Array<{ logDir: string; topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; partitionSize: string }> }> }> }>;
    expect(dirs[0]?.results[0]?.topics).toEqual([
      { name: 'events', partitions: [expect.objectContaining({ partitionIndex: 0, partitionSize: '0' }), expect.objectContaining({ partitionIndex: 1, partitionSize: '0' })] },
    ]);
    expect(deleted?.ok).toBe(true);
    expect(deletedAgain).toMatchObject({ ok: false, codes: expect.arrayContaining([3]) });
  });
});
