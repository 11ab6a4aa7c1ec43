// Local (hot-tier) retention, KIP-405: once a segment is in the manifest, the replication nodes may
// drop their copy when local.retention.ms / local.retention.bytes say so. The manifest is the only
// proof of upload: a segment whose end lies above the manifest's contiguous end is never dropped,
// whatever the limits say, so the hot tier keeps everything while uploads lag or S3 is down.
import { replicationV1, type metadataV1 } from '@stratus/contracts';
import { unaryCall } from '@stratus/platform-grpc';
import type { RetentionPolicy } from '@stratus/tiered-uploader';

/** Effective hot-tier limits; -1 = no limit. */
export interface LocalRetentionPolicy {
  readonly localRetentionMs: number;
  readonly localRetentionBytes: number;
}

/** What local retention needs of one sealed segment on a replica. */
export interface HotSegment {
  readonly baseOffset: bigint;
  readonly endOffset: bigint;
  readonly sizeBytes: bigint;
  readonly maxTimestampMs: bigint;
}

/** One replica's hot log, as local retention sees it. */
export interface HotLogPort {
  /** Sealed segments, oldest first, and the size of the whole local log (active segment included). */
  sealed(): Promise<{ readonly segments: readonly HotSegment[]; readonly logSizeBytes: bigint; readonly localLogStart: bigint }>;
  /** DeleteSegmentsBefore(LOCAL_ONLY): drops whole segments ending at or below `offset`. */
  deleteBefore(offset: bigint): Promise<{ readonly segmentsDeleted: number; readonly localLogStart: bigint }>;
}

/** A topic's limit value; -2 (KIP-405 default) follows the whole-log limit. */
function localLimit(raw: string | undefined, whole: number): number {
  if (raw === undefined || !/^-?\d+$/.test(raw.trim())) return whole;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < -2) return whole;
  return n === -2 ? whole : n;
}

export function localRetentionOf(configs: Readonly<Record<string, string>>, whole: RetentionPolicy): LocalRetentionPolicy {
  return {
    localRetentionMs: localLimit(configs['local.retention.ms'], whole.retentionMs),
    localRetentionBytes: localLimit(configs['local.retention.bytes'], whole.retentionBytes),
  };
}

/**
 * End of the uploaded prefix: the manifest's segments are contiguous from its start (the uploader
 * never leaves a gap), but stop at the first gap anyway so a damaged manifest deletes less.
 */
export function manifestEnd(segments: readonly metadataV1.SegmentManifestEntry[]): bigint | undefined {
  const ordered = [...segments].sort((a, b) => (a.baseOffset < b.baseOffset ? -1 : a.baseOffset > b.baseOffset ? 1 : 0));
  let end: bigint | undefined;
  for (const s of ordered) {
    if (end !== undefined && s.baseOffset > end) break;
    if (end === undefined || s.endOffset > end) end = s.endOffset;
  }
  return end;
}

/**
 * The offset to delete below on one replica, or undefined for nothing. Oldest segments first,
 * Kafka's rules: a segment goes when its largest timestamp is older than local.retention.ms, or
 * while the rest of the local log still holds local.retention.bytes — and only if it ends at or
 * below `uploadedEnd`. The first segment that may not go stops the walk (deletion is a prefix).
 */
export function localDeletionOffset(input: {
  readonly segments: readonly HotSegment[];
  readonly logSizeBytes: bigint;
  readonly uploadedEnd: bigint;
  readonly policy: LocalRetentionPolicy;
  readonly now: number;
}): bigint | undefined {
  const { policy } = input;
  let remaining = input.logSizeBytes;
  let offset: bigint | undefined;
  for (const s of input.segments) {
    if (s.endOffset > input.uploadedEnd) break;
    const byTime = policy.localRetentionMs >= 0 && s.maxTimestampMs >= 0n && s.maxTimestampMs < BigInt(input.now - policy.localRetentionMs);
    const bySize = policy.localRetentionBytes >= 0 && remaining - s.sizeBytes >= BigInt(policy.localRetentionBytes);
    if (!byTime && !bySize) break;
    offset = s.endOffset;
    remaining -= s.sizeBytes;
  }
  return offset;
}

export interface LocalRetentionResult {
  /** Per replica (in the order given): segments deleted, or the error that stopped it. */
  readonly replicas: readonly ({ readonly segmentsDeleted: number; readonly localLogStart: bigint } | { readonly error: string })[];
}

/** Applies local retention on every replica independently: one unreachable replica does not hold back the others. */
export async function applyLocalRetention(input: {
  readonly replicas: readonly HotLogPort[];
  readonly uploadedEnd: bigint | undefined;
  readonly policy: LocalRetentionPolicy;
  readonly now: number;
}): Promise<LocalRetentionResult> {
  const { uploadedEnd } = input;
  if (uploadedEnd === undefined) return { replicas: input.replicas.map(() => ({ segmentsDeleted: 0, localLogStart: -1n })) };
  const replicas = await Promise.all(
    input.replicas.map(async (replica) => {
      try {
        const hot = await replica.sealed();
        const offset = localDeletionOffset({ segments: hot.segments, logSizeBytes: hot.logSizeBytes, uploadedEnd, policy: input.policy, now: input.now });
        if (offset === undefined || offset <= hot.localLogStart) return { segmentsDeleted: 0, localLogStart: hot.localLogStart };
        return await replica.deleteBefore(offset);
      } catch (err) {
        return { error: (err as Error).message };
      }
    }),
  );
  return { replicas };
}

function wireFailure(rpc: string, error: replicationV1.ReplicaError | undefined): Error | undefined {
  if (!error || error.code === replicationV1.ReplicaErrorCode.UNSPECIFIED) return undefined;
  return new Error(`${rpc}: ${error.message || String(error.code)}`);
}

/** HotLogPort over a replication node's ReplicationService (GetLogState, ListSealedSegments, DeleteSegmentsBefore). */
export function grpcHotLog(client: replicationV1.ReplicationServiceClient, partition: { topicId: Uint8Array; partition: number }, options: { timeoutMs?: number } = {}): HotLogPort {
  const ref = { topicId: { value: Buffer.from(partition.topicId) }, partition: partition.partition };
  const timeout = options.timeoutMs ?? 10_000;
  return {
    async sealed() {
      const state = await unaryCall(client, client.getLogState, { partition: ref }, { timeoutMs: timeout });
      const stateError = wireFailure('GetLogState', state.error);
      if (stateError) throw stateError;
      const segments: HotSegment[] = [];
      let pageToken = '';
      do {
        const res = await unaryCall(client, client.listSealedSegments, { partition: ref, fromOffset: 0n, page: { pageSize: 1000, pageToken } }, { timeoutMs: timeout });
        const listError = wireFailure('ListSealedSegments', res.error);
        if (listError) throw listError;
        for (const s of res.segments) segments.push({ baseOffset: s.baseOffset, endOffset: s.endOffset, sizeBytes: s.sizeBytes, maxTimestampMs: s.maxTimestampMs });
        pageToken = res.page?.nextPageToken ?? '';
      } while (pageToken !== '');
      return { segments, logSizeBytes: state.state?.sizeBytes ?? 0n, localLogStart: state.state?.localLogStartOffset || state.state?.logStartOffset || 0n };
    },
    async deleteBefore(offset) {
      const res = await unaryCall(client, client.deleteSegmentsBefore, { partition: ref, offset, scope: replicationV1.DeleteScope.LOCAL_ONLY, epoch: 0 }, { timeoutMs: timeout });
      const failure = wireFailure('DeleteSegmentsBefore', res.error);
      if (failure) throw failure;
      return { segmentsDeleted: res.segmentsDeleted, localLogStart: res.state?.localLogStartOffset || res.state?.logStartOffset || 0n };
    },
  };
}
