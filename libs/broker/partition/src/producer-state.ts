// Idempotent-producer state of one partition (KIP-98): per producer id, its epoch and the last
// five batches it wrote, enough to recognise a retried batch (answered with its original offsets)
// and to refuse a gap (OUT_OF_ORDER_SEQUENCE_NUMBER) or a zombie (INVALID_PRODUCER_EPOCH).
// The state is soft: a new leader rebuilds it from the log tail (design note, recovery step 5).
import { ErrorCode } from '@stratus/kafka-errors';

/** Kafka keeps the last five batches per producer: max.in.flight.requests.per.connection <= 5. */
export const RETAINED_BATCHES = 5;
const INT32_MAX = 2 ** 31 - 1;

export interface ProducedBatch {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  /** lastOffset - baseOffset of the batch. */
  readonly lastOffsetDelta: number;
  /** The batch's max timestamp as written to the log (the append time under LogAppendTime). */
  readonly maxTimestamp: bigint;
}

/**
 * One producer as DescribeProducers (KIP-664) shows it. Stratus has no transactional batches yet,
 * so there is never an open transaction (-1) and no coordinator epoch from a marker (-1).
 */
export interface ProducerSummary {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly lastSequence: number;
  readonly lastTimestamp: bigint;
  readonly coordinatorEpoch: number;
  readonly currentTxnStartOffset: bigint;
}

/** Where a batch landed, and (under LogAppendTime) the time the leader stamped on it. */
export interface BatchPlacement {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  /** Overrides the batch's own max timestamp: the leader rewrites it under LogAppendTime (KIP-32). */
  readonly logAppendTimeMs?: bigint;
}

interface BatchMeta {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
}

interface ProducerEntry {
  readonly epoch: number;
  readonly batches: readonly BatchMeta[];
  /** Max timestamp of the producer's last batch (Kafka's ProducerStateEntry lastTimestamp). */
  readonly lastTimestamp: bigint;
}

export type SequenceDecision =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: bigint; readonly lastOffset: bigint }
  | { readonly kind: 'reject'; readonly code: ErrorCode; readonly message: string };

/** Sequences wrap at int32 max back to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
export function lastSequenceOf(baseSequence: number, delta: number): number {
  return baseSequence > INT32_MAX - delta ? baseSequence - (INT32_MAX - delta) - 1 : baseSequence + delta;
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

export class ProducerStateTable {
  private readonly entries = new Map<bigint, ProducerEntry>();

  /** Producers with state (for metrics and tests). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Decides what to do with a batch, given the batches of the same request already staged in
   * `staged` (a request may carry several batches of one producer). Changes nothing.
   */
  check(batch: ProducedBatch, staged?: StagedProducerState): SequenceDecision {
    if (batch.producerId < 0n) return { kind: 'append' };
    const entry = staged?.get(batch.producerId) ?? this.entries.get(batch.producerId);
    const firstSeq = batch.baseSequence;
    const lastSeq = lastSequenceOf(firstSeq, batch.lastOffsetDelta);
    if (!entry) {
      // Unknown producer: its earlier batches may have been removed by retention, so Kafka accepts
      // any sequence and starts tracking here.
      return { kind: 'append' };
    }
    if (batch.producerEpoch < entry.epoch) {
      return reject(ErrorCode.INVALID_PRODUCER_EPOCH, `producer ${batch.producerId} epoch ${batch.producerEpoch} is older than ${entry.epoch}`);
    }
    if (batch.producerEpoch > entry.epoch) {
      // A bumped epoch starts its sequences again at 0 (KIP-360).
      return firstSeq === 0
        ? { kind: 'append' }
        : reject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, `producer ${batch.producerId} new epoch ${batch.producerEpoch} must start at sequence 0, got ${firstSeq}`);
    }
    const dup = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
    if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset, lastOffset: dup.lastOffset };
    const last = entry.batches[entry.batches.length - 1];
    if (last && !inSequence(last.lastSeq, firstSeq)) {
      return reject(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `producer ${batch.producerId} epoch ${batch.producerEpoch}: sequence ${firstSeq} does not follow ${last.lastSeq}`,
      );
    }
    return { kind: 'append' };
  }

  /** A scratch overlay for checking the batches of one request before any is appended. */
  stage(): StagedProducerState {
    return new StagedProducerState(this.entries);
  }

  /** Makes a staged overlay the state (after the request's batches were appended). */
  commit(staged: StagedProducerState): void {
    for (const [pid, entry] of staged.changes()) this.entries.set(pid, entry);
  }

  /** Takes over the state rebuilt in another table (after recovery). */
  adopt(other: ProducerStateTable): void {
    this.entries.clear();
    for (const [pid, entry] of other.entries) this.entries.set(pid, entry);
  }

  /**
   * Records a batch found in the log (rebuilding after recovery): no checks, the log is the truth.
   * The stored batch already carries the leader's append time, so its max timestamp is the one to keep.
   */
  replay(batch: ProducedBatch, baseOffset: bigint, lastOffset: bigint): void {
    if (batch.producerId < 0n) return;
    this.entries.set(batch.producerId, next(this.entries.get(batch.producerId), batch, { baseOffset, lastOffset }));
  }

  /** Every producer with state, ordered by id (DescribeProducers, KIP-664). */
  describe(): ProducerSummary[] {
    return [...this.entries]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([producerId, entry]) => ({
        producerId,
        producerEpoch: entry.epoch,
        lastSequence: entry.batches[entry.batches.length - 1]?.lastSeq ?? -1,
        lastTimestamp: entry.lastTimestamp,
        coordinatorEpoch: -1,
        currentTxnStartOffset: -1n,
      }));
  }
}

export class StagedProducerState {
  private readonly overlay = new Map<bigint, ProducerEntry>();

  constructor(private readonly base: ReadonlyMap<bigint, ProducerEntry>) {}

  get(pid: bigint): ProducerEntry | undefined {
    return this.overlay.get(pid) ?? this.base.get(pid);
  }

  record(batch: ProducedBatch, placement: BatchPlacement): void {
    if (batch.producerId < 0n) return;
    this.overlay.set(batch.producerId, next(this.get(batch.producerId), batch, placement));
  }

  changes(): IterableIterator<[bigint, ProducerEntry]> {
    return this.overlay.entries();
  }
}

function next(entry: ProducerEntry | undefined, batch: ProducedBatch, placement: BatchPlacement): ProducerEntry {
  const { baseOffset, lastOffset } = placement;
  const meta: BatchMeta = { firstSeq: batch.baseSequence, lastSeq: lastSequenceOf(batch.baseSequence, batch.lastOffsetDelta), baseOffset, lastOffset };
  const lastTimestamp = placement.logAppendTimeMs ?? batch.maxTimestamp;
  // A new epoch forgets the old epoch's batches: their sequences no longer mean anything.
  const kept = entry && entry.epoch === batch.producerEpoch ? entry.batches : [];
  const batches = [...kept, meta];
  return { epoch: batch.producerEpoch, batches: batches.length > RETAINED_BATCHES ? batches.slice(-RETAINED_BATCHES) : batches, lastTimestamp };
}

function reject(code: ErrorCode, message: string): SequenceDecision {
  return { kind: 'reject', code, message };
}
