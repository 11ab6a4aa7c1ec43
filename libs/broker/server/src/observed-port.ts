// A ReplicaPort decorator that tells the leadership manager what PartitionLeader does not publish:
// when an Append was answered (the high watermark may have moved, so long-polling fetches wake
// up) and which epoch history a replica holds after MarkEpochStart (the leader's own history,
// needed to answer OffsetForLeaderEpoch, KIP-101/KIP-279).
import type { Epoch, EpochStart, ReplicaPort } from '@stratus/broker-partition';

export interface PortObserver {
  /** An Append settled (either way). Called after the leader has handled the answer. */
  readonly appendSettled: () => void;
  /** MarkEpochStart succeeded: the replica's history, which ends with (epoch, E). */
  readonly epochMarked: (epoch: Epoch, history: readonly EpochStart[]) => void;
}

export function observePort(port: ReplicaPort, observer: PortObserver): ReplicaPort {
  // setImmediate, not a microtask: PartitionLeader reacts to the answer in its own `.then` on the
  // promise we return, so the HW has advanced by the time the observer runs.
  const later = (): void => void setImmediate(observer.appendSettled);
  return {
    id: port.id,
    fence: (epoch) => port.fence(epoch),
    append: (request) =>
      port.append(request).then(
        (result) => {
          later();
          return result;
        },
        (err: unknown) => {
          later();
          throw err;
        },
      ),
    truncate: (epoch, offset) => port.truncate(epoch, offset),
    markEpochStart: async (epoch, offset) => {
      const result = await port.markEpochStart(epoch, offset);
      if (result.ok) observer.epochMarked(epoch, result.value.epochHistory);
      return result;
    },
    repair: (request) => port.repair(request),
    read: (request) => port.read(request),
    advanceLogStart: (epoch, offset) => port.advanceLogStart(epoch, offset),
  };
}
