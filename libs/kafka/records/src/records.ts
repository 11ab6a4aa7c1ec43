import { ProtocolDecodeError, Reader } from '@stratus/kafka-protocol';
import { batchError, fail, ok, RecordBatchException, type BatchResult } from './batch-error';
import { decompressRecords, type DecompressOptions } from './codecs';
import type { CompressionId } from './compression-type';
import { RECORDS_OFFSET } from './layout';
import { validateBatch } from './validate';

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** One decoded record. Only for tools, tests and consumers: the broker never builds these. */
export interface KafkaRecord {
  /** baseOffset + offsetDelta. */
  readonly offset: bigint;
  /** baseTimestamp + timestampDelta, or the batch's maxTimestamp under LogAppendTime (KIP-32). */
  readonly timestamp: bigint;
  readonly offsetDelta: number;
  readonly timestampDelta: bigint;
  /** Record-level attributes (unused by Kafka so far, always 0 from well-behaved producers). */
  readonly attributes: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

export type IterateRecordsOptions = DecompressOptions;

/**
 * Decodes the records of one batch, decompressing when needed. The batch is validated first
 * (structure and CRC, as a log batch). Keys, values and header values are views into the batch (or
 * into the decompressed buffer).
 * @throws RecordBatchException with a typed error for anything malformed; nothing else on bad input.
 */
export function* iterateRecords(batch: Buffer, options: IterateRecordsOptions = {}): Generator<KafkaRecord> {
  const checked = validateBatch(batch, { origin: 'log' });
  if (!checked.ok) throw new RecordBatchException(checked.error);
  const header = checked.value;
  const data = decompressRecords(header.compressionId as CompressionId, batch.subarray(RECORDS_OFFSET), options);
  const baseOffset = header.baseOffset;
  const baseTimestamp = header.baseTimestamp;
  const logAppendTime = header.timestampType === 'log-append-time' ? header.maxTimestamp : undefined;
  const count = header.recordCount;
  const reader = new Reader(data);
  for (let i = 0; i < count; i++) {
    const record = readRecord(reader, i);
    yield {
      ...record,
      offset: baseOffset + BigInt(record.offsetDelta),
      timestamp: logAppendTime ?? baseTimestamp + record.timestampDelta,
    };
  }
  if (reader.remaining !== 0) {
    throw new RecordBatchException(batchError('corrupt_record', `${reader.remaining} bytes after ${count} records`));
  }
}

/** All records of a batch as a result value. */
export function readRecords(batch: Buffer, options: IterateRecordsOptions = {}): BatchResult<KafkaRecord[]> {
  try {
    return ok([...iterateRecords(batch, options)]);
  } catch (error) {
    if (error instanceof RecordBatchException) return fail(error.error);
    throw error;
  }
}

type RecordBody = Omit<KafkaRecord, 'offset' | 'timestamp'>;

function readRecord(reader: Reader, index: number): RecordBody {
  try {
    const length = reader.readVarint();
    if (length < 0 || length > reader.remaining) corrupt(index, `record length ${length}, ${reader.remaining} bytes left`);
    const end = reader.offset + length;
    const body = new Reader(reader.buf, reader.offset, end);
    const attributes = body.readInt8();
    const timestampDelta = body.readVarlong();
    const offsetDelta = body.readVarint();
    const key = readVarBytes(body, index, 'key');
    const value = readVarBytes(body, index, 'value');
    const headerCount = body.readVarint();
    // Each header needs at least two bytes (two length varints): bound the count before allocating.
    if (headerCount < 0 || headerCount * 2 > body.remaining) corrupt(index, `header count ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const keyBytes = readVarBytes(body, index, 'header key');
      if (keyBytes === null) corrupt(index, 'null header key');
      headers.push({ key: keyBytes.toString('utf8'), value: readVarBytes(body, index, 'header value') });
    }
    if (body.remaining !== 0) corrupt(index, `${body.remaining} bytes left inside the record`);
    reader.offset = end;
    return { attributes, timestampDelta, offsetDelta, key, value, headers };
  } catch (error) {
    if (error instanceof ProtocolDecodeError) corrupt(index, error.message);
    throw error;
  }
}

function readVarBytes(reader: Reader, index: number, what: string): Buffer | null {
  const len = reader.readVarint();
  if (len === -1) return null;
  if (len < -1) corrupt(index, `${what} length ${len}`);
  return reader.readRaw(len);
}

function corrupt(index: number, detail: string): never {
  throw new RecordBatchException(batchError('corrupt_record', `record ${index}: ${detail}`));
}
