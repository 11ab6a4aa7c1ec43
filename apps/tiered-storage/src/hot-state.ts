// The hot tier's extent for the audit: replication GetLogState on every live replica, merged.
// The audit asks "is every committed offset held somewhere", so the hot tier starts at the LOWEST
// first offset any replica still stores and reaches the HIGHEST committed offset any reports
// (replicas that lag behind the leader's high watermark do not shrink it). No answer at all:
// undefined, and the audit skips the hot-side checks for that pass.
import { replicationV1 } from '@stratus/contracts';
import { unaryCall } from '@stratus/platform-grpc';
import type { HotLogState } from '@stratus/tiered-audit';
import type { PartitionKey } from '@stratus/tiered-uploader';

const TIMEOUT_MS = 5_000;

async function getLogState(client: replicationV1.ReplicationServiceClient, partition: PartitionKey): Promise<replicationV1.LogState | undefined> {
  const request = { partition: { topicId: { value: Buffer.from(partition.topicId) }, partition: partition.partition } };
  // A replica that does not host the partition (yet) or is unreachable simply does not count.
  const res = await unaryCall(client, client.getLogState, request, { timeoutMs: TIMEOUT_MS }).catch(() => undefined);
  if (!res || (res.error && res.error.code !== replicationV1.ReplicaErrorCode.UNSPECIFIED)) return undefined;
  return res.state;
}

export async function hotLogState(clients: readonly replicationV1.ReplicationServiceClient[], partition: PartitionKey): Promise<HotLogState | undefined> {
  const states = (await Promise.all(clients.map((c) => getLogState(c, partition)))).filter((s): s is replicationV1.LogState => s !== undefined);
  if (states.length === 0) return undefined;
  return {
    localLogStartOffset: states.reduce((min, s) => (s.localLogStartOffset < min ? s.localLogStartOffset : min), states[0]?.localLogStartOffset ?? 0n),
    committedOffset: states.reduce((max, s) => (s.committedOffset > max ? s.committedOffset : max), 0n),
  };
}

/**
 * The partition's durable log start (DeleteRecords, KIP-107) as the replicas persist it: the
 * highest `log_start_offset` any answering replica reports (a move counts once a write quorum
 * holds it, and recovery takes the highest too). Undefined when no replica answers or none
 * reports a start above 0.
 *
 * This is how tiered storage refuses reads below the start after its own restart (its trim ledger
 * lives in memory): the replicas are the durable record, asked once per retention round. The
 * broker's re-sent TrimPartition alone would not do: it comes only when a leadership is recovered,
 * not when this node restarts. A start equal to the first local offset is skipped: a replication
 * node from before log_start_offset meant the logical start reported its first local offset
 * there, and trimming to that would delete tiered records nobody deleted (the broker re-sends a
 * real trim at that offset anyway).
 */
export async function durableLogStart(clients: readonly replicationV1.ReplicationServiceClient[], partition: PartitionKey): Promise<bigint | undefined> {
  const states = (await Promise.all(clients.map((c) => getLogState(c, partition)))).filter((s): s is replicationV1.LogState => s !== undefined);
  let start: bigint | undefined;
  for (const s of states) {
    if (s.logStartOffset <= 0n || s.logStartOffset === s.localLogStartOffset) continue;
    if (start === undefined || s.logStartOffset > start) start = s.logStartOffset;
  }
  return start;
}
