// Checks a Produce request's records for one partition without decompressing anything: framing,
// header, CRC-32C, max.message.bytes (via @stratus/kafka-records) and timestamps. Kafka's
// LogValidator decides the same questions; the error codes are the ones its clients expect.
import { ErrorCode } from '@stratus/kafka-errors';
import { splitBatches, validateBatch, type BatchHeaderView } from '@stratus/kafka-records';

export interface TimestampPolicy {
  /** message.timestamp.type: LogAppendTime replaces producer timestamps, so nothing is checked. */
  readonly type: 'CreateTime' | 'LogAppendTime';
  /** message.timestamp.before.max.ms (KIP-937): how far in the past a timestamp may lie. */
  readonly beforeMaxMs?: bigint;
  /** message.timestamp.after.max.ms (KIP-937): how far in the future. */
  readonly afterMaxMs?: bigint;
}

export interface ProduceValidationOptions {
  /** max.message.bytes: the largest batch accepted. */
  readonly maxMessageBytes: number;
  readonly timestamps: TimestampPolicy;
  readonly nowMs: bigint;
}

export interface ProduceRejection {
  readonly code: ErrorCode;
  readonly message: string;
  /** Which batch of the request was at fault (Produce v8+ record_errors, KIP-467). */
  readonly batchIndex?: number;
}

/** The batches, validated, in order; or the one error the whole partition is answered with. */
export function validateProduceRecords(records: Buffer, options: ProduceValidationOptions): BatchHeaderView[] | ProduceRejection {
  const split = splitBatches(records);
  if (!split.ok) return { code: split.error.code, message: split.error.message };
  if (split.value.partial) return { code: ErrorCode.CORRUPT_MESSAGE, message: `produce records end in a partial batch at byte ${split.value.partial.offset}` };
  if (split.value.batches.length === 0) return { code: ErrorCode.CORRUPT_MESSAGE, message: 'produce request carries no record batch' };
  const out: BatchHeaderView[] = [];
  for (const [batchIndex, batch] of split.value.batches.entries()) {
    const checked = validateBatch(batch, { origin: 'producer', maxBatchBytes: options.maxMessageBytes });
    if (!checked.ok) return { code: checked.error.code, message: checked.error.message, batchIndex };
    const header = checked.value;
    if (header.isTransactional) {
      // Transactions need the coordinator's markers and LSO tracking, which this leader does not do yet.
      return { code: ErrorCode.INVALID_RECORD, message: 'transactional batches are not supported yet', batchIndex };
    }
    const problem = checkTimestamps(header, options);
    if (problem) return { ...problem, batchIndex };
    out.push(header);
  }
  return out;
}

/**
 * CreateTime topics bound timestamps around the broker clock. Only the header's first and max
 * timestamps are looked at: records in between lie between them for any client that stamps in
 * order, and checking each record would mean decompressing.
 */
function checkTimestamps(header: BatchHeaderView, options: ProduceValidationOptions): ProduceRejection | undefined {
  const policy = options.timestamps;
  if (policy.type !== 'CreateTime') return undefined;
  const low = policy.beforeMaxMs === undefined ? undefined : options.nowMs - policy.beforeMaxMs;
  const high = policy.afterMaxMs === undefined ? undefined : options.nowMs + policy.afterMaxMs;
  for (const ts of [header.baseTimestamp, header.maxTimestamp]) {
    if ((low !== undefined && ts < low) || (high !== undefined && ts > high)) {
      return { code: ErrorCode.INVALID_TIMESTAMP, message: `timestamp ${ts} lies outside [${low ?? '-inf'}, ${high ?? '+inf'}] around broker time ${options.nowMs}` };
    }
  }
  return undefined;
}
