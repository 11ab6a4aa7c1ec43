// The log starts DeleteRecords set (KIP-107), as this node learnt them through TrimPartition or
// from the replicas' durable start (GetLogState, once per retention round: hot-state.ts).
// Two uses:
//  - Reads: Fetch answers OFFSET_OUT_OF_RANGE below a trimmed start even where the object store
//    still holds the bytes — a segment straddling the start stays whole (as in Kafka), and the
//    broker that refused such reads itself may have failed over since.
//  - Reconciliation: every retention round re-applies the trim, so an entry that an upload pass
//    running during the trim added below the start (it read the segment before the replicas
//    deleted it), or a trim interrupted half way, is removed on the next round.
// The ledger lives in memory; the replicas persist the start, so after a restart of this node the
// first retention round of each partition learns it again (until then the broker, whose leader
// start is the durable one, is what refuses those reads), and a recovered broker leader re-sends
// its trim when the tier still starts below (tier-read.ts in the broker).
import type { TieredFetchRequest, TieredFetchResult } from '@stratus/tiered-reader';
import type { FetchPort } from './tiered-service';

/** Bound on remembered partitions; the oldest noted is forgotten first. */
const MAX_PARTITIONS = 100_000;

export type PartitionKeyString = string;

export class TrimLedger {
  private readonly starts = new Map<PartitionKeyString, bigint>();

  constructor(private readonly maxPartitions = MAX_PARTITIONS) {}

  /** Records a trim; a lower start than one already known changes nothing (log starts only grow). */
  note(key: PartitionKeyString, logStartOffset: bigint): void {
    const known = this.starts.get(key);
    if (known !== undefined && known >= logStartOffset) return;
    this.starts.delete(key);
    if (this.starts.size >= this.maxPartitions) {
      const oldest = this.starts.keys().next();
      if (!oldest.done) this.starts.delete(oldest.value);
    }
    this.starts.set(key, logStartOffset);
  }

  logStartOf(key: PartitionKeyString): bigint | undefined {
    return this.starts.get(key);
  }

  /** Topic deletion: the partition's data is gone, its start with it. */
  forget(key: PartitionKeyString): void {
    this.starts.delete(key);
  }
}

/**
 * A FetchPort that never serves below a trimmed log start and reports that start as the tiered
 * log start (the reader alone would report the straddling segment's base).
 */
export function respectingTrims(reader: FetchPort, ledger: TrimLedger, keyOf: (request: TieredFetchRequest) => PartitionKeyString): FetchPort {
  return {
    async fetch(request) {
      const floor = ledger.logStartOf(keyOf(request));
      if (floor === undefined) return reader.fetch(request);
      // Below the floor the answer is only needed for the tiered range; the records are dropped.
      const result = await reader.fetch(request);
      // Nothing tiered at all: stays "unknown partition", so the broker keeps its hot answer.
      if (!result.ok && result.logStartOffset === 0n && result.endOffset === 0n) return result;
      const logStartOffset = result.logStartOffset > floor ? result.logStartOffset : floor;
      // Everything tiered lies below the start: the tier holds nothing readable.
      const endOffset = result.endOffset > logStartOffset ? result.endOffset : logStartOffset;
      if (request.offset < floor) {
        return { ok: false, error: 'OFFSET_OUT_OF_RANGE', message: `offset ${request.offset} is below the log start ${floor} (DeleteRecords)`, logStartOffset, endOffset } satisfies TieredFetchResult;
      }
      return { ...result, logStartOffset, endOffset };
    },
  };
}

/**
 * Retention round: re-applies the partition's known trim (a no-op costing one manifest read when
 * nothing is left below it). Returns the segments it deleted.
 */
export async function reapplyTrim(key: PartitionKeyString, ledger: TrimLedger, trim: (logStartOffset: bigint) => Promise<{ readonly segmentsDeleted: number }>): Promise<number> {
  const floor = ledger.logStartOf(key);
  if (floor === undefined) return 0;
  return (await trim(floor)).segmentsDeleted;
}
