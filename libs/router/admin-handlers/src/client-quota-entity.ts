// How Kafka's client-quota entities (KIP-546) map onto Stratus quotas. Stratus stores quotas per
// tenant (metadata TenantQuotas), not per user or client id. A tenant's Kafka cluster therefore
// has exactly one quota entity: the default user (`user` with a null name, what
// `kafka-configs --entity-type users --entity-default` addresses). Setting it sets the tenant's
// quota, shared by every API key (user) of the tenant; other entities do not exist.
import type { metadataV1 } from '@stratus/contracts';

export const ENTITY_TYPES = new Set(['user', 'client-id', 'ip']);

/** A Kafka quota key and the TenantQuotas field it is stored in. */
export interface QuotaKey {
  readonly kafka: string;
  readonly field: keyof metadataV1.TenantQuotas;
  readonly int64: boolean;
}

/**
 * Kafka's quota keys with their Stratus meaning. request_percentage is Kafka's share of broker
 * thread time; Stratus meters requests, so the value is read as requests per second (the same
 * field the routers enforce, docs/router.md "Quotas").
 */
export const QUOTA_KEYS: readonly QuotaKey[] = [
  { kafka: 'producer_byte_rate', field: 'produceBytesPerSecond', int64: true },
  { kafka: 'consumer_byte_rate', field: 'fetchBytesPerSecond', int64: true },
  { kafka: 'request_percentage', field: 'requestsPerSecond', int64: true },
  { kafka: 'controller_mutation_rate', field: 'partitionMutationsPerSecond', int64: false },
  { kafka: 'connection_creation_rate', field: 'connectionCreationsPerSecond', int64: false },
];

export const QUOTA_KEY_BY_NAME: ReadonlyMap<string, QuotaKey> = new Map(QUOTA_KEYS.map((k) => [k.kafka, k]));

export const TENANT_ENTITY = [{ entityType: 'user', entityName: null }] as const;

/** True when the entity is exactly the default user (the only quota entity a tenant has). */
export function isTenantEntity(entity: ReadonlyArray<{ entityType: string; entityName: string | null }>): boolean {
  return entity.length === 1 && entity[0]?.entityType === 'user' && entity[0].entityName === null;
}

/** The Kafka quota values of a TenantQuotas (absent fields are left out). */
export function quotaValues(q: metadataV1.TenantQuotas | undefined): Array<{ key: string; value: number }> {
  const out: Array<{ key: string; value: number }> = [];
  for (const k of QUOTA_KEYS) {
    const v = q?.[k.field];
    if (v !== undefined) out.push({ key: k.kafka, value: Number(v) });
  }
  return out;
}
