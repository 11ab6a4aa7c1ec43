// Reads below the hot tier (KIP-405 "remote fetch"): when the replicas no longer hold an offset
// because local retention dropped the segment after it was uploaded, the same batches are served
// from tiered storage. The hot tier is always asked first — it is faster and the tiers overlap
// while local retention lags the upload — except below an offset the hot tier has already been
// seen not to hold: local deletion only ever removes a prefix, so that knowledge stays true.
import type { FetchRequest, FetchSuccess, Outcome, PartitionError, PartitionLeader } from '@stratus/broker-partition';
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

/** Bound on remembered partitions; forgetting one only costs a hot read attempt. */
const MAX_REMEMBERED = 100_000;
/** While the tiered start of a partition is unknown, ask the tier for it at most this often. */
const PROBE_INTERVAL_MS = 60_000;

export interface TierReadPathOptions {
  readonly log?: TierTrimsOptions['log'];
  /** Retry settings of trims after DeleteRecords (tier-trim.ts). */
  readonly trims?: Omit<TierTrimsOptions, 'port' | 'log'>;
  readonly now?: () => number;
}

export class TierReadPath {
  /** Per partition: offsets below this are known to be gone from the hot tier. */
  private readonly notHotBelow = new Map<PartitionKey, bigint>();
  /** Per partition: the tiered log start last seen, reported as the log start (KIP-405). */
  private readonly tieredStart = new Map<PartitionKey, bigint>();
  /** Per partition: the highest log start DeleteRecords moved to through this broker. */
  private readonly deletedBelow = new Map<PartitionKey, bigint>();
  /** Per partition: when its tiered start was last asked for while unknown. */
  private readonly probedAt = new Map<PartitionKey, number>();
  readonly trims: TierTrims;

  constructor(
    readonly port: TierPort,
    private readonly options: TierReadPathOptions = {},
  ) {
    this.trims = new TierTrims({ port, ...(options.log ? { log: options.log } : {}), ...options.trims });
  }

  /**
   * The log start clients should see (KIP-405: the log start covers both tiers): the tiered start
   * when tiering holds older data than the hot tier, never below a log start DeleteRecords set.
   * A leader's own start is the hot start after it recovered on replicas that had dropped tiered
   * segments locally (a replica reports its first local offset then), so it is not trusted alone.
   */
  logStartFor(partition: commonV1.PartitionRef, hotLogStart: bigint): bigint {
    const key = partitionKeyOf(partition);
    const tiered = this.tieredStart.get(key);
    const start = tiered !== undefined && tiered < hotLogStart ? tiered : hotLogStart;
    const floor = this.deletedBelow.get(key);
    return floor !== undefined && floor > start ? floor : start;
  }

  /** `offset`, raised to the log start DeleteRecords set through this broker (tiered answers may predate its trim). */
  notBelowDeleted(partition: commonV1.PartitionRef, offset: bigint): bigint {
    const floor = this.deletedBelow.get(partitionKeyOf(partition));
    return floor !== undefined && floor > offset ? floor : offset;
  }

  noteTieredStart(partition: commonV1.PartitionRef, start: bigint): void {
    this.remember(this.tieredStart, partitionKeyOf(partition), start);
  }

  /**
   * DeleteRecords moved the log start to `offset` on the replicas (KIP-107): from now on nothing
   * below it is served from either tier, and the tier is told to delete what lies wholly below it.
   */
  recordsDeleted(partition: commonV1.PartitionRef, offset: bigint): void {
    const key = partitionKeyOf(partition);
    const floor = this.deletedBelow.get(key);
    if (floor === undefined || offset > floor) this.remember(this.deletedBelow, key, offset);
    this.trims.request(partition, offset);
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
    const below = this.notHotBelow.get(key);
    const floor = this.deletedBelow.get(key);
    let hot: Outcome<FetchSuccess, PartitionError> | undefined;
    if (floor !== undefined && request.offset < floor) {
      // Deleted records (KIP-107): refused in both tiers, after the leader's own checks (fencing,
      // leadership), even while the tier still holds them (a trim pending or a straddling segment).
      const gate = await leader.fetch(request);
      if (gate.ok || gate.error.code !== ErrorCode.OFFSET_OUT_OF_RANGE) return gate;
      return { ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE, message: `offset ${request.offset} is below the log start ${floor}` } };
    }
    if (below === undefined || request.offset >= below) {
      hot = await leader.fetch(request);
      if (hot.ok) {
        this.probeTieredStart(partition, key);
        return { ok: true, value: { ...hot.value, logStartOffset: this.logStartFor(partition, hot.value.logStartOffset) } };
      }
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
        return { ok: true, value: { records: tiered.records, highWatermark: snap.highWatermark, logStartOffset: this.logStartFor(partition, tiered.tieredStart), nextOffset: tiered.nextOffset } };
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

  /**
   * A leader that recovered after local retention reports its first local offset as the log start;
   * until the tier has been asked once, hot reads would carry that. Ask in the background (never
   * delaying the hot read), at most once a minute per partition while the answer is unknown.
   */
  private probeTieredStart(partition: commonV1.PartitionRef, key: PartitionKey): void {
    if (this.tieredStart.has(key)) return;
    const now = (this.options.now ?? Date.now)();
    const last = this.probedAt.get(key);
    if (last !== undefined && now - last < PROBE_INTERVAL_MS) return;
    if (this.probedAt.size >= MAX_REMEMBERED && last === undefined) this.probedAt.clear();
    this.probedAt.set(key, now);
    this.tieredStartOf(partition).catch((err: unknown) => this.options.log?.debug({ err, partition: key }, 'tiered start probe failed'));
  }

  private remember(map: Map<PartitionKey, bigint>, key: PartitionKey, value: bigint): void {
    if (map.size >= MAX_REMEMBERED && !map.has(key)) map.clear();
    map.set(key, value);
  }
}
