// The per-prefix half of watch progress (watch.proto `progress`): a proof, from etcd's own
// history, that nothing under a prefix changed after a revision. It is a fact about the store,
// not about one watcher, so watches of the same prefix standing at the same revision can share it.
import type { KvStore } from '../kv/kv';

/**
 * Proves that the keys under `prefix` at the store's current revision R are exactly those at
 * `last` (none modified after `last`, none deleted) and returns R; undefined when a change is
 * pending or R did not move past `last`. Rejects when etcd does (e.g. `last` was compacted).
 */
export async function proveUnchangedSince(kv: KvStore, prefix: string, last: bigint): Promise<bigint | undefined> {
  // No key under the prefix modified after `last` (a put since would show), and as many keys as
  // at `last` (so none was deleted either): the state at R equals the state at `last`.
  const changed = await kv.count(prefix, { minModRevision: last + 1n });
  if (changed.count > 0 || changed.revision <= last) return undefined;
  const [now, before] = await Promise.all([kv.count(prefix, { revision: changed.revision }), kv.count(prefix, { revision: last })]);
  return now.count === before.count ? changed.revision : undefined;
}

/** Proves for (prefix, last); see proveUnchangedSince. */
export type ProgressProver = (prefix: string, last: bigint) => Promise<bigint | undefined>;
