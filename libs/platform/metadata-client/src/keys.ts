// Cache keys. Topic ids are 16 raw bytes on the wire (KIP-516); callers compare them as lowercase
// hex so a key built from a Kafka request's UUID and one built from a watch update are equal.
import type { commonV1 } from '@stratus/contracts';

/** Lowercase hex of a 16-byte topic id (no dashes), e.g. "3f2a…". */
export function topicIdHex(id: Uint8Array | commonV1.TopicId | undefined): string {
  const bytes = id instanceof Uint8Array ? id : id?.value;
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') : '';
}

/** Key of a topic in a topics cache: its id as lowercase hex. */
export function topicKey(id: Uint8Array | commonV1.TopicId | string): string {
  return typeof id === 'string' ? id.replace(/-/g, '').toLowerCase() : topicIdHex(id);
}

/** Key of a partition in a partitions cache: `${topicIdHex}/${partition}`. */
export function partitionKey(topicId: Uint8Array | commonV1.TopicId | string, partition: number): string {
  return `${topicKey(topicId)}/${partition}`;
}

/** Key of a partition reference as it arrives in a watch delete. */
export function partitionRefKey(ref: commonV1.PartitionRef): string {
  return partitionKey(ref.topicId ?? new Uint8Array(0), ref.partition);
}

/** Key of a node: its node id. */
export function nodeKey(nodeId: string): string {
  return nodeId;
}

/** Key of a tenant: its tenant id. */
export function tenantKey(id: commonV1.TenantId | string): string {
  return typeof id === 'string' ? id : id.value;
}
