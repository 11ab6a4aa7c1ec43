// Client quotas (KIP-546), user SCRAM credentials (KIP-554) and the topic mutation quota
// (KIP-599) end to end: real etcd, the real metadata app (its own process), a real router listener
// in this process with adminHandlers() and the metadata credential source, @platformatic/kafka's
// admin for the quota APIs, a raw Kafka client for the APIs no JS client offers, and kafkajs for
// a SCRAM login with a credential set through Kafka's API.
import { execFile } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type {
  AlterUserScramCredentialsResponse,
  CreateTopicsResponse,
  DescribeUserScramCredentialsResponse,
  SaslAuthenticateResponse,
  SaslHandshakeResponse,
} from '@stratus/kafka-messages';
import { RawClient } from '@stratus/kafka-raw-client';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { createLogger } from '@stratus/platform-logging';
import { startApp, startEtcd, useHarness } from '@stratus/platform-testing';
import { MetadataCredentialSource, startKafkaListener, type KafkaListener } from '@stratus/router-kafka-server';
import { Kafka, logLevel } from 'kafkajs';
import { adminHandlers } from './index';

interface PlatformaticResult {
  ok: boolean;
  value?: unknown;
  codes?: number[];
  message?: string;
}

describe('client quotas, SCRAM credentials and the topic mutation quota through a router', () => {
  useHarness();
  const logger = createLogger({ service: 'quotas-it', level: 'warn' });
  let client: metadataV1.MetadataServiceClient;
  let listener: KafkaListener;
  const tenant = { id: '', keyId: '', secret: '' };
  const other = { id: '', keyId: '', secret: '' };
  const raws: RawClient[] = [];

  beforeAll(async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    client = createGrpcClient(metadataV1.MetadataServiceClient, metadata.grpcAddress);
    for (const [nodeId, az] of [['rep-1', 'az-1'], ['rep-2', 'az-2'], ['rep-3', 'az-3']] as const) {
      await unaryCall(client, client.registerNode, {
        node: { nodeId, role: commonV1.NodeRole.REPLICATION, placement: { cell: 'cell-1', availabilityZone: az }, grpcAddress: '127.0.0.1:1' },
        leaseTtlMs: 300_000n,
        version: 'test',
        kafkaListeners: [],
      }, { timeoutMs: 10_000 });
    }
    for (const [name, into] of [
      ['quota-a', tenant],
      ['quota-b', other],
    ] as const) {
      const created = await unaryCall(client, client.createTenant, {
        name,
        cell: '',
        labels: {},
      }, { timeoutMs: 10_000 });
      const key = await unaryCall(client, client.createApiKey, {
        tenantId: created.tenant?.tenantId,
        description: `quotas-it ${name}`,
        scramMechanisms: [],
        superUser: false,
      }, { timeoutMs: 10_000 });
      Object.assign(into, { id: created.tenant?.tenantId?.value ?? '', keyId: key.apiKey?.keyId ?? '', secret: key.secret });
    }
    listener = await startKafkaListener({ credentials: new MetadataCredentialSource({ client }), logger, handlers: adminHandlers({ metadata: client, logger }) });
  });

  afterAll(async () => {
    for (const r of raws) r.socket.destroy();
    await listener?.close();
    client?.close();
  });

  /** A raw connection logged in with SASL/PLAIN as the tenant's API key. */
  async function rawLogin(user: { keyId: string; secret: string }): Promise<RawClient> {
    const raw = await RawClient.connect(listener.port);
    raws.push(raw);
    expect((await raw.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' })).body.errorCode).toBe(0);
    const auth = await raw.call<SaslAuthenticateResponse>(36, 2, { authBytes: Buffer.from(`\u0000${user.keyId}\u0000${user.secret}`) });
    expect(auth.body.errorCode).toBe(0);
    return raw;
  }

  function platformatic(ops: Array<[string, unknown]>): Promise<PlatformaticResult[]> {
    const script = join(__dirname, '__fixtures__', 'platformatic-admin.mjs');
    return new Promise((resolve, reject) => {
      execFile(process.execPath, [script, String(listener.port), tenant.keyId, tenant.secret, JSON.stringify(ops)], { timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as PlatformaticResult[]);
      });
    });
  }

  it('@platformatic/kafka: alterClientQuotas on the default user, then describeClientQuotas shows the tenant quotas; other entities are refused', async () => {
    const defaultUser = [{ entityType: 'user', entityName: null }];
    const [altered, described, refused] = await platformatic([
      [
        'alterClientQuotas',
        {
          entries: [
            {
              entities: defaultUser,
              ops: [
                { key: 'producer_byte_rate', value: 2097152, remove: false },
                { key: 'controller_mutation_rate', value: 1, remove: false },
              ],
            },
          ],
        },
      ],
      ['describeClientQuotas', { components: [{ entityType: 'user', matchType: 1 }] }],
      ['alterClientQuotas', { entries: [{ entities: [{ entityType: 'client-id', entityName: 'app' }], ops: [{ key: 'producer_byte_rate', value: 1, remove: false }] }] }],
    ]);
    expect(altered?.ok).toBe(true);
    expect(JSON.stringify(described?.value)).toContain('"producer_byte_rate"');
    const entries = described?.value as Array<{ values: Array<{ key: string; value: number }> }>;
    expect(Object.fromEntries(entries[0]?.values.map((v) => [v.key, v.value]) ?? [])).toMatchObject({ producer_byte_rate: 2097152, controller_mutation_rate: 1 });
    expect(refused?.ok).toBe(false);
    expect(refused?.codes).toContain(ErrorCode.INVALID_REQUEST);
    // Stored as the tenant's quota in metadata.
    const quotas = await unaryCall(client, client.getQuotas, { tenantId: { value: tenant.id } }, { timeoutMs: 10_000 });
    expect(quotas.configured).toMatchObject({ produceBytesPerSecond: 2097152n, partitionMutationsPerSecond: 1 });
  });

  it('CreateTopics v7 over the tenant mutation quota answers THROTTLING_QUOTA_EXCEEDED with a throttle time', async () => {
    // controller_mutation_rate is 1/s now: a burst of 11 partitions.
    const raw = await rawLogin(tenant);
    const topic = (name: string, partitions: number) => ({ name, numPartitions: partitions, replicationFactor: -1, assignments: [], configs: [] });
    const res = await raw.call<CreateTopicsResponse>(19, 7, { topics: [topic('burst', 10), topic('over', 5), topic('refused', 1)], timeoutMs: 10_000, validateOnly: false }, 30_000);
    expect(res.body.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['burst', 0],
      ['over', 0],
      ['refused', ErrorCode.THROTTLING_QUOTA_EXCEEDED],
    ]);
    expect(res.body.throttleTimeMs).toBeGreaterThan(0);
    // The other tenant's bucket is its own.
    const b = await rawLogin(other);
    const theirs = await b.call<CreateTopicsResponse>(19, 7, { topics: [topic('burst', 10)], timeoutMs: 10_000, validateOnly: false }, 30_000);
    expect(theirs.body.topics[0]?.errorCode).toBe(0);
  });

  it('AlterUserScramCredentials sets a SCRAM-SHA-512 credential from a salted password; kafkajs logs in with it; another tenant key is not found', async () => {
    const raw = await rawLogin(tenant);
    const password = `new-${randomBytes(6).toString('hex')}`;
    const salt = randomBytes(24);
    const salted = pbkdf2Sync(password, salt, 8192, 64, 'sha512');
    const altered = await raw.call<AlterUserScramCredentialsResponse>(51, 0, {
      deletions: [{ name: other.keyId, mechanism: 1 }],
      upsertions: [{ name: tenant.keyId, mechanism: 2, iterations: 8192, salt, saltedPassword: salted }],
    });
    expect(altered.body.results.map((r) => [r.user, r.errorCode])).toEqual([
      [other.keyId, ErrorCode.RESOURCE_NOT_FOUND],
      [tenant.keyId, 0],
    ]);
    const bad = await raw.call<AlterUserScramCredentialsResponse>(51, 0, { deletions: [], upsertions: [{ name: tenant.keyId, mechanism: 1, iterations: 100, salt, saltedPassword: randomBytes(32) }] });
    expect(bad.body.results[0]?.errorCode).toBe(ErrorCode.UNACCEPTABLE_CREDENTIAL);

    const described = await raw.call<DescribeUserScramCredentialsResponse>(50, 0, { users: null });
    expect(described.body.results.map((r) => [r.user, r.credentialInfos])).toEqual([
      [
        tenant.keyId,
        [
          { mechanism: 1, iterations: 4096 },
          { mechanism: 2, iterations: 8192 },
        ],
      ],
    ]);

    const kafka = new Kafka({
      clientId: 'quotas-it-scram',
      brokers: [`127.0.0.1:${listener.port}`],
      sasl: { mechanism: 'scram-sha-512', username: tenant.keyId, password },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).length).toBeGreaterThanOrEqual(0);
    } finally {
      await admin.disconnect();
    }
    // The API key secret no longer works with SCRAM-SHA-512 (the credential was replaced).
    const old = new Kafka({
      clientId: 'quotas-it-old',
      brokers: [`127.0.0.1:${listener.port}`],
      sasl: { mechanism: 'scram-sha-512', username: tenant.keyId, password: tenant.secret },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    await expect(old.connect()).rejects.toThrow();
    await old.disconnect().catch(() => undefined);
  });
});
