// Keeps SCRAM lookups and successful PLAIN checks for a while so that a reconnect storm does not
// turn into a storm of metadata calls. Misses are not cached: a user created a moment ago must be
// able to log in at once. A PLAIN success is cached under a hash of the password, never the password.
// Concurrent lookups of the same key share one call to the inner source: a burst of logins with one
// API key (an application's pods restarting together) costs one metadata call, not one per connection.
import { createHash } from 'node:crypto';
import type { Principal, ScramMechanism } from '../types';
import type { CredentialSource, ScramLookup } from './credential-source';

export interface CachingCredentialSourceOptions {
  readonly ttlMs: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry<T> {
  readonly value: T;
  readonly expiresAt: number;
}

export class CachingCredentialSource implements CredentialSource {
  private readonly scram = new Map<string, Entry<ScramLookup>>();
  private readonly plain = new Map<string, Entry<Principal>>();
  /** Lookups in progress, by the same keys as the caches; an invalidation drops them so later callers ask again. */
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: CredentialSource,
    options: CachingCredentialSourceOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Drops everything cached for a user (call on a credential change notification). */
  invalidate(username: string): void {
    for (const key of [...this.scram.keys()]) if (key.endsWith(`\0${username}`)) this.scram.delete(key);
    for (const key of [...this.plain.keys()]) if (key.startsWith(`${username}\0`)) this.plain.delete(key);
    for (const key of [...this.pending.keys()]) if (key.endsWith(`\0${username}`) || key.startsWith(`plain\0${username}\0`)) this.pending.delete(key);
  }

  /** Drops everything (after a gap in the revocation feed). */
  invalidateAll(): void {
    this.scram.clear();
    this.plain.clear();
    this.pending.clear();
  }

  async scramCredential(username: string, mechanism: ScramMechanism): Promise<ScramLookup | undefined> {
    const key = `${mechanism}\0${username}`;
    const hit = this.get(this.scram, key);
    if (hit) return hit;
    return this.shared(`scram\0${key}`, () => this.inner.scramCredential(username, mechanism), (value) => this.put(this.scram, key, value));
  }

  async verifyPlain(username: string, password: string): Promise<Principal | undefined> {
    const key = `${username}\0${createHash('sha256').update(password, 'utf8').digest('base64')}`;
    const hit = this.get(this.plain, key);
    if (hit) return hit;
    return this.shared(`plain\0${key}`, () => this.inner.verifyPlain(username, password), (value) => this.put(this.plain, key, value));
  }

  /**
   * Joins a lookup already in progress for `key`, or starts one. A success is cached only if no
   * invalidation happened meanwhile (the pending entry is still this lookup): a key revoked while its
   * lookup was in flight must not be cached as valid.
   */
  private shared<T>(key: string, lookup: () => Promise<T | undefined>, cache: (value: T) => void): Promise<T | undefined> {
    const inFlight = this.pending.get(key) as Promise<T | undefined> | undefined;
    if (inFlight) return inFlight;
    const promise = lookup().then(
      (value) => {
        if (this.pending.get(key) === promise) {
          this.pending.delete(key);
          if (value) cache(value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.pending.get(key) === promise) this.pending.delete(key);
        throw error;
      },
    );
    this.pending.set(key, promise);
    return promise;
  }

  private get<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private put<T>(map: Map<string, Entry<T>>, key: string, value: T): void {
    // Maps iterate in insertion order, so the first key is the oldest entry.
    if (map.size >= this.maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    map.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }
}
