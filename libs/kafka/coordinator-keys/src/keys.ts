// Where a tenant's consumer group (or transactional id) is coordinated, computed the same way by
// the router (to pick the broker it forwards to) and by the broker (to check it leads the
// partition). ARCHITECTURE.md "Coordinators": group g of tenant t is coordinated by the leader of
// partition hash(t, g) mod N of the cell's internal offsets topic.
import { murmur2, toPositive } from './murmur2';

/** The internal, compacted topic holding group metadata and committed offsets, one per cell. */
export const OFFSETS_TOPIC_NAME = '__stratus_offsets';

/**
 * Default partition count of the offsets topic (Kafka's offsets.topic.num.partitions is 50; a
 * Stratus cell is smaller than a Kafka cluster's worth of brokers, and every partition costs a
 * leader and three hot replicas). Fixed once the topic exists: changing N moves every group.
 */
export const DEFAULT_OFFSETS_TOPIC_PARTITIONS = 16;

/**
 * The reserved tenant owning the offsets topic of `cell` while the metadata model has no
 * cell-scoped internal topics (docs/groups.md "The offsets topic"). No API key maps to it, so no
 * client can reach its topics. Tenant names allow [a-zA-Z0-9._-], so any cell id of that alphabet fits.
 */
export const systemTenantName = (cell: string): string => `stratus-internal-${cell}`;

declare const internalGroupIdBrand: unique symbol;
/** A group id in its tenant-namespaced form `<tenantId>/<groupId>`, as brokers and records see it. */
export type InternalGroupId = string & { readonly [internalGroupIdBrand]: 'InternalGroupId' };

/** Tenant ids never contain '/', so the first '/' separates the tenant; the client's id may contain '/'. */
const SEP = '/';

export class InvalidTenantIdError extends Error {
  constructor(readonly tenantId: string) {
    super(`invalid tenant id ${JSON.stringify(tenantId)}: must be non-empty and contain no '/'`);
    this.name = 'InvalidTenantIdError';
  }
}

/**
 * `<tenantId>/<groupId>`: the same namespacing as topics (`t-42/orders`). An empty client group id
 * stays empty after the prefix so the coordinator can still answer INVALID_GROUP_ID for it.
 * @throws InvalidTenantIdError for a tenant id that would make the mapping ambiguous (a bug upstream).
 */
export function internalGroupId(tenantId: string, groupId: string): InternalGroupId {
  if (tenantId.length === 0 || tenantId.includes(SEP)) throw new InvalidTenantIdError(tenantId);
  return `${tenantId}${SEP}${groupId}` as InternalGroupId;
}

/** Undoes internalGroupId; undefined for a string that is not in the internal form. */
export function splitInternalGroupId(id: string): { tenantId: string; groupId: string } | undefined {
  const i = id.indexOf(SEP);
  if (i <= 0) return undefined;
  return { tenantId: id.slice(0, i), groupId: id.slice(i + 1) };
}

/** The client-visible group id if `id` belongs to `tenantId`, else undefined (never another tenant's id). */
export function groupIdForTenant(tenantId: string, id: string): string | undefined {
  const parts = splitInternalGroupId(id);
  return parts && parts.tenantId === tenantId ? parts.groupId : undefined;
}

/**
 * The offsets-topic partition coordinating `key` (an internal group id or internal transactional
 * id): toPositive(murmur2(utf8(key))) mod partitionCount — Kafka's default-partitioner formula
 * applied to the internal key, so the tenant is part of the hash and tenants spread independently.
 * @throws RangeError when partitionCount is not a positive int32 (a configuration bug).
 */
export function coordinatorPartition(key: string, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount <= 0 || partitionCount > 0x7fffffff) {
    throw new RangeError(`offsets topic partition count must be a positive int32, got ${partitionCount}`);
  }
  return toPositive(murmur2(Buffer.from(key, 'utf8'))) % partitionCount;
}
