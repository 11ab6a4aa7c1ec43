// A tenant's topics as the KIP-848 assignors and topic-id offset APIs need them, from the broker's
// watched topics of its cell (metadataV1.Topic values).
import { topicCatalog, topicId, type TopicCatalog } from '@stratus/broker-groups';

export interface WatchedTopic {
  readonly tenantId?: { readonly value: string } | undefined;
  readonly topicId?: { readonly value: Uint8Array } | undefined;
  readonly name: string;
  readonly partitionCount: number;
  readonly internal: boolean;
  /** metadataV1.TopicState: 2 = DELETING. */
  readonly state: number;
}

const DELETING = 2;

/** Kafka's UUID text form of 16 id bytes (8-4-4-4-12). */
export function uuidText(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The tenant's live, client-visible topics (internal and deleting ones excluded). */
export function tenantTopicCatalog(topics: Iterable<WatchedTopic>, tenantId: string): TopicCatalog {
  const out = [];
  for (const t of topics) {
    if (t.tenantId?.value !== tenantId || t.internal || t.state === DELETING || !t.topicId || t.topicId.value.length !== 16) continue;
    out.push({ id: topicId(uuidText(t.topicId.value)), name: t.name, partitions: t.partitionCount });
  }
  return topicCatalog(out);
}
