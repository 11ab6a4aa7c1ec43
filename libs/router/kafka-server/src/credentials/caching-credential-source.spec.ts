import { tenantId } from '../types';
import { CachingCredentialSource } from './caching-credential-source';
import { InMemoryCredentialSource } from './in-memory-credential-source';

describe('CachingCredentialSource', () => {
  it('serves repeated lookups from the cache until the TTL passes, and never caches misses', async () => {
    let now = 0;
    const inner = new InMemoryCredentialSource([{ username: 'alice', password: 'pw', tenantId: tenantId('t') }]);
    const cache = new CachingCredentialSource(inner, { ttlMs: 1000, now: () => now });
    await cache.scramCredential('alice', 'SCRAM-SHA-256');
    await cache.scramCredential('alice', 'SCRAM-SHA-256');
    expect(inner.lookups).toBe(1);
    expect(await cache.verifyPlain('alice', 'pw')).toEqual({ username: 'alice', tenantId: 't' });
    expect(await cache.verifyPlain('alice', 'pw')).toEqual({ username: 'alice', tenantId: 't' });
    expect(inner.lookups).toBe(2);
    expect(await cache.verifyPlain('alice', 'wrong')).toBeUndefined();
    expect(await cache.verifyPlain('alice', 'wrong')).toBeUndefined();
    expect(inner.lookups).toBe(4);
    now = 1000;
    await cache.scramCredential('alice', 'SCRAM-SHA-256');
    expect(inner.lookups).toBe(5);
  });

  it('forgets a user on invalidate', async () => {
    const inner = new InMemoryCredentialSource([{ username: 'alice', password: 'pw', tenantId: tenantId('t') }]);
    const cache = new CachingCredentialSource(inner, { ttlMs: 60_000 });
    await cache.scramCredential('alice', 'SCRAM-SHA-512');
    await cache.verifyPlain('alice', 'pw');
    inner.removeUser('alice');
    cache.invalidate('alice');
    expect(await cache.scramCredential('alice', 'SCRAM-SHA-512')).toBeUndefined();
    expect(await cache.verifyPlain('alice', 'pw')).toBeUndefined();
  });
});
