// Revoking an API key must make new connections with it fail at once, but the router caches
// successful credential lookups (CachingCredentialSource) to spare metadata a reconnect storm.
// This follows metadata's API key watch and drops a key's cached credentials the moment the key is
// revoked or deleted, so the cache only ever shortens the lifetime of a lookup, never a revocation.
// Any other change to a key's record (its SCRAM credentials altered with KIP-554
// AlterUserScramCredentials) drops the cached entry too, so the new credential works at once.
import { watchApiKeys, type MetadataClient, type WatchLogger } from '@stratus/metadata-client';

export interface Invalidatable {
  invalidate(username: string): void;
  invalidateAll(): void;
}

export interface RevocationWatch {
  close(): void;
}

export function watchRevocations(client: MetadataClient, cache: Invalidatable, logger: WatchLogger): RevocationWatch {
  const keys = watchApiKeys(client, { logger });
  const stop = keys.onChange((change) => {
    if (change.type === 'delete') cache.invalidate(change.key);
    else if (change.type === 'put') cache.invalidate(change.key);
    // A fresh snapshot after a gap (compaction, a dropped slow watcher) may hide a revocation that
    // happened meanwhile: start the cache over rather than trust anything looked up before.
    else if (change.type === 'reset' && change.reason !== 'initial') cache.invalidateAll();
  });
  return {
    close: () => {
      stop();
      keys.close();
    },
  };
}
