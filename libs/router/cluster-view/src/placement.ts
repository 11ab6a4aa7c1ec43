// How a router presents Stratus to Kafka clients: which router a client is told leads a partition
// or coordinates a group, and the cluster id each tenant sees.
//
// Every router may serve every partition (it forwards to the real leader broker over gRPC), so the
// "leader" in a Metadata answer only decides which router a client connects to. Choosing among the
// routers of the answering router's AZ keeps client traffic inside the AZ (no cross-AZ transfer
// cost); choosing deterministically means every router of that AZ gives the same answer, so a
// client that refreshes metadata through another router is not sent elsewhere for no reason.
import { createHash } from 'node:crypto';
import type { RouterEndpoint } from './cluster-view';

/** The routers of `availabilityZone`, or all routers when that AZ has none (never empty if `routers` is not). */
export function routersInZone(routers: readonly RouterEndpoint[], availabilityZone: string): readonly RouterEndpoint[] {
  const local = routers.filter((r) => r.availabilityZone === availabilityZone);
  return local.length > 0 ? local : routers;
}

/** FNV-1a (32 bit): tiny, stable across processes and versions, good enough to spread keys. */
export function fnv1a(bytes: Uint8Array | string): number {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let hash = 0x811c9dc5;
  for (const byte of data) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The router advertised as leader of (topicId, partition) among `candidates` (ordered by
 * kafkaNodeId, as ClusterView.routers() returns them). The topic id picks the starting router and
 * consecutive partitions go to consecutive routers, so a topic's partitions spread evenly (a plain
 * hash per partition would cluster them) and different topics start at different routers.
 */
export function partitionLeader(candidates: readonly RouterEndpoint[], topicId: Uint8Array, partition: number): RouterEndpoint | undefined {
  if (candidates.length === 0) return undefined;
  return candidates[(fnv1a(topicId) + partition) % candidates.length];
}

/**
 * The routers presented as a partition's replicas: the leader first, then the next routers of
 * the same candidate list, `count` at most. A client never fetches from these directly, but tools
 * show them, and a replica list that names live brokers keeps "under-replicated" checks quiet.
 */
export function partitionReplicas(candidates: readonly RouterEndpoint[], leader: RouterEndpoint, count: number): readonly RouterEndpoint[] {
  const start = candidates.indexOf(leader);
  if (start < 0) return [leader];
  const n = Math.min(Math.max(count, 1), candidates.length);
  return Array.from({ length: n }, (_, i) => candidates[(start + i) % candidates.length] as RouterEndpoint);
}

/** The router that answers FindCoordinator for `key` (a group or transactional id) of a tenant. */
export function coordinatorRouter(candidates: readonly RouterEndpoint[], tenantId: string, key: string): RouterEndpoint | undefined {
  if (candidates.length === 0) return undefined;
  // Length-prefixed so ("ab", "c") and ("a", "bc") differ.
  return candidates[fnv1a(`${tenantId.length}:${tenantId}/${key}`) % candidates.length];
}

/**
 * The cluster id a tenant sees (Metadata v2+, DescribeCluster): stable for the life of the tenant
 * and different per tenant, because clients and tools use it to tell clusters apart. Shaped like
 * Kafka's own cluster ids: a UUID in URL-safe base64 without padding (22 characters).
 */
export function tenantClusterId(tenantId: string): string {
  const digest = createHash('sha256').update(`stratus-cluster/${tenantId}`).digest();
  return digest.subarray(0, 16).toString('base64url');
}
