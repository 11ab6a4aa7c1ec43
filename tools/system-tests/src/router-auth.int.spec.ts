// A real Kafka client authenticates through the router app against an API key stored by the
// metadata app: etcd, metadata and router run as their own processes, the key is made through the
// metadata gRPC API, and kafkajs logs in with it over SASL PLAIN and SCRAM (KIP-43, KIP-84).
import { metadataV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { sleep, startApp, startEtcd, useHarness, routerKafkaPort } from '@stratus/platform-testing';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

/** Short so the revocation test does not wait long; the default is 30 s (docs/configuration.md). */
const CREDENTIAL_CACHE_TTL_MS = 500;

describe('router authentication against metadata', () => {
  useHarness();

  let client: metadataV1.MetadataServiceClient;
  let bootstrap: string;
  let keyId: string;
  let secret: string;

  beforeAll(async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    // Ready includes the configured cells (STRATUS_CELLS default) being written.
    await metadata.waitReady();
    const router = await startApp('router', {
      env: {
        STRATUS_METADATA_ADDRESS: metadata.grpcAddress,
        STRATUS_KAFKA_PORT: '0',
        STRATUS_CREDENTIAL_CACHE_TTL_MS: String(CREDENTIAL_CACHE_TTL_MS),
      },
    });
    await router.waitReady();
    bootstrap = `127.0.0.1:${await routerKafkaPort(router, { timeoutMs: 5_000 })}`;

    client = createGrpcClient(metadataV1.MetadataServiceClient, metadata.grpcAddress);
    const created = await unaryCall(client, client.createTenant, {
      name: 'acme',
      cell: '',
      labels: {},
    }, { timeoutMs: 10_000 });
    expect(created.tenant?.cell).toBe('cell-1');
    const key = await unaryCall(client, client.createApiKey, {
      tenantId: created.tenant?.tenantId,
      description: 'router-auth test',
      scramMechanisms: [],
      superUser: false,
    }, { timeoutMs: 10_000 });
    keyId = key.apiKey?.keyId ?? '';
    secret = key.secret;
    expect(keyId).not.toBe('');
    expect(secret).not.toBe('');
  });

  afterAll(() => client?.close());

  function kafka(mechanism: SASLOptions['mechanism'], password: string): Kafka {
    return new Kafka({
      clientId: 'router-auth-it',
      brokers: [bootstrap],
      sasl: { mechanism, username: keyId, password } as SASLOptions,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
  }

  const mechanisms: SASLOptions['mechanism'][] = ['plain', 'scram-sha-256', 'scram-sha-512'];

  it.each(mechanisms)('logs in with the API key over %s and lists no topics', async (mechanism) => {
    const admin = kafka(mechanism, secret).admin();
    await admin.connect();
    try {
      await expect(admin.listTopics()).resolves.toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  it.each(mechanisms)('refuses a wrong secret over %s with an authentication error', async (mechanism) => {
    const admin = kafka(mechanism, `${secret}x`).admin();
    await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await admin.disconnect();
  });

  it('refuses new connections once the key is revoked and the credential cache TTL has passed', async () => {
    // Warm the router's cache for every mechanism, so the refusal below proves the entries expire.
    for (const mechanism of mechanisms) {
      const admin = kafka(mechanism, secret).admin();
      await admin.connect();
      await admin.disconnect();
    }
    await unaryCall(client, client.revokeApiKey, { keyId }, { timeoutMs: 10_000 });
    await sleep(CREDENTIAL_CACHE_TTL_MS * 2);
    for (const mechanism of mechanisms) {
      const admin = kafka(mechanism, secret).admin();
      await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
      await admin.disconnect();
    }
  });
});
