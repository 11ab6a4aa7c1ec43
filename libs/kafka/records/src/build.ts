import { sizeOfVarint, sizeOfVarlong, Writer } from '@stratus/kafka-protocol';
import { compressRecords } from './codecs';
import { Compression, type CompressionName, type TimestampType } from './compression-type';
import { writeBatchCrc } from './crc';
import {
  BATCH_HEADER_SIZE,
  CONTROL_BIT,
  CURRENT_MAGIC,
  LOG_OVERHEAD,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  TIMESTAMP_TYPE_BIT,
  TRANSACTIONAL_BIT,
} from './layout';

type Bytes = Buffer | string;

export interface BuildRecord {
  readonly key?: Bytes | null;
  readonly value?: Bytes | null;
  readonly headers?: readonly { readonly key: string; readonly value: Bytes | null }[];
  /** Absolute timestamp in ms; defaults to the batch's baseTimestamp. */
  readonly timestamp?: bigint;
  /** Defaults to the record's index (compacted batches may have gaps). */
  readonly offsetDelta?: number;
}

export interface BuildBatchOptions {
  readonly records: readonly BuildRecord[];
  readonly compression?: CompressionName;
  readonly baseOffset?: bigint;
  readonly partitionLeaderEpoch?: number;
  /** Defaults to the first record's timestamp, else the current time. */
  readonly baseTimestamp?: bigint;
  readonly timestampType?: TimestampType;
  readonly producerId?: bigint;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly isTransactional?: boolean;
  readonly isControl?: boolean;
}

interface EncodedRecord {
  readonly bodySize: number;
  readonly attributes: number;
  readonly timestampDelta: bigint;
  readonly offsetDelta: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { key: Buffer; value: Buffer | null }[];
}

const toBuf = (b: Bytes | null | undefined): Buffer | null =>
  b === null || b === undefined ? null : typeof b === 'string' ? Buffer.from(b, 'utf8') : b;

const sizeOfVarBytes = (b: Buffer | null): number => (b === null ? 1 : sizeOfVarint(b.length) + b.length);

/**
 * Encodes a magic-2 batch: records are sized first, written into one exact buffer, compressed if asked,
 * and the header and CRC-32C are filled last. For tools and tests (and coordinators writing control
 * batches); producers' batches reach the broker already encoded.
 */
export function buildBatch(options: BuildBatchOptions): Buffer {
  const { records } = options;
  const baseTimestamp = options.baseTimestamp ?? records[0]?.timestamp ?? BigInt(Date.now());
  const encoded = records.map((r, i) => prepare(r, i, baseTimestamp));
  const plain = Writer.alloc(encoded.reduce((n, r) => n + sizeOfVarint(r.bodySize) + r.bodySize, 0));
  for (const r of encoded) writeRecord(plain, r);
  const compression = Compression[options.compression ?? 'none'];
  const payload = compressRecords(compression, plain.finish());

  const maxTimestamp = records.reduce<bigint>(
    (max, r) => ((r.timestamp ?? baseTimestamp) > max ? (r.timestamp ?? baseTimestamp) : max),
    records.length === 0 ? -1n : baseTimestamp,
  );
  const lastOffsetDelta = encoded.length === 0 ? -1 : (encoded[encoded.length - 1] as EncodedRecord).offsetDelta;
  let attributes = compression;
  if (options.timestampType === 'log-append-time') attributes |= TIMESTAMP_TYPE_BIT;
  if (options.isTransactional) attributes |= TRANSACTIONAL_BIT;
  if (options.isControl) attributes |= CONTROL_BIT;

  const w = Writer.alloc(BATCH_HEADER_SIZE + payload.length);
  w.writeInt64(options.baseOffset ?? 0n);
  w.writeInt32(BATCH_HEADER_SIZE + payload.length - LOG_OVERHEAD);
  w.writeInt32(options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH);
  w.writeInt8(CURRENT_MAGIC);
  w.writeUInt32(0); // CRC, filled below once the rest is in place
  w.writeInt16(attributes);
  w.writeInt32(lastOffsetDelta);
  w.writeInt64(baseTimestamp);
  w.writeInt64(maxTimestamp);
  w.writeInt64(options.producerId ?? NO_PRODUCER_ID);
  w.writeInt16(options.producerEpoch ?? NO_PRODUCER_EPOCH);
  w.writeInt32(options.baseSequence ?? NO_SEQUENCE);
  w.writeInt32(records.length);
  w.writeRaw(payload);
  const batch = w.finish();
  writeBatchCrc(batch);
  return batch;
}

function prepare(r: BuildRecord, index: number, baseTimestamp: bigint): EncodedRecord {
  const key = toBuf(r.key);
  const value = toBuf(r.value);
  const headers = (r.headers ?? []).map((h) => ({ key: Buffer.from(h.key, 'utf8'), value: toBuf(h.value) }));
  const timestampDelta = (r.timestamp ?? baseTimestamp) - baseTimestamp;
  const offsetDelta = r.offsetDelta ?? index;
  const bodySize =
    1 + // attributes
    sizeOfVarlong(timestampDelta) +
    sizeOfVarint(offsetDelta) +
    sizeOfVarBytes(key) +
    sizeOfVarBytes(value) +
    sizeOfVarint(headers.length) +
    headers.reduce((n, h) => n + sizeOfVarBytes(h.key) + sizeOfVarBytes(h.value), 0);
  return { bodySize, attributes: 0, timestampDelta, offsetDelta, key, value, headers };
}

function writeVarBytes(w: Writer, b: Buffer | null): void {
  if (b === null) {
    w.writeVarint(-1);
    return;
  }
  w.writeVarint(b.length);
  w.writeRaw(b);
}

function writeRecord(w: Writer, r: EncodedRecord): void {
  w.writeVarint(r.bodySize);
  w.writeInt8(r.attributes);
  w.writeVarlong(r.timestampDelta);
  w.writeVarint(r.offsetDelta);
  writeVarBytes(w, r.key);
  writeVarBytes(w, r.value);
  w.writeVarint(r.headers.length);
  for (const h of r.headers) {
    writeVarBytes(w, h.key);
    writeVarBytes(w, h.value);
  }
}
