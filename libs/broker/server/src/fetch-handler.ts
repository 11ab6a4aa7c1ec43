// One Fetch request as a long poll (Kafka's DelayedFetch): read every partition; answer at once
// if there is an error or at least min_bytes; otherwise wait until a partition shows activity (a
// replica acknowledged an Append, so the high watermark may have moved, or leadership changed)
// and read again, until max_wait_ms (bounded by header.timeout_ms) has passed. No polling timer:
// the only timer is the deadline.
import { brokerV1, type commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { endOffsetFor } from './epoch-lookup';
import type { LeaderDirectory } from './leader-directory';
import { NO_ERROR, checkLeaderEpoch, kafkaError, resolvePartition, type PartitionAccess } from './partition-access';
import { replicaPreference, type ReplicaLocality } from './replica-locality';
import type { TierReadPath } from './tier-read';

export interface FetchHandlerOptions extends PartitionAccess {
  /** Upper bound of one response's record bytes whatever the client asks (Kafka: fetch.max.bytes). */
  readonly maxResponseBytes: number;
  /** Reads below the hot tier's start go to tiered storage (tier-read.ts); absent: hot tier only. */
  readonly tier?: TierReadPath;
  /** Follower fetching (KIP-392): replica AZs, to read from the client's AZ first; absent: any replica. */
  readonly locality?: ReplicaLocality;
}

interface Pass {
  readonly partitions: brokerV1.FetchPartitionResponse[];
  readonly bytes: number;
  readonly hasError: boolean;
}

function emptyResponse(partition: commonV1.PartitionRef | undefined, error: commonV1.KafkaError, extra: Partial<brokerV1.FetchPartitionResponse> = {}): brokerV1.FetchPartitionResponse {
  return {
    partition,
    error,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: [],
    preferredReadReplica: -1,
    records: Buffer.alloc(0),
    divergingEpoch: undefined,
    currentLeader: undefined,
    ...extra,
  };
}

export function fetchResponseBytes(request: brokerV1.FetchRequest, options: FetchHandlerOptions): number {
  return responseLimit(request, options);
}

function responseLimit(request: brokerV1.FetchRequest, options: FetchHandlerOptions): number {
  return request.maxBytes > 0 ? Math.min(request.maxBytes, options.maxResponseBytes) : options.maxResponseBytes;
}

async function readOnce(options: FetchHandlerOptions, request: brokerV1.FetchRequest): Promise<Pass> {
  const tenantId = request.header?.tenantId?.value ?? '';
  const limit = responseLimit(request, options);
  const partitions: brokerV1.FetchPartitionResponse[] = [];
  let bytes = 0;
  let hasError = false;
  for (const p of request.partitions) {
    const resolved = resolvePartition(options, tenantId, p.partition);
    if (!resolved.ok) {
      hasError = true;
      partitions.push(emptyResponse(p.partition, resolved.error, { currentLeader: resolved.currentLeader }));
      continue;
    }
    const leader = resolved.leader;
    const epochError = checkLeaderEpoch(leader, p.currentLeaderEpoch);
    if (epochError) {
      hasError = true;
      partitions.push(emptyResponse(p.partition, epochError));
      continue;
    }
    const snap = leader.snapshot();
    const positions = { highWatermark: snap.highWatermark, lastStableOffset: snap.highWatermark, logStartOffset: snap.logStart };
    // KIP-320/KIP-595: the client's last fetched epoch ended earlier here than where it fetches.
    if (p.lastFetchedEpoch >= 0) {
      const history = options.directory.epochHistory(p.partition ?? { topicId: undefined, partition: -1 });
      const end = history ? endOffsetFor(history, p.lastFetchedEpoch, snap.logEnd) : undefined;
      if (end && (end.endOffset < p.fetchOffset || end.epoch < p.lastFetchedEpoch)) {
        partitions.push(emptyResponse(p.partition, NO_ERROR, { ...positions, divergingEpoch: { epoch: end.epoch, endOffset: end.endOffset } }));
        continue;
      }
    }
    const remaining = limit - bytes;
    // KIP-74: the first batch of the first non-empty partition is returned even when larger than
    // the limits, so a consumer always makes progress; later partitions must fit.
    if (remaining <= 0) {
      partitions.push(emptyResponse(p.partition, NO_ERROR, positions));
      continue;
    }
    const partitionMax = p.partitionMaxBytes > 0 ? p.partitionMaxBytes : limit;
    const fetchRequest = {
      offset: p.fetchOffset,
      maxBytes: Math.max(1, Math.min(partitionMax, remaining)),
      ...(p.currentLeaderEpoch >= 0 ? { currentLeaderEpoch: p.currentLeaderEpoch } : {}),
      ...replicaPreference(options.locality, request.header?.clientAvailabilityZone ?? ''),
    };
    const fetched = options.tier && p.partition ? await options.tier.fetch(leader, p.partition, fetchRequest) : await leader.fetch(fetchRequest);
    if (!fetched.ok) {
      hasError = true;
      const hint = fetched.error.code === ErrorCode.NOT_LEADER_OR_FOLLOWER ? resolvePartition(options, tenantId, p.partition) : undefined;
      partitions.push(emptyResponse(p.partition, kafkaError(fetched.error.code, fetched.error.message), { ...positions, currentLeader: hint && !hint.ok ? hint.currentLeader : undefined }));
      continue;
    }
    let records = fetched.value.records;
    if (bytes > 0 && records.length > remaining) records = Buffer.alloc(0);
    bytes += records.length;
    partitions.push(
      emptyResponse(p.partition, NO_ERROR, {
        highWatermark: fetched.value.highWatermark,
        lastStableOffset: fetched.value.highWatermark,
        logStartOffset: fetched.value.logStartOffset,
        records,
      }),
    );
  }
  return { partitions, bytes, hasError };
}

/** Wakes a waiting fetch on activity of any of its partitions; remembers activity seen before waiting. */
class ActivityWaker {
  private dirty = false;
  private wake: (() => void) | undefined;
  private readonly unsubscribe: (() => void)[];

  constructor(directory: LeaderDirectory, partitions: readonly (commonV1.PartitionRef | undefined)[]) {
    this.unsubscribe = partitions.flatMap((p) =>
      p
        ? [
            directory.onActivity(p, () => {
              this.dirty = true;
              this.wake?.();
            }),
          ]
        : [],
    );
  }

  /** Clears the activity flag: call right before reading. */
  arm(): void {
    this.dirty = false;
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.dirty || ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.wake = done;
    });
  }

  close(): void {
    for (const u of this.unsubscribe) u();
  }
}

export async function handleFetch(options: FetchHandlerOptions, request: brokerV1.FetchRequest, signal: AbortSignal): Promise<brokerV1.FetchResponse> {
  const correlationId = request.header?.correlationId ?? 0n;
  const started = Date.now();
  const timeout = request.header?.timeoutMs ?? 0;
  const maxWait = Math.max(0, timeout > 0 ? Math.min(request.maxWaitMs, timeout) : request.maxWaitMs);
  const deadline = started + maxWait;
  const waker = new ActivityWaker(options.directory, request.partitions.map((p) => p.partition));
  try {
    for (;;) {
      waker.arm();
      const pass = await readOnce(options, request);
      const now = Date.now();
      if (pass.hasError || pass.bytes >= Math.max(1, request.minBytes) || request.minBytes <= 0 || now >= deadline || signal.aborted) {
        return { correlationId, error: NO_ERROR, partitions: pass.partitions, throttleTimeMs: 0 };
      }
      await waker.wait(deadline - now, signal);
    }
  } finally {
    waker.close();
  }
}

export const emptyFetchResponse = (correlationId: bigint, error: commonV1.KafkaError): brokerV1.FetchResponse =>
  brokerV1.FetchResponse.fromPartial({ correlationId, error });
