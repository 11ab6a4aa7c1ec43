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

  /** Records a batch found in the log (rebuilding after recovery): no checks, the log is the truth. */
  replay(batch: ProducedBatch, baseOffset: bigint, lastOffset: bigint): void {
    if (batch.producerId < 0n) return;
    this.entries.set(batch.producerId, next(this.entries.get(batch.producerId), batch, baseOffset, lastOffset));
  }
}

export class StagedProducerState {
  private readonly overlay = new Map<bigint, ProducerEntry>();

  constructor(private readonly base: ReadonlyMap<bigint, ProducerEntry>) {}

  get(pid: bigint): ProducerEntry | undefined {
    return this.overlay.get(pid) ?? this.base.get(pid);
  }

  record(batch: ProducedBatch, baseOffset: bigint, lastOffset: bigint): void {
    if (batch.producerId < 0n) return;
    this.overlay.set(batch.producerId, next(this.get(batch.producerId), batch, baseOffset, lastOffset));
  }

  changes(): IterableIterator<[bigint, ProducerEntry]> {
    return this.overlay.entries();
  }
}

function next(entry: ProducerEntry | undefined, batch: ProducedBatch, baseOffset: bigint, lastOffset: bigint): ProducerEntry {
  const meta: BatchMeta = { firstSeq: batch.baseSequence, lastSeq: lastSequenceOf(batch.baseSequence, batch.lastOffsetDelta), baseOffset, lastOffset };
  // A new epoch forgets the old epoch's batches: their sequences no longer mean anything.
  const kept = entry && entry.epoch === batch.producerEpoch ? entry.batches : [];
  const batches = [...kept, meta];
  return { epoch: batch.producerEpoch, batches: batches.length > RETAINED_BATCHES ? batches.slice(-RETAINED_BATCHES) : batches };
}

function reject(code: ErrorCode, message: string): SequenceDecision {
  return { kind: 'reject', code, message };
}
