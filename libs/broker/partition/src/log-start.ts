// DeleteRecords on the leader (KIP-107): move the log start on the replicas under the leader's
// epoch and only then report it. The move counts once a write quorum (min.insync.replicas, as for
// acks=all) holds it durably: any later recovery quorum intersects that write quorum, and
// recovery takes the highest log start it sees (recovery.ts), so an acknowledged deletion is
// never undone by a failover.
import { ErrorCode } from '@stratus/kafka-errors';
import type { PartitionError } from './leader-types';
import type { ReplicaPort } from './replica-port';
import { failure, success, type Epoch, type Outcome } from './types';

export type LogStartMove =
  | { readonly kind: 'moved'; readonly logStart: bigint }
  | { readonly kind: 'fenced'; readonly promisedEpoch: Epoch }
  | { readonly kind: 'refused'; readonly error: PartitionError };

/**
 * Sends the move to every replica of the set (lagging ones too: whoever holds the range should
 * forget it) and waits for all answers, each bounded by the port's call deadline.
 */
export async function moveLogStart(options: { readonly replicas: readonly ReplicaPort[]; readonly epoch: Epoch; readonly offset: bigint; readonly writeQuorum: number }): Promise<LogStartMove> {
  const { replicas, epoch, offset, writeQuorum } = options;
  const answers = await Promise.all(
    replicas.map((port) => port.advanceLogStart(epoch, offset).catch((err: unknown) => failure({ code: 'UNAVAILABLE' as const, message: String(err) }))),
  );
  let moved = 0;
  for (const a of answers) {
    if (a.ok) {
      // The durable start: a start below the replica's first local offset is persisted too.
      if (a.value.durableLogStart >= offset) moved++;
    } else if (a.error.code === 'FENCED') {
      return { kind: 'fenced', promisedEpoch: a.error.promisedEpoch };
    }
  }
  if (moved >= writeQuorum) return { kind: 'moved', logStart: offset };
  return {
    kind: 'refused',
    error: { code: ErrorCode.NOT_ENOUGH_REPLICAS, message: `the log start moved to ${offset} on ${moved} replicas, ${writeQuorum} required` },
  };
}

/** Kafka's DeleteRecords offset rules: -1 = the high watermark; beyond it is OFFSET_OUT_OF_RANGE. */
export function deleteRecordsTarget(offset: bigint, highWatermark: bigint): Outcome<bigint, PartitionError> {
  const target = offset === -1n ? highWatermark : offset;
  if (target < 0n || target > highWatermark) {
    return failure({ code: ErrorCode.OFFSET_OUT_OF_RANGE, message: `cannot delete records below ${offset}: the high watermark is ${highWatermark}` });
  }
  return success(target);
}
