// OffsetCommit/OffsetFetch v10 name topics by id (KIP-848 follow-up, KIP-1102 era); offsets are
// stored by name, so ids are resolved through the tenant's topic catalog.
import type { TopicCatalog } from '@stratus/broker-groups';

export function topicNamesById(catalog: TopicCatalog): Map<string, string> {
  return new Map([...catalog.values()].map((t) => [t.id as string, t.name]));
}

export function topicIdsByName(catalog: TopicCatalog): Map<string, string> {
  return new Map([...catalog.values()].map((t) => [t.name, t.id as string]));
}
