// Per-tenant ACLs through the real apps: etcd, the metadata app and the router app as processes,
// ACLs managed with kafkajs' admin API (CreateAcls / DescribeAcls / DeleteAcls, KIP-140) through
// the router, stored per tenant in etcd and pushed back to the router by WatchAcls. No brokers run
// here, so an allowed topic answers "unknown topic" (it was authorized and then not found) where a
// denied one answers TOPIC_AUTHORIZATION_FAILED. Group and per-partition answers are covered by
// the guard's unit tests (libs/router/acls).
import { metadataV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { startApp, startEtcd, useHarness, waitFor, routerKafkaPort } from '@stratus/platform-testing';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, logLevel, ResourcePatternTypes, type AclEntry, type AclFilter, type Admin } from 'kafkajs';

jest.setTimeout(120_000);

/** The whole error chain as text: kafkajs wraps protocol errors in retriable/non-retriable ones. */
function errorText(err: unknown): string {
  const parts: string[] = [];
  let e = err as { type?: string; message?: string; cause?: unknown; originalError?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++) {
    parts.push(`${e.type ?? ''} ${e.message ?? ''}`);
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return parts.join(' | ');
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (err: unknown) => errorText(err),
  );
}

const ANY: AclFilter = { resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY };

const topicAcl = (name: string, principal: string, p: Partial<AclEntry> = {}): AclEntry => ({
  resourceType: AclResourceTypes.TOPIC,
  resourceName: name,
  resourcePatternType: ResourcePatternTypes.LITERAL,
  principal,
  host: '*',
  operation: AclOperationTypes.ALL,
  permissionType: AclPermissionTypes.ALLOW,
  ...p,
});

describe('per-tenant ACLs through the router app', () => {
  useHarness();

  let client: metadataV1.MetadataServiceClient;
  let bootstrap = '';
  const admins: Admin[] = [];
  const keys: Record<'app' | 'admin' | 'owner' | 'other', { id: string; secret: string }> = {} as never;

  async function tenant(name: string) {
    const created = await unaryCall(client, client.createTenant, { name, cell: '', labels: {} }, { timeoutMs: 15_000 });
    return created.tenant?.tenantId;
  }

  async function key(tenantId: metadataV1.Tenant['tenantId'], superUser: boolean) {
    const created = await unaryCall(client, client.createApiKey, {
      tenantId,
      description: 'router-acls test',
      scramMechanisms: [],
      superUser,
    }, { timeoutMs: 15_000 });
    return { id: created.apiKey?.keyId ?? '', secret: created.secret };
  }

  function kafka(k: { id: string; secret: string }): Kafka {
    return new Kafka({ clientId: 'router-acls-it', brokers: [bootstrap], sasl: { mechanism: 'plain', username: k.id, password: k.secret }, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  }

  async function admin(k: { id: string; secret: string }): Promise<Admin> {
    const a = kafka(k).admin();
    await a.connect();
    admins.push(a);
    return a;
  }

  beforeAll(async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    const router = await startApp('router', { env: { STRATUS_METADATA_ADDRESS: metadata.grpcAddress, STRATUS_KAFKA_PORT: '0' } });
    await router.waitReady();
    bootstrap = `127.0.0.1:${await routerKafkaPort(router, { timeoutMs: 30_000 })}`;
    client = createGrpcClient(metadataV1.MetadataServiceClient, metadata.grpcAddress);
    const a = await tenant('acme');
    const b = await tenant('globex');
    keys.app = await key(a, false);
    keys.owner = await key(a, false);
    keys.admin = await key(a, true);
    keys.other = await key(b, false);
  }, 120_000);

  afterAll(async () => {
    for (const a of admins) await a.disconnect().catch(() => undefined);
    client?.close();
  });

  it('stores, describes and deletes bindings per tenant, and enforces them on the next request', async () => {
    const root = await admin(keys.admin);
    const appUser = `User:${keys.app.id}`;
    const appAdmin = await admin(keys.app);
    // No bindings: the topic is authorized and simply does not exist (no brokers, no topics here).
    expect(await outcome(appAdmin.fetchTopicMetadata({ topics: ['orders'] }))).not.toContain('AUTHORIZATION_FAILED');

    await root.createAcls({
      acl: [
        topicAcl('orders', appUser, { permissionType: AclPermissionTypes.DENY }),
        topicAcl('orders', appUser),
        topicAcl('pay', appUser, { resourcePatternType: ResourcePatternTypes.PREFIXED }),
        { ...topicAcl('team-', appUser, { resourcePatternType: ResourcePatternTypes.PREFIXED, operation: AclOperationTypes.READ }), resourceType: AclResourceTypes.GROUP },
        { ...topicAcl('*', `User:${keys.admin.id}`), resourceType: AclResourceTypes.GROUP },
      ],
    });
    const described = await root.describeAcls(ANY);
    expect(described.resources.map((r) => `${r.resourceType}:${r.resourceName}:${r.resourcePatternType}:${r.acls.length}`).sort()).toEqual(
      [`${AclResourceTypes.GROUP}:*:3:1`, `${AclResourceTypes.GROUP}:team-:4:1`, `${AclResourceTypes.TOPIC}:orders:3:2`, `${AclResourceTypes.TOPIC}:pay:4:1`].sort(),
    );
    // An invalid binding is refused as Kafka does (the only CLUSTER name is kafka-cluster).
    expect(await outcome(root.createAcls({ acl: [{ ...topicAcl('my-cluster', appUser), resourceType: AclResourceTypes.CLUSTER }] }))).toContain('INVALID_REQUEST');

    // DENY wins over the ALLOW on orders; the router learns the bindings through its watch.
    await waitFor(async () => (await outcome(appAdmin.fetchTopicMetadata({ topics: ['orders'] }))).includes('TOPIC_AUTHORIZATION_FAILED'), {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'the DENY on orders to reach the router',
    });
    // A producer is refused before it sends anything.
    const producer = kafka(keys.app).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    expect(await outcome(producer.send({ topic: 'orders', messages: [{ value: 'x' }] }))).toContain('TOPIC_AUTHORIZATION_FAILED');
    await producer.disconnect();
    // The prefixed ALLOW authorizes payments for the app (then: unknown topic, no brokers here)...
    expect(await outcome(appAdmin.fetchTopicMetadata({ topics: ['payments'] }))).not.toContain('AUTHORIZATION_FAILED');
    // ...and, as the only binding on payments, shuts every other key of the tenant out of it.
    const owner = await admin(keys.owner);
    expect(await outcome(owner.fetchTopicMetadata({ topics: ['payments'] }))).toContain('TOPIC_AUTHORIZATION_FAILED');
    // Another tenant sees none of it and is not affected.
    const other = await admin(keys.other);
    expect((await other.describeAcls(ANY)).resources).toEqual([]);
    expect(await outcome(other.fetchTopicMetadata({ topics: ['orders'] }))).not.toContain('AUTHORIZATION_FAILED');

    // Until the tenant has a CLUSTER binding any key may manage ACLs; after one, only what it allows.
    expect(await outcome(appAdmin.describeAcls(ANY))).toBe('ok');
    await root.createAcls({ acl: [{ ...topicAcl('kafka-cluster', `User:${keys.owner.id}`), resourceType: AclResourceTypes.CLUSTER, operation: AclOperationTypes.ALTER }] });
    await waitFor(async () => (await outcome(appAdmin.createAcls({ acl: [topicAcl('x', appUser)] }))).includes('CLUSTER_AUTHORIZATION_FAILED'), {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'the CLUSTER binding to reach the router',
    });
    expect(await outcome(appAdmin.describeAcls(ANY))).toContain('CLUSTER_AUTHORIZATION_FAILED');
    // The owner holds ALTER on the cluster, which implies DESCRIBE.
    expect((await owner.describeAcls({ ...ANY, resourceType: AclResourceTypes.CLUSTER })).resources).toHaveLength(1);

    // Deleting the DENY gives orders back to the app; the response names what was removed.
    const deleted = await root.deleteAcls({
      filters: [{ resourceType: AclResourceTypes.TOPIC, resourceName: 'orders', resourcePatternType: ResourcePatternTypes.LITERAL, principal: appUser, host: '*', operation: AclOperationTypes.ALL, permissionType: AclPermissionTypes.DENY }],
    });
    expect(deleted.filterResponses[0]?.matchingAcls).toEqual([expect.objectContaining({ resourceName: 'orders', permissionType: AclPermissionTypes.DENY })]);
    await waitFor(async () => !(await outcome(appAdmin.fetchTopicMetadata({ topics: ['orders'] }))).includes('AUTHORIZATION_FAILED'), {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'orders to be authorized again',
    });
  });
});
