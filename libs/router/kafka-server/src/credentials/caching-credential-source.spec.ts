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

  it('lets concurrent lookups of one key share a single call to the source', async () => {
    const inner = new InMemoryCredentialSource([{ username: 'alice', password: 'pw', tenantId: tenantId('t') }]);
    const cache = new CachingCredentialSource(inner, { ttlMs: 60_000 });
    const logins = await Promise.all(Array.from({ length: 50 }, () => cache.verifyPlain('alice', 'pw')));
    expect(logins.every((p) => p?.username === 'alice')).toBe(true);
    const scram = await Promise.all(Array.from({ length: 20 }, () => cache.scramCredential('alice', 'SCRAM-SHA-256')));
    expect(new Set(scram).size).toBe(1);
    expect(inner.lookups).toBe(2);
    // A different password is a different key: it is checked on its own, and fails.
    expect(await cache.verifyPlain('alice', 'other')).toBeUndefined();
    expect(inner.lookups).toBe(3);
  });

  it('does not cache a success whose lookup was in flight when the user was invalidated', async () => {
    const inner = new InMemoryCredentialSource([{ username: 'alice', password: 'pw', tenantId: tenantId('t') }]);
    const cache = new CachingCredentialSource(inner, { ttlMs: 60_000 });
    const inFlight = cache.verifyPlain('alice', 'pw');
    cache.invalidate('alice');
    inner.removeUser('alice');
    // The lookup started before the revocation may still answer with the old result ...
    expect((await inFlight)?.username).toBe('alice');
    // ... but it was not cached: the next login asks again and is refused.
    expect(await cache.verifyPlain('alice', 'pw')).toBeUndefined();
  });

  it('shares a failure with every waiting caller and caches nothing', async () => {
    let calls = 0;
    const failing = {
      scramCredential: async () => undefined,
      verifyPlain: async () => {
        calls += 1;
        throw new Error('metadata unreachable');
      },
    };
    const cache = new CachingCredentialSource(failing, { ttlMs: 60_000 });
    const results = await Promise.allSettled([cache.verifyPlain('bob', 'pw'), cache.verifyPlain('bob', 'pw')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await expect(cache.verifyPlain('bob', 'pw')).rejects.toThrow('metadata unreachable');
    expect(calls).toBe(2);
  });
});
