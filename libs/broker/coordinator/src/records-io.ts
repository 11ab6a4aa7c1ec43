// Group records ↔ offsets-topic batches. One coordinator call's records go into one batch, so a
// group change (e.g. a generation and its members' assignments) is all-or-nothing in the log.
import type { GroupRecord } from '@stratus/broker-groups';
import { buildBatch, iterateRecords, peekBatchHeader, splitBatches } from '@stratus/kafka-records';
import type { OffsetsLog, OffsetsLogError } from './offsets-log';

export function batchOf(records: readonly GroupRecord[], nowMs: number): Buffer {
  return buildBatch({
    baseTimestamp: BigInt(nowMs),
    records: records.map((r) => ({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) })),
  });
}

/** Bytes per read while replaying; a batch larger than this is still returned whole. */
const REPLAY_READ_BYTES = 1 << 20;

/**
 * Every group record of the partition from its start up to the high watermark seen when loading
 * began, oldest first. Control batches (transaction markers) carry no group state and are skipped.
 */
export async function readAllRecords(log: OffsetsLog): Promise<{ ok: true; records: GroupRecord[]; endOffset: bigint } | { ok: false; error: OffsetsLogError }> {
  const end = log.highWatermark();
  const records: GroupRecord[] = [];
  let at = log.startOffset();
  while (at < end) {
    const r = await log.read(at, REPLAY_READ_BYTES);
    if (!r.ok) return r;
    if (r.value.nextOffset <= at) break;
    const split = splitBatches(r.value.records);
    if (!split.ok) return { ok: false, error: { code: split.error.code, message: `offsets partition: ${split.error.message}` } };
    for (const batch of split.value.batches) {
      const header = peekBatchHeader(batch);
      if (!header.ok) return { ok: false, error: { code: header.error.code, message: `offsets partition: ${header.error.message}` } };
      if (header.value.isControl) continue;
      for (const rec of iterateRecords(batch)) {
        if (rec.key === null) continue;
        records.push({ key: rec.key, value: rec.value });
      }
    }
    at = r.value.nextOffset;
  }
  return { ok: true, records, endOffset: at };
}
