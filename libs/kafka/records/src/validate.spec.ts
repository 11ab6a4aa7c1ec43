import fc from 'fast-check';
import { ErrorCode } from '@stratus/kafka-errors';
import { batchLayout, buildBatch, readRecords, validateBatch, writeBatchCrc, type RecordBatchErrorKind } from './index';

const sample = (over: Partial<Parameters<typeof buildBatch>[0]> = {}) =>
  buildBatch({
    records: [
      { key: 'a', value: 'one', timestamp: 10n },
      { key: 'b', value: 'two', timestamp: 12n, headers: [{ key: 'h', value: 'v' }] },
    ],
    ...over,
  });

function expectError(buf: Buffer, kind: RecordBatchErrorKind, code: number, options = {}) {
  const result = validateBatch(buf, options);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.kind).toBe(kind);
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

/** Mutates a header field and fixes the CRC, so the check under test is the one that fires. */
function withField(buf: Buffer, write: (b: Buffer) => void): Buffer {
  const copy = Buffer.from(buf);
  write(copy);
  writeBatchCrc(copy);
  return copy;
}

describe('validateBatch', () => {
  it('accepts a well-formed producer batch and returns its header', () => {
    const result = validateBatch(sample());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.recordCount).toBe(2);
  });

  it('detects CRC corruption anywhere in the CRC range', () => {
    const good = sample();
    for (let i = batchLayout.ATTRIBUTES_OFFSET; i < good.length; i++) {
      const bad = Buffer.from(good);
      bad[i] ^= 0x40;
      const result = validateBatch(bad, { origin: 'log' });
      expect(result.ok).toBe(false);
    }
  });

  it('ignores changes outside the CRC range (baseOffset, partition leader epoch)', () => {
    const b = Buffer.from(sample());
    b.writeInt32BE(77, batchLayout.PARTITION_LEADER_EPOCH_OFFSET);
    expect(validateBatch(b).ok).toBe(true);
    b.writeBigInt64BE(5n, batchLayout.BASE_OFFSET_OFFSET);
    expect(validateBatch(b, { origin: 'log' }).ok).toBe(true);
  });

  it('reports truncation and bad lengths as CORRUPT_MESSAGE', () => {
    const good = sample();
    expectError(good.subarray(0, 60), 'truncated', ErrorCode.CORRUPT_MESSAGE);
    expectError(good.subarray(0, good.length - 1), 'truncated', ErrorCode.CORRUPT_MESSAGE);
    expectError(Buffer.concat([good, Buffer.alloc(1)]), 'invalid_length', ErrorCode.CORRUPT_MESSAGE);
    const short = Buffer.from(good);
    short.writeInt32BE(48, batchLayout.BATCH_LENGTH_OFFSET);
    expectError(short, 'invalid_length', ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects other magic values and undefined codecs', () => {
    const magic1 = Buffer.from(sample());
    magic1.writeInt8(1, batchLayout.MAGIC_OFFSET);
    expectError(magic1, 'unsupported_magic', ErrorCode.CORRUPT_MESSAGE);
    const codec6 = withField(sample(), (b) => b.writeUInt16BE(6, batchLayout.ATTRIBUTES_OFFSET));
    expectError(codec6, 'unknown_compression', ErrorCode.CORRUPT_MESSAGE);
  });

  it('enforces the size limit as MESSAGE_TOO_LARGE', () => {
    const b = sample();
    expectError(b, 'batch_too_large', ErrorCode.MESSAGE_TOO_LARGE, { maxBatchBytes: b.length - 1 });
    expect(validateBatch(b, { maxBatchBytes: b.length }).ok).toBe(true);
  });

  it('checks the CreateTime window from the header as INVALID_TIMESTAMP', () => {
    const b = sample(); // timestamps 10 and 12
    const at = (now: bigint, maxBeforeMs?: bigint, maxAfterMs?: bigint) => ({ timestamps: { now, maxBeforeMs, maxAfterMs } });
    expect(validateBatch(b, at(11n, 1n, 1n)).ok).toBe(true);
    expectError(b, 'invalid_timestamp', ErrorCode.INVALID_TIMESTAMP, at(20n, 5n));
    expectError(b, 'invalid_timestamp', ErrorCode.INVALID_TIMESTAMP, at(5n, undefined, 6n));
    expect(validateBatch(b, at(5n, undefined, 7n)).ok).toBe(true);
    // LogAppendTime batches get the broker's time, so their own timestamps are not judged
    const lat = sample({ timestampType: 'log-append-time' });
    expect(validateBatch(lat, at(1_000_000n, 5n, 5n)).ok).toBe(true);
  });

  it("applies Kafka's producer rules as INVALID_RECORD", () => {
    const invalid = ErrorCode.INVALID_RECORD;
    expectError(sample({ baseOffset: 3n }), 'invalid_base_offset', invalid);
    expectError(sample({ isControl: true }), 'control_batch_not_allowed', invalid);
    expectError(sample({ producerId: 5n, producerEpoch: 0, baseSequence: -1 }), 'invalid_producer_fields', invalid);
    expectError(sample({ isTransactional: true }), 'invalid_producer_fields', invalid);
    expectError(sample({ producerId: -2n }), 'invalid_producer_fields', invalid);
    // int64 checks look at both 32-bit halves
    expectError(sample({ producerId: -(1n << 32n) }), 'invalid_producer_fields', invalid);
    expectError(sample({ baseOffset: 1n << 32n }), 'invalid_base_offset', invalid);
    expect(validateBatch(sample({ producerId: 1n << 32n, producerEpoch: 0, baseSequence: 0 })).ok).toBe(true);
    expectError(sample({ producerId: 5n, producerEpoch: -1, baseSequence: 0 }), 'invalid_producer_fields', invalid);
    // A non-idempotent producer's epoch and sequence are ignored (kafkajs writes 0 for both).
    expect(validateBatch(sample({ producerId: -1n, producerEpoch: 0, baseSequence: 0 })).ok).toBe(true);
    expectError(buildBatch({ records: [] }), 'invalid_record_count', invalid);
    const delta = withField(sample(), (b) => b.writeInt32BE(5, batchLayout.LAST_OFFSET_DELTA_OFFSET));
    expectError(delta, 'invalid_record_count', invalid);
    const negative = withField(sample(), (b) => b.writeInt32BE(-1, batchLayout.RECORD_COUNT_OFFSET));
    expectError(negative, 'invalid_record_count', invalid);
    const huge = withField(sample(), (b) => b.writeInt32BE(1_000_000, batchLayout.RECORD_COUNT_OFFSET));
    expectError(huge, 'invalid_record_count', invalid);
  });

  it('accepts appended batches (offsets, control, compaction gaps) with origin log', () => {
    expect(validateBatch(sample({ baseOffset: 1000n, isControl: true }), { origin: 'log' }).ok).toBe(true);
    const gaps = buildBatch({ records: [{ value: 'a', offsetDelta: 0 }, { value: 'b', offsetDelta: 9 }] });
    expect(validateBatch(gaps, { origin: 'log' }).ok).toBe(true);
    expect(validateBatch(buildBatch({ records: [] }), { origin: 'log' }).ok).toBe(true);
  });

  it('turns any truncation or byte mutation into a typed result, never an exception', () => {
    const codecs = ['none', 'gzip', 'snappy', 'lz4'] as const;
    const batches = codecs.map((compression) => sample({ compression }));
    fc.assert(
      fc.property(
        fc.nat({ max: batches.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        fc.boolean(),
        (which, flips, cut, fixCrc) => {
          const original = batches[which] as Buffer;
          let b = Buffer.from(original);
          for (const [pos, x] of flips) b[pos % b.length] ^= x;
          if (cut % 3 === 0) b = b.subarray(0, cut % (b.length + 1));
          // With the CRC fixed, mutations reach the record parser instead of stopping at the CRC check.
          if (fixCrc && b.length >= batchLayout.BATCH_HEADER_SIZE) writeBatchCrc(b);
          const v = validateBatch(b, { origin: 'log' });
          const r = readRecords(b);
          if (!v.ok) expect(r.ok).toBe(false);
          if (!r.ok) expect(Object.values(ErrorCode)).toContain(r.error.code);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
