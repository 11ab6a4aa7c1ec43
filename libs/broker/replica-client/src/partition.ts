// Which partition a replica port speaks for, in the contract's shape. Validated once, when the
// port is built, so that no request can leave with a topic id the replication node would refuse
// as INVALID_REQUEST (the port has no value for "you sent garbage": that is a bug of ours).
import type { commonV1 } from '@stratus/contracts';

const INT32_MAX = 2 ** 31 - 1;

/** One partition = (topic id, index), as everywhere in Stratus (common/v1/ids.proto). */
export interface ReplicaPartition {
  /** The 16-byte Kafka topic id (KIP-516). */
  readonly topicId: Uint8Array;
  readonly partition: number;
}

/** Throws RangeError for a topic id that is not 16 bytes or an index that is not an int32 >= 0. */
export function replicaPartition(topicId: Uint8Array, partition: number): ReplicaPartition {
  if (topicId.length !== 16) throw new RangeError(`topic id must be 16 bytes, got ${topicId.length}`);
  if (!Number.isInteger(partition) || partition < 0 || partition > INT32_MAX) {
    throw new RangeError(`partition index must be an int32 >= 0, got ${partition}`);
  }
  return { topicId: Buffer.from(topicId), partition };
}

export function toPartitionRef(p: ReplicaPartition): commonV1.PartitionRef {
  return { topicId: { value: Buffer.from(p.topicId) }, partition: p.partition };
}

/** "<topic id hex>-<index>", for logs and error messages. */
export function describePartition(p: ReplicaPartition): string {
  return `${Buffer.from(p.topicId).toString('hex')}-${p.partition}`;
}
