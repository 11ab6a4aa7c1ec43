// The typed caches: one thin WatchSource per Watch RPC over the shared engine.
import type { ClientReadableStream } from '@grpc/grpc-js';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { nodeKey, partitionKey, partitionRefKey, tenantKey, topicKey } from './keys';
import { currentMetadataRevision } from './revision';
import { waitForReady } from './rpc';
import type { WatchedMap, WatchLogger } from './types';
import { WatchedCache } from './watched-cache';
import { decodeWatchResponse, type WatchResponseShape, type WatchSource, type WatchStream } from './watch-source';
import type { BackoffOptions } from './backoff';

export type MetadataClient = metadataV1.MetadataServiceClient;

// Watches wait for the channel to connect (wait-for-ready) rather than fail at once while it is
// reconnecting; no deadline: a watch lives as long as its cache.

export interface WatchOptions {
  readonly logger: WatchLogger;
  /** Reconnect backoff (default 100 ms doubling to 5 s, jittered). */
  readonly backoff?: BackoffOptions;
}

function source<Req, Res extends WatchResponseShape<U>, U, K, V>(
  client: MetadataClient,
  spec: {
    name: string;
    call: (request: Req) => ClientReadableStream<Res>;
    request: (resumeRevision: bigint) => Req;
    updates: (value: U) => { upserted: Array<readonly [K, V]>; deleted: K[] };
    keep?: (value: V) => boolean;
  },
): WatchSource<K, V> {
  return {
    name: spec.name,
    open: (resumeRevision) => spec.call(spec.request(resumeRevision)) as unknown as WatchStream,
    decode: (message) => decodeWatchResponse(message as Res, spec.updates),
    currentRevision: (timeoutMs) => currentMetadataRevision(client, timeoutMs),
    keep: spec.keep,
  };
}

/** Topics keyed by topic id as lowercase hex (topicKey). `cell` is passed to the server as a hint. */
export function watchTopics(
  client: MetadataClient,
  options: WatchOptions & { tenantId?: string; cell?: string },
): WatchedMap<string, metadataV1.Topic> {
  const src = source(client, {
    name: options.tenantId ? `topics(${options.tenantId})` : 'topics',
    call: (req: metadataV1.WatchTopicsRequest) => client.watchTopics(req, waitForReady()),
    request: (resumeRevision) =>
      metadataV1.WatchTopicsRequest.fromPartial({ resumeRevision, tenantId: options.tenantId ? { value: options.tenantId } : undefined, cell: options.cell ?? '' }),
    updates: (u: metadataV1.TopicUpdates) => ({
      upserted: u.upserted.filter((t) => t.topicId).map((t) => [topicKey(t.topicId as commonV1.TopicId), t] as const),
      deleted: u.deleted.map((id) => topicKey(id)),
    }),
  });
  return new WatchedCache(src, options);
}

/**
 * Partition assignments keyed by `${topicIdHex}/${partition}` (partitionKey). With
 * `leaderNodeId` the cache holds only partitions that node leads: when one moves to another
 * leader the server re-sends it and this cache turns that into a delete (with the old value).
 */
export function watchPartitions(
  client: MetadataClient,
  options: WatchOptions & { tenantId?: string; cell?: string; leaderNodeId?: string },
): WatchedMap<string, metadataV1.PartitionAssignment> {
  const leader = options.leaderNodeId;
  const src = source(client, {
    name: leader ? `partitions(leader=${leader})` : 'partitions',
    call: (req: metadataV1.WatchPartitionsRequest) => client.watchPartitions(req, waitForReady()),
    request: (resumeRevision) =>
      metadataV1.WatchPartitionsRequest.fromPartial({
        resumeRevision,
        tenantId: options.tenantId ? { value: options.tenantId } : undefined,
        cell: options.cell ?? '',
        leaderNodeId: leader ?? '',
      }),
    updates: (u: metadataV1.PartitionUpdates) => ({
      upserted: u.upserted
        .filter((p) => p.partition?.topicId)
        .map((p) => [partitionKey(p.partition?.topicId as commonV1.TopicId, p.partition?.partition ?? 0), p] as const),
      deleted: u.deleted.map(partitionRefKey),
    }),
    keep: leader ? (p) => p.leaderNodeId === leader : undefined,
  });
  return new WatchedCache(src, options);
}

/** Live node registrations keyed by node id; a node disappears when its lease ends. */
export function watchNodes(
  client: MetadataClient,
  options: WatchOptions & { role?: commonV1.NodeRole; cell?: string },
): WatchedMap<string, metadataV1.NodeRegistration> {
  const src = source(client, {
    name: options.role ? `nodes(${commonV1.nodeRoleToJSON(options.role)})` : 'nodes',
    call: (req: metadataV1.WatchNodesRequest) => client.watchNodes(req, waitForReady()),
    request: (resumeRevision) => metadataV1.WatchNodesRequest.fromPartial({ resumeRevision, role: options.role ?? commonV1.NodeRole.UNSPECIFIED, cell: options.cell ?? '' }),
    updates: (u: metadataV1.NodeUpdates) => ({
      upserted: u.upserted.filter((n) => n.node?.nodeId).map((n) => [nodeKey(n.node?.nodeId ?? ''), n] as const),
      deleted: u.deleted.map(nodeKey),
    }),
  });
  return new WatchedCache(src, options);
}

/** Tenants keyed by tenant id. */
export function watchTenants(client: MetadataClient, options: WatchOptions & { cell?: string }): WatchedMap<string, metadataV1.Tenant> {
  const src = source(client, {
    name: 'tenants',
    call: (req: metadataV1.WatchTenantsRequest) => client.watchTenants(req, waitForReady()),
    request: (resumeRevision) => metadataV1.WatchTenantsRequest.fromPartial({ resumeRevision, cell: options.cell ?? '' }),
    updates: (u: metadataV1.TenantUpdates) => ({
      upserted: u.upserted.filter((t) => t.tenantId).map((t) => [tenantKey(t.tenantId as commonV1.TenantId), t] as const),
      deleted: u.deleted.map((id) => tenantKey(id)),
    }),
  });
  return new WatchedCache(src, options);
}

/**
 * API keys (public fields only: metadata never streams hashes or SCRAM material), keyed by key id,
 * of one tenant or of all. Routers use it to forget cached credentials of a revoked key at once.
 */
export function watchApiKeys(client: MetadataClient, options: WatchOptions & { tenantId?: string }): WatchedMap<string, metadataV1.ApiKey> {
  const src = source(client, {
    name: options.tenantId ? `api-keys(${options.tenantId})` : 'api-keys',
    call: (req: metadataV1.WatchApiKeysRequest) => client.watchApiKeys(req, waitForReady()),
    request: (resumeRevision) => metadataV1.WatchApiKeysRequest.fromPartial({ resumeRevision, tenantId: options.tenantId ? { value: options.tenantId } : undefined }),
    updates: (u: metadataV1.ApiKeyUpdates) => ({
      upserted: u.upserted.filter((k) => k.keyId).map((k) => [k.keyId, k] as const),
      deleted: u.deleted,
    }),
  });
  return new WatchedCache(src, options);
}

/**
 * Kafka ACL bindings (acls.proto) keyed by binding id, of one tenant or of all. Routers keep one
 * cache for every tenant and rebuild a tenant's authorizer index when its bindings change.
 */
export function watchAcls(client: MetadataClient, options: WatchOptions & { tenantId?: string }): WatchedMap<string, metadataV1.TenantAclBinding> {
  const src = source(client, {
    name: options.tenantId ? `acls(${options.tenantId})` : 'acls',
    call: (req: metadataV1.WatchAclsRequest) => client.watchAcls(req, waitForReady()),
    request: (resumeRevision) => metadataV1.WatchAclsRequest.fromPartial({ resumeRevision, tenantId: options.tenantId ? { value: options.tenantId } : undefined }),
    updates: (u: metadataV1.AclUpdates) => ({
      upserted: u.upserted.filter((a) => a.bindingId).map((a) => [a.bindingId, a] as const),
      deleted: u.deleted,
    }),
  });
  return new WatchedCache(src, options);
}
