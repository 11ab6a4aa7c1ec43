// Client side of the metadata service: watched caches over the Watch streams and node membership
// (register, heartbeat, re-register, deregister). Every service uses these instead of calling
// etcd or polling metadata on the data path.
export type { WatchedMap, WatchChange, ResetReason, WatchLogger } from './types';
export { WatchTimeoutError, WatchClosedError } from './types';
export { topicIdHex, topicKey, partitionKey, partitionRefKey, nodeKey, tenantKey } from './keys';
export { watchTopics, watchPartitions, watchNodes, watchTenants, watchApiKeys, watchAcls, type MetadataClient, type WatchOptions } from './watches';
export { WatchedCache, type WatchedCacheOptions } from './watched-cache';
export type { WatchSource, WatchStream, WatchEvent, DecodedWatchMessage } from './watch-source';
export { Backoff, type BackoffOptions } from './backoff';
export { currentMetadataRevision } from './revision';
export { createMetadataClient, type MetadataClientOptions } from './client';
export {
  NodeMembership,
  clampLeaseTtlMs,
  MIN_LEASE_TTL_MS,
  MAX_LEASE_TTL_MS,
  DEFAULT_LEASE_TTL_MS,
  type NodeMembershipOptions,
  type MembershipNode,
  type HealthReport,
  type LostEvent,
  type LostReason,
} from './membership';
