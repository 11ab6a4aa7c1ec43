// After a failed recovery the broker may not retry under the same epoch (replicas may have promised
// it to the failed attempt), so it asks metadata for the next one. The new epoch then arrives like
// any assignment change, through the partition watch, and recovery runs again under it.
import type { Assignment } from '@stratus/broker-server';
import { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { unaryCall } from '@stratus/platform-grpc';

export interface EpochBumpOptions {
  readonly metadata: Pick<metadataV1.MetadataServiceClient, 'bumpLeaderEpoch'>;
  readonly nodeId: string;
  readonly timeoutMs: number;
}

/** The LeadershipManager's `requestNewEpoch`: resolves once metadata answered (bumped, or told us to stop). */
export function epochBumper(options: EpochBumpOptions): (assignment: Assignment) => Promise<void> {
  return async (assignment) => {
    const request = metadataV1.BumpLeaderEpochRequest.fromPartial({
      partition: assignment.partition,
      nodeId: options.nodeId,
      generation: assignment.leaderGeneration,
      leaderEpoch: assignment.leaderEpoch,
    });
    // A gRPC failure rejects with its ServiceError as it is; the caller's backoff retries it.
    const res = await unaryCall(options.metadata, options.metadata.bumpLeaderEpoch, request, { timeoutMs: options.timeoutMs });
    const code = res.error?.code ?? ErrorCode.NONE;
    // NOT_LEADER_OR_FOLLOWER / UNKNOWN_TOPIC_OR_PARTITION: the partition left us; the watch
    // drops it. Anything else retriable is retried by the caller's backoff.
    if (code === ErrorCode.NONE || code === ErrorCode.NOT_LEADER_OR_FOLLOWER || code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return;
    throw new Error(`BumpLeaderEpoch answered Kafka error ${code}: ${res.error?.message ?? ''}`);
  };
}
