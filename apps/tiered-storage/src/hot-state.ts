// The hot tier's extent for the audit: replication GetLogState on every live replica, merged.
// The audit asks "is every committed offset held somewhere", so the hot tier starts at the LOWEST
// first offset any replica still stores and reaches the HIGHEST committed offset any reports
// (replicas that lag behind the leader's high watermark do not shrink it). No answer at all:
// undefined, and the audit skips the hot-side checks for that pass.
import { Metadata } from '@grpc/grpc-js';
import { replicationV1 } from '@stratus/contracts';
import { callOptions } from '@stratus/platform-grpc';
import type { HotLogState } from '@stratus/tiered-audit';
import type { PartitionKey } from '@stratus/tiered-uploader';

const TIMEOUT_MS = 5_000;

function getLogState(client: replicationV1.ReplicationServiceClient, partition: PartitionKey): Promise<replicationV1.LogState | undefined> {
  return new Promise((resolve) => {
    client.getLogState({ partition: { topicId: { value: Buffer.from(partition.topicId) }, partition: partition.partition } }, new Metadata(), callOptions(TIMEOUT_MS), (err, res) => {
      // A replica that does not host the partition (yet) or is unreachable simply does not count.
      if (err || !res || (res.error && res.error.code !== replicationV1.ReplicaErrorCode.UNSPECIFIED)) return resolve(undefined);
      resolve(res.state);
    });
  });
}

export async function hotLogState(clients: readonly replicationV1.ReplicationServiceClient[], partition: PartitionKey): Promise<HotLogState | undefined> {
  const states = (await Promise.all(clients.map((c) => getLogState(c, partition)))).filter((s): s is replicationV1.LogState => s !== undefined);
  if (states.length === 0) return undefined;
  return {
    localLogStartOffset: states.reduce((min, s) => (s.localLogStartOffset < min ? s.localLogStartOffset : min), states[0]?.localLogStartOffset ?? 0n),
    committedOffset: states.reduce((max, s) => (s.committedOffset > max ? s.committedOffset : max), 0n),
  };
}
