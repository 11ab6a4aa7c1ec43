// Reads below the hot tier (KIP-405 "remote fetch"): when the replicas no longer hold an offset
// because local retention dropped the segment after it was uploaded, the same batches are served
// from tiered storage. The hot tier is always asked first — it is faster and the tiers overlap
// while local retention lags the upload — except below an offset the hot tier has already been
// seen not to hold: local deletion only ever removes a prefix, so that knowledge stays true.
import type { FetchRequest, FetchSuccess, Outcome, PartitionError, PartitionLeader } from '@stratus/broker-partition';
import type { commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { partitionKeyOf, type PartitionKey } from './types';

/** What one tiered-storage read answered, in the broker's terms (tieredV1 Fetch). */
export type TierFetchOutcome =
  | { readonly kind: 'records'; readonly records: Buffer; readonly nextOffset: bigint; readonly tieredStart: bigint; readonly tieredEnd: bigint }
  /** The tier holds [tieredStart, tieredEnd) and the offset is not in it. */
  | { readonly kind: 'out_of_range'; readonly tieredStart: bigint; readonly tieredEnd: bigint }
  /** Nothing of this partition is tiered (or no tiered-storage node exists). */
  | { readonly kind: 'none' }
  /** Tiered storage could not answer now (unreachable, object store down, corrupt chunk): retriable. */
  | { readonly kind: 'unavailable'; readonly message: string };

export type TierTimestampOutcome =
  | { readonly kind: 'found'; readonly offset: bigint; readonly timestampMs: bigint; readonly leaderEpoch: number }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'none' }
  | { readonly kind: 'unavailable'; readonly message: string };

/** The broker's view of the tiered-storage service (the app backs it with gRPC). */
export interface TierPort {
  fetch(partition: commonV1.PartitionRef, request: { readonly offset: bigint; readonly maxBytes: number; readonly maxOffset: bigint }): Promise<TierFetchOutcome>;
  offsetForTimestamp(partition: commonV1.PartitionRef, timestampMs: bigint): Promise<TierTimestampOutcome>;
}

/** Bound on remembered partitions; forgetting one only costs a hot read attempt. */
const MAX_REMEMBERED = 100_000;

export class TierReadPath {
  /** Per partition: offsets below this are known to be gone from the hot tier. */
  private readonly notHotBelow = new Map<PartitionKey, bigint>();
  /** Per partition: the tiered log start last seen, reported as the log start (KIP-405). */
  private readonly tieredStart = new Map<PartitionKey, bigint>();

  constructor(readonly port: TierPort) {}

  /** The log start clients should see: the tiered start when tiering holds older data. */
  logStartFor(partition: commonV1.PartitionRef, hotLogStart: bigint): bigint {
    const tiered = this.tieredStart.get(partitionKeyOf(partition));
    return tiered !== undefined && tiered < hotLogStart ? tiered : hotLogStart;
  }

  noteTieredStart(partition: commonV1.PartitionRef, start: bigint): void {
    this.remember(this.tieredStart, partitionKeyOf(partition), start);
  }

  async fetch(leader: PartitionLeader, partition: commonV1.PartitionRef, request: FetchRequest): Promise<Outcome<FetchSuccess, PartitionError>> {
    const key = partitionKeyOf(partition);
    const below = this.notHotBelow.get(key);
    let hot: Outcome<FetchSuccess, PartitionError> | undefined;
    if (below === undefined || request.offset >= below) {
      hot = await leader.fetch(request);
      if (hot.ok) return { ok: true, value: { ...hot.value, logStartOffset: this.logStartFor(partition, hot.value.logStartOffset) } };
      if (!this.mayBeTiered(leader, request.offset, hot.error)) return hot;
    } else {
      // Fencing and leadership still come from the leader, even for a tiered read.
      const gate = await leader.fetch({ ...request, offset: leader.snapshot().highWatermark, maxBytes: 0 });
      if (!gate.ok && gate.error.code !== ErrorCode.OFFSET_OUT_OF_RANGE) return gate;
    }
    const snap = leader.snapshot();
    const tiered = await this.port.fetch(partition, { offset: request.offset, maxBytes: request.maxBytes, maxOffset: snap.highWatermark });
    switch (tiered.kind) {
      case 'records':
        this.remember(this.notHotBelow, key, request.offset + 1n > (below ?? 0n) ? request.offset + 1n : (below ?? 0n));
        this.noteTieredStart(partition, tiered.tieredStart);
        return { ok: true, value: { records: tiered.records, highWatermark: snap.highWatermark, logStartOffset: tiered.tieredStart, nextOffset: tiered.nextOffset } };
      case 'out_of_range':
        this.noteTieredStart(partition, tiered.tieredStart);
        // Below the tiered start is below the log start: the client resets (Kafka semantics).
        if (request.offset < tiered.tieredStart) {
          return { ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE, message: `offset ${request.offset} is below the log start ${tiered.tieredStart}` } };
        }
        return hot ?? { ok: false, error: { code: ErrorCode.KAFKA_STORAGE_ERROR, message: `offset ${request.offset} is in neither tier yet` } };
      case 'none':
        this.notHotBelow.delete(key);
        return hot ?? (await leader.fetch(request));
      case 'unavailable':
        // Retriable (KAFKA_STORAGE_ERROR is retriable for clients): the consumer backs off and retries.
        return { ok: false, error: { code: ErrorCode.KAFKA_STORAGE_ERROR, message: `tiered storage unavailable: ${tiered.message}` } };
    }
  }

  /**
   * Whether a failed hot read may be served by the tier: the replicas no longer hold the offset
   * (the leader found no replica for it), or the leader's own log start is above it (a leader
   * that recovered after local retention). An offset at or past the log end never is.
   */
  private mayBeTiered(leader: PartitionLeader, offset: bigint, error: PartitionError): boolean {
    const snap = leader.snapshot();
    if (offset >= snap.highWatermark) return false;
    if (error.code === ErrorCode.KAFKA_STORAGE_ERROR) return true;
    return error.code === ErrorCode.OFFSET_OUT_OF_RANGE && offset < snap.logStart;
  }

  private remember(map: Map<PartitionKey, bigint>, key: PartitionKey, value: bigint): void {
    if (map.size >= MAX_REMEMBERED && !map.has(key)) map.clear();
    map.set(key, value);
  }
}
