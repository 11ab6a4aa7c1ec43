// Shared plumbing of the metadata stores: the KV port, the key space, a clock, and the
// read-validate-transact retry loop every compare-on-revision write uses.
import type { KvEntry, KvStore } from '../kv/kv';
import type { Keyspace } from '../keys/keyspace';
import { decode } from './codec';

export interface StoreContext {
  readonly kv: KvStore;
  readonly keys: Keyspace;
  readonly now: () => number;
}

/** Returned by an attempt whose transaction lost a race: re-read and try again. */
export const CONFLICT: unique symbol = Symbol('conflict');

/** Raised only when a key stays contended for every attempt: a transport-level fault for callers. */
export class ContentionError extends Error {
  override readonly name = 'ContentionError';
}

export async function retryOnConflict<T>(attempt: () => Promise<T | typeof CONFLICT>, maxAttempts = 32): Promise<T> {
  for (let i = 0; i < maxAttempts; i++) {
    const result = await attempt();
    if (result !== CONFLICT) return result;
    // Jittered pause so racing writers do not collide in lockstep.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** i)));
  }
  throw new ContentionError(`gave up after ${maxAttempts} conflicting transactions`);
}

export interface Versioned<T> {
  readonly value: T;
  readonly modRevision: bigint;
  readonly createRevision: bigint;
}

export async function readJson<T>(kv: KvStore, key: string): Promise<Versioned<T> | undefined> {
  const entry = await kv.get(key);
  return entry ? versioned<T>(entry) : undefined;
}

export function versioned<T>(entry: KvEntry): Versioned<T> {
  return { value: decode<T>(entry.value), modRevision: entry.modRevision, createRevision: entry.createRevision };
}

/** Caller-supplied ids become key segments; anything else cannot name an existing record. */
export function isKeySegment(value: string): boolean {
  return value.length > 0 && value.length <= 255 && !value.includes('/');
}
