// Tenant namespacing (issue 8 item 3): every lookup goes through the ClusterView with the
// request's tenant, so a topic of another tenant resolves exactly like a missing one, and names
// go back to the client exactly as it sent them. Internal topics are never resolvable by clients.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ClusterView, TopicView } from '@stratus/router-cluster-view';
import { topicIdBytes } from '../routing/routing-context';

export type TopicResolution =
  | { readonly ok: true; readonly topic: TopicView }
  | { readonly ok: false; readonly errorCode: number };

/** By name (requests before topic ids) or by id (Produce v13+, Fetch v13+). */
export function resolveTopic(view: ClusterView, tenantId: string, ref: { name?: string | null; topicId?: string }, byId: boolean): TopicResolution {
  if (byId) {
    const bytes = ref.topicId === undefined ? undefined : topicIdBytes(ref.topicId);
    const topic = bytes ? view.topicById(tenantId, bytes) : undefined;
    return topic && !topic.internal ? { ok: true, topic } : { ok: false, errorCode: ErrorCode.UNKNOWN_TOPIC_ID };
  }
  const topic = ref.name ? view.topicByName(tenantId, ref.name) : undefined;
  return topic && !topic.internal ? { ok: true, topic } : { ok: false, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
}

export function hasPartition(topic: TopicView, partition: number): boolean {
  return Number.isInteger(partition) && partition >= 0 && partition < topic.partitionCount;
}

/** Transactional ids live in the tenant's namespace like topic names (docs/architecture). */
export function internalTransactionalId(tenantId: string, transactionalId: string): string {
  return `${tenantId}/${transactionalId}`;
}
