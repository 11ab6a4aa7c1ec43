// A revoked API key stops authenticating at once although the router caches lookups for a minute:
// the revocation watch follows metadata's API key stream (real etcd, real metadata process).
import { createMetadataClient } from '@stratus/metadata-client';
import { unaryCall } from '@stratus/platform-grpc';
import { startApp, startEtcd, useHarness, waitFor } from '@stratus/platform-testing';
import { CachingCredentialSource } from './caching-credential-source';
import { MetadataCredentialSource } from './metadata-credential-source';
import { watchRevocations } from './revocation-watch';

useHarness();
jest.setTimeout(120_000);

describe('credential revocation watch', () => {
  it('drops a revoked key from the credential cache long before the cache TTL', async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady({ timeoutMs: 60_000 });
    const client = createMetadataClient(metadata.grpcAddress);
    const tenant = await unaryCall(client, client.createTenant, { name: 'acme', cell: '', labels: {} }, { timeoutMs: 10_000 });
    const key = await unaryCall(
      client,
      client.createApiKey,
      { tenantId: tenant.tenant?.tenantId, description: '', scramMechanisms: [], superUser: false },
      { timeoutMs: 10_000 },
    );
    const keyId = key.apiKey?.keyId ?? '';
    // A TTL far longer than the test: only the watch can make the revocation visible in time.
    const cache = new CachingCredentialSource(new MetadataCredentialSource({ client, timeoutMs: 10_000 }), { ttlMs: 10 * 60_000 });
    const watch = watchRevocations(client, cache, { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined });
    try {
      expect(await cache.verifyPlain(keyId, key.secret)).toMatchObject({ username: keyId });
      expect(await cache.scramCredential(keyId, 'SCRAM-SHA-256')).toBeDefined();
      await unaryCall(client, client.revokeApiKey, { keyId, tenantId: tenant.tenant?.tenantId }, { timeoutMs: 10_000 });
      await waitFor(async () => (await cache.verifyPlain(keyId, key.secret)) === undefined, { timeoutMs: 30_000, intervalMs: 100, description: 'the revoked key to stop verifying' });
      expect(await cache.scramCredential(keyId, 'SCRAM-SHA-256')).toBeUndefined();
    } finally {
      watch.close();
      client.close();
    }
  });
});
