// The fetch half of bench-router-overhead (issue 8: "produce and fetch throughput through router →
// broker → replication versus the broker alone"). Lanes read the benchmark topic's partitions
// from offset 0 to the high watermark and wrap around, so both paths read the same bytes, from the
// same places (the leader's tail cache for recent batches, the replicas below it).
import { splitBatches } from '@stratus/kafka-records';

export interface ReadResult {
  /** Record bytes returned. */
  readonly bytes: number;
  /** The offset after the last whole batch returned (the next fetch offset). */
  readonly next: bigint;
  readonly highWatermark: bigint;
}

/** One fetch of `partition` at `offset`; undefined when it failed (the caller counts errors). */
export type Read = (partition: number, offset: bigint, lane: number) => Promise<ReadResult | undefined>;

/** Kafka record batch v2: baseOffset int64 at 0, lastOffsetDelta int32 at 23. */
const LAST_OFFSET_DELTA_AT = 23;

/** The offset after the last whole batch in `records`, or `offset` when there is none. */
export function nextOffsetAfter(records: Buffer | null | undefined, offset: bigint): bigint {
  if (!records || records.length === 0) return offset;
  const split = splitBatches(records);
  if (!split.ok) return offset;
  const last = split.value.batches.at(-1);
  if (!last) return offset;
  return last.readBigInt64BE(0) + BigInt(last.readInt32BE(LAST_OFFSET_DELTA_AT)) + 1n;
}

/** Keeps `lanes` reads in flight for `seconds`; MB/s of record bytes read. */
export async function driveReads(read: Read, options: { readonly partitions: number; readonly lanes: number; readonly seconds: number }): Promise<{ mbps: number; errors: number }> {
  const end = Date.now() + options.seconds * 1000;
  let bytes = 0;
  let errors = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: options.lanes }, async (_, lane) => {
      const partition = lane % options.partitions;
      let offset = 0n;
      while (Date.now() < end) {
        const result = await read(partition, offset, lane);
        if (!result) {
          errors += 1;
          offset = 0n;
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        bytes += result.bytes;
        // At the high watermark (or nothing whole returned) start over from the beginning.
        offset = result.bytes === 0 || result.next >= result.highWatermark || result.next <= offset ? 0n : result.next;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  return { mbps: bytes / (1024 * 1024) / elapsed, errors };
}
