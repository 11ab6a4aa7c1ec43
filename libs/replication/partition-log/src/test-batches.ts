// Test support (not exported): builds RecordBatch v2 bytes with a correct CRC32C whose records
// section is opaque filler of an exact size. The log never decodes records, and exact sizes keep
// byte positions in the recovery tests simple (kafka-records' buildBatch encodes real records).
import { writeBatchCrc } from '@stratus/kafka-records';

export interface TestBatchOptions {
  readonly baseOffset: bigint;
  readonly epoch: number;
  /** Number of offsets the batch covers (lastOffsetDelta + 1). */
  readonly count?: number;
  readonly payloadBytes?: number;
  readonly maxTimestamp?: bigint;
  /** Fills the payload so different batches have different bytes. */
  readonly seed?: number;
}

export function testBatch(o: TestBatchOptions): Buffer {
  const count = o.count ?? 1;
  const payload = o.payloadBytes ?? 32;
  const buf = Buffer.alloc(61 + payload);
  buf.writeBigInt64BE(o.baseOffset, 0);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(o.epoch, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(0, 21);
  buf.writeInt32BE(count - 1, 23);
  const ts = o.maxTimestamp ?? 1_700_000_000_000n;
  buf.writeBigInt64BE(ts, 27);
  buf.writeBigInt64BE(ts, 35);
  buf.writeBigInt64BE(-1n, 43);
  buf.writeInt16BE(-1, 51);
  buf.writeInt32BE(-1, 53);
  buf.writeInt32BE(count, 57);
  const seed = o.seed ?? Number(o.baseOffset);
  for (let i = 61; i < buf.length; i++) buf[i] = (seed * 31 + i * 7) & 0xff;
  writeBatchCrc(buf);
  return buf;
}

/** Several contiguous batches concatenated, as one Append payload. */
export function testBatches(first: bigint, epoch: number, sizes: readonly number[], payloadBytes = 32): Buffer {
  const parts: Buffer[] = [];
  let offset = first;
  for (const count of sizes) {
    parts.push(testBatch({ baseOffset: offset, epoch, count, payloadBytes }));
    offset += BigInt(count);
  }
  return Buffer.concat(parts);
}

/** The batch the crash test writes at `offset`: its bytes are a function of the offset alone. */
export function crashTestBatch(offset: bigint, epoch: number): Buffer {
  return testBatch({ baseOffset: offset, epoch, count: 1, payloadBytes: 1000 + Number(offset % 3000n), seed: Number(offset % 100000n) });
}
