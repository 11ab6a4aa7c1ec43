// Which replication factors CreateTopics accepts. Every Stratus partition is held by exactly 3
// replication nodes, one per availability zone (ARCHITECTURE.md), whatever the client asks for.
//
// -1 asks for the cluster default (KIP-464), and 3 is that default. Clients and tools also commonly
// send 1 or 2 (local-development habits, Kafka Streams or Connect configured for a one-broker
// cluster); refusing them would break those tools for no safety gain, because the topic gets
// *more* durability than asked for, never less. So 1, 2 and 3 are accepted and the topic is
// created with 3 copies, which CreateTopics v5+ reports back in replication_factor (KIP-525).
// A factor above 3 cannot be honoured (there are 3 zones), and 0 or below -1 is never valid:
// both are INVALID_REPLICATION_FACTOR, as Kafka answers them.
import { ErrorCode } from '@stratus/kafka-errors';

export const STRATUS_REPLICATION_FACTOR = 3;

export type ReplicationFactorCheck = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly code: number; readonly message: string };

/** The factor to ask metadata for (-1 or 3), or the error to answer. */
export function checkReplicationFactor(requested: number): ReplicationFactorCheck {
  if (requested === -1) return { ok: true, value: -1 };
  if (requested >= 1 && requested <= STRATUS_REPLICATION_FACTOR) return { ok: true, value: STRATUS_REPLICATION_FACTOR };
  if (requested > STRATUS_REPLICATION_FACTOR) {
    return {
      ok: false,
      code: ErrorCode.INVALID_REPLICATION_FACTOR,
      message: `Replication factor ${requested} is larger than ${STRATUS_REPLICATION_FACTOR}: every partition is kept in exactly ${STRATUS_REPLICATION_FACTOR} availability zones.`,
    };
  }
  return { ok: false, code: ErrorCode.INVALID_REPLICATION_FACTOR, message: 'Replication factor must be larger than 0, or -1 to use the default value.' };
}
