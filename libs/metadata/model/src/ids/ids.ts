// Branded identifiers: a TenantId can never be passed where a TopicId or BrokerId is expected,
// even though all of them are strings or numbers at runtime.
import { randomUUID } from 'node:crypto';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type TenantId = Brand<string, 'TenantId'>;
/** Kafka topic id (KIP-516): a 16-byte UUID, kept in its canonical text form. */
export type TopicId = Brand<string, 'TopicId'>;
export type NodeId = Brand<string, 'NodeId'>;
export type BrokerId = Brand<string, 'BrokerId'>;
export type ApiKeyId = Brand<string, 'ApiKeyId'>;
export type CellId = Brand<string, 'CellId'>;
/** Leader epoch of a partition (KIP-101/KIP-320): only ever increases. */
export type Epoch = Brand<number, 'Epoch'>;

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Ids become etcd key segments, so they must not contain '/' or anything surprising. */
export function isValidIdSegment(value: string): boolean {
  return ID_PATTERN.test(value);
}

export const tenantId = (value: string): TenantId => value as TenantId;
export const topicId = (value: string): TopicId => value as TopicId;
export const nodeId = (value: string): NodeId => value as NodeId;
export const brokerId = (value: string): BrokerId => value as BrokerId;
export const apiKeyId = (value: string): ApiKeyId => value as ApiKeyId;
export const cellId = (value: string): CellId => value as CellId;
export const epoch = (value: number): Epoch => value as Epoch;

export function newTopicId(): TopicId {
  return randomUUID() as TopicId;
}

/** The next epoch after `current`; epochs never go backwards. */
export function nextEpoch(current: Epoch): Epoch {
  return (current + 1) as Epoch;
}
