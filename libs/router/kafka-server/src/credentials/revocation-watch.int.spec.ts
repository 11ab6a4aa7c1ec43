// A revoked API key stops authenticating at once although the router caches lookups for a minute:
// the revocation watch follows metadata's API key stream (real etcd, real metadata process).
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { createMetadataClient } from '@stratus/metadata-client';
import { callOptions } from '@stratus/platform-grpc';
import { startApp, startEtcd, useHarness, waitFor } from '@stratus/platform-testing';
import { CachingCredentialSource } from './caching-credential-source';
import { MetadataCredentialSource } from './metadata-credential-source';
import { watchRevocations } from './revocation-watch';

useHarness();
jest.setTimeout(120_000);

function call<Res>(invoke: (m: Metadata, o: ReturnType<typeof callOptions>, done: (e: ServiceError | null, r: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => invoke(new Metadata(), callOptions(10_000), (e, r) => (e ? reject(e) : resolve(r))));
}

describe('credential revocation watch', () => {
  it('drops a revoked key from the credential cache long before the cache TTL', async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady({ timeoutMs: 60_000 });
    const client = createMetadataClient(metadata.grpcAddress);
    const tenant = await call<metadataV1.CreateTenantResponse>((m, o, done) => client.createTenant({ name: 'acme', cell: '', labels: {} } as metadataV1.CreateTenantRequest, m, o, done));
    const key = await call<metadataV1.CreateApiKeyResponse>((m, o, done) =>
      client.createApiKey({ tenantId: tenant.tenant?.tenantId, description: '', scramMechanisms: [], superUser: false } as metadataV1.CreateApiKeyRequest, m, o, done),
    );
    const keyId = key.apiKey?.keyId ?? '';
    // A TTL far longer than the test: only the watch can make the revocation visible in time.
    const cache = new CachingCredentialSource(new MetadataCredentialSource({ client, timeoutMs: 10_000 }), { ttlMs: 10 * 60_000 });
    const watch = watchRevocations(client, cache, { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined });
    try {
      expect(await cache.verifyPlain(keyId, key.secret)).toMatchObject({ username: keyId });
      expect(await cache.scramCredential(keyId, 'SCRAM-SHA-256')).toBeDefined();
      await call((m, o, done) => client.revokeApiKey({ keyId, tenantId: tenant.tenant?.tenantId } as metadataV1.RevokeApiKeyRequest, m, o, done));
      await waitFor(async () => (await cache.verifyPlain(keyId, key.secret)) === undefined, { timeoutMs: 30_000, intervalMs: 100, description: 'the revoked key to stop verifying' });
      expect(await cache.scramCredential(keyId, 'SCRAM-SHA-256')).toBeUndefined();
    } finally {
      watch.close();
      client.close();
    }
  });
});
