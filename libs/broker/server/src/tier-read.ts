// Reads below the hot tier (KIP-405 "remote fetch"): when the replicas no longer hold an offset
// because local retention dropped the segment after it was uploaded, the same batches are served
// from tiered storage. The hot tier is always asked first — it is faster and the tiers overlap
// while local retention lags the upload — except below an offset the hot tier is known not to
// hold (the leader's first hot offset at recovery, or one seen missing since): local deletion
// only ever removes a prefix, so that knowledge stays true. Deleted records (DeleteRecords,
// KIP-107) are refused from the leader's own start, which the replicas persist (no broker memory).
import type { FetchRequest, FetchSuccess, LeaderSnapshot, Outcome, PartitionError, PartitionLeader } from '@stratus/broker-partition';
import type { commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { TierTrims, type TierTrimPort, type TierTrimsOptions } from './tier-trim';
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
export interface TierPort extends TierTrimPort {
  fetch(partition: commonV1.PartitionRef, request: { readonly offset: bigint; readonly maxBytes: number; readonly maxOffset: bigint }): Promise<TierFetchOutcome>;
  offsetForTimestamp(partition: commonV1.PartitionRef, timestampMs: bigint): Promise<TierTimestampOutcome>;
}

/** Bound on remembered partitions; forgetting one only costs a hot read attempt or a tier probe. */
const MAX_REMEMBERED = 100_000;
/** While the tiered start of a partition is unknown, ask the tier for it at most this often. */
const PROBE_INTERVAL_MS = 60_000;

export interface TierReadPathOptions {
  readonly log?: TierTrimsOptions['log'];
  /** Retry settings of trims after DeleteRecords (tier-trim.ts). */
  readonly trims?: Omit<TierTrimsOptions, 'port' | 'log'>;
  readonly now?: () => number;
}

/**
 * The leader's two starts (LeaderSnapshot): the durable start over both tiers and the first hot
 * offset. A PartitionLeader has both as getters, so a hot path passes the leader without a snapshot.
 */
export type LeaderStarts = Pick<LeaderSnapshot, 'logStart' | 'localLogStart'>;

/** What the read path remembers of one partition. */
interface TierState {
  /** Offsets below this were seen missing from the hot tier (local retention only removes a prefix). */
  notHotBelow?: bigint;
  /** The tiered log start last seen. */
  tieredStart?: bigint;
  /** When the tiered start was last asked for while unknown. */
  probedAt?: number;
}

/**
 * The log start clients see (KIP-405: it covers both tiers), from the leader's durable start L,
 * its first hot offset H and the tier's first offset T: max(L, min(T, H)). The durable start alone
 * is not enough: tiered-storage retention deletes objects without moving the replicas' logical
 * start, so below T nothing may be left, and EARLIEST must never point there (a consumer with
 * auto.offset.reset=earliest would loop on OFFSET_OUT_OF_RANGE). T unknown counts as H.
 */
export function logStartAcrossTiers(leader: LeaderStarts, tieredStart: bigint | undefined): bigint {
  const hot = leader.localLogStart > leader.logStart ? leader.localLogStart : leader.logStart;
  const lowest = tieredStart !== undefined && tieredStart < hot ? tieredStart : hot;
  return lowest > leader.logStart ? lowest : leader.logStart;
}

export class TierReadPath {
  private readonly partitions = new Map<PartitionKey, TierState>();
  readonly trims: TierTrims;

  constructor(
    readonly port: TierPort,
    private readonly options: TierReadPathOptions = {},
  ) {
    this.trims = new TierTrims({ port, ...(options.log ? { log: options.log } : {}), ...options.trims });
  }

  /** The log start clients should see for a partition this leader serves (logStartAcrossTiers). */
  logStartFor(partition: commonV1.PartitionRef, leader: LeaderStarts): bigint {
    return logStartAcrossTiers(leader, this.partitions.get(partitionKeyOf(partition))?.tieredStart);
  }

  noteTieredStart(partition: commonV1.PartitionRef, start: bigint): void {
    this.state(partitionKeyOf(partition)).tieredStart = start;
  }

  /**
   * DeleteRecords moved the log start to `offset` on the replicas (KIP-107): the leader refuses
   * everything below it from now on (its own start is the durable one), and the tier is told to
   * delete what lies wholly below it.
   */
  recordsDeleted(partition: commonV1.PartitionRef, offset: bigint): void {
    this.trims.request(partition, offset);
  }

  /**
   * A leadership was recovered with `logStart`, the highest durable start of its replica quorum.
   * A TrimPartition sent before the previous leader stopped may never have reached tiered storage
   * (or tiered storage restarted and forgot it): when the tier still starts below, the trim is
   * sent again. Trims are idempotent, so one that did land costs one call.
   */
  async leaderStarted(partition: commonV1.PartitionRef, logStart: bigint): Promise<void> {
    if (logStart <= 0n) return;
    const tiered = await this.tieredStartOf(partition);
    if (tiered !== undefined && tiered < logStart) this.trims.request(partition, logStart);
  }

  /** Learns the tiered start of a partition (one tier call); undefined when the tier holds nothing or is unreachable. */
  async tieredStartOf(partition: commonV1.PartitionRef): Promise<bigint | undefined> {
    const r = await this.port.fetch(partition, { offset: 0n, maxBytes: 1, maxOffset: 0n });
    if (r.kind !== 'records' && r.kind !== 'out_of_range') return undefined;
    this.noteTieredStart(partition, r.tieredStart);
    return r.tieredStart;
  }

  close(): void {
    this.trims.close();
  }

  async fetch(leader: PartitionLeader, partition: commonV1.PartitionRef, request: FetchRequest): Promise<Outcome<FetchSuccess, PartitionError>> {
    const key = partitionKeyOf(partition);
    const known = this.partitions.get(key)?.notHotBelow;
    const starts = leader.snapshot();
    // Below the first hot offset of the recovery, or below one seen missing since: straight to the tier.
    const below = known !== undefined && known > starts.localLogStart ? known : starts.localLogStart;
    let hot: Outcome<FetchSuccess, PartitionError> | undefined;
    if (request.offset >= below) {
      hot = await leader.fetch(request);
      if (hot.ok) {
        this.probeTieredStart(partition, key);
        return { ok: true, value: { ...hot.value, logStartOffset: this.logStartFor(partition, leader.snapshot()) } };
      }
      if (!this.mayBeTiered(leader, request.offset, hot.error)) return hot;
    } else {
      // Fencing and leadership still come from the leader, even for a tiered read.
      const gate = await leader.fetch({ ...request, offset: leader.snapshot().highWatermark, maxBytes: 0 });
      if (!gate.ok && gate.error.code !== ErrorCode.OFFSET_OUT_OF_RANGE) return gate;
      // Deleted records (KIP-107): the leader's start is the durable one the replicas persisted,
      // so this holds after any restart, even while the tier still holds them (a trim pending,
      // or the object straddling the start).
      const snap = leader.snapshot();
      if (request.offset < snap.logStart) {
        return { ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE, message: `offset ${request.offset} is below the log start ${snap.logStart} (deleted records)` } };
      }
    }
    const snap = leader.snapshot();
    const tiered = await this.port.fetch(partition, { offset: request.offset, maxBytes: request.maxBytes, maxOffset: snap.highWatermark });
    switch (tiered.kind) {
      case 'records': {
        const state = this.state(key);
        if (state.notHotBelow === undefined || request.offset + 1n > state.notHotBelow) state.notHotBelow = request.offset + 1n;
        state.tieredStart = tiered.tieredStart;
        return { ok: true, value: { records: tiered.records, highWatermark: snap.highWatermark, logStartOffset: this.logStartFor(partition, snap), nextOffset: tiered.nextOffset } };
      }
      case 'out_of_range':
        this.noteTieredStart(partition, tiered.tieredStart);
        // Below the tiered start is below the log start (tiered retention deleted it): the client resets.
        if (request.offset < tiered.tieredStart) {
          return { ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE, message: `offset ${request.offset} is below the log start ${this.logStartFor(partition, snap)}` } };
        }
        return hot ?? { ok: false, error: { code: ErrorCode.KAFKA_STORAGE_ERROR, message: `offset ${request.offset} is in neither tier yet` } };
      case 'none': {
        const state = this.partitions.get(key);
        if (state) delete state.notHotBelow;
        return hot ?? (await leader.fetch(request));
      }
      case 'unavailable':
        // Retriable (KAFKA_STORAGE_ERROR is retriable for clients): the consumer backs off and retries.
        return { ok: false, error: { code: ErrorCode.KAFKA_STORAGE_ERROR, message: `tiered storage unavailable: ${tiered.message}` } };
    }
  }

  /**
   * Whether a failed hot read may be served by the tier: no replica held the offset (local
   * retention dropped it after the upload). Below the leader's start it is deleted (OFFSET_OUT_OF_RANGE
   * stands), and an offset at or past the high watermark never is.
   */
  private mayBeTiered(leader: PartitionLeader, offset: bigint, error: PartitionError): boolean {
    return offset < leader.snapshot().highWatermark && error.code === ErrorCode.KAFKA_STORAGE_ERROR;
  }

  /**
   * Until the tier has been asked once, the log start is the hot one (logStartAcrossTiers). Ask in
   * the background (never delaying the hot read), at most once a minute per partition while unknown.
   */
  private probeTieredStart(partition: commonV1.PartitionRef, key: PartitionKey): void {
    const state = this.state(key);
    if (state.tieredStart !== undefined) return;
    const now = (this.options.now ?? Date.now)();
    if (state.probedAt !== undefined && now - state.probedAt < PROBE_INTERVAL_MS) return;
    state.probedAt = now;
    this.tieredStartOf(partition).catch((err: unknown) => this.options.log?.debug({ err, partition: key }, 'tiered start probe failed'));
  }

  private state(key: PartitionKey): TierState {
    let state = this.partitions.get(key);
    if (!state) {
      if (this.partitions.size >= MAX_REMEMBERED) this.partitions.clear();
      state = {};
      this.partitions.set(key, state);
    }
    return state;
  }
}
