import { ErrorCode } from '@stratus/kafka-errors';
import crc32C from 'kafkajs/src/protocol/recordBatch/crc32C';
import { buildBatch, iterateRecords, peekBatchHeader, validateBatch } from './index';

// One record (key "k", value "v", no headers) laid out by hand from the RecordBatch v2 spec, so the
// codec is checked against the specification rather than against itself.
const GOLDEN_HEX = [
  '0000000000000000', // baseOffset
  '0000003a', // batchLength: 58 = 70 - 12
  'ffffffff', // partitionLeaderEpoch: -1 (not yet appended)
  '02', // magic
  '716a6189', // crc32c(attributes..end), checked independently below with kafkajs's CRC
  '0000', // attributes: no compression, CreateTime, not transactional, not control
  '00000000', // lastOffsetDelta
  '00000000000003e8', // baseTimestamp: 1000
  '00000000000003e8', // maxTimestamp: 1000
  'ffffffffffffffff', // producerId: -1
  'ffff', // producerEpoch: -1
  'ffffffff', // baseSequence: -1
  '00000001', // record count
  '10', // record length: zig-zag varint 8
  '00', // record attributes
  '00', // timestampDelta (varlong 0)
  '00', // offsetDelta (varint 0)
  '02', // key length: zig-zag 1
  '6b', // "k"
  '02', // value length: 1
  '76', // "v"
  '00', // header count 0
].join('');

describe('RecordBatch v2 golden bytes', () => {
  const golden = Buffer.from(GOLDEN_HEX, 'hex');

  it('has the CRC an independent CRC-32C implementation computes', () => {
    expect(crc32C(golden.subarray(21))).toBe(0x716a6189);
  });

  it('is what buildBatch produces', () => {
    const built = buildBatch({ records: [{ key: 'k', value: 'v', timestamp: 1000n }] });
    expect(built.toString('hex')).toBe(GOLDEN_HEX);
  });

  it('peeks every header field', () => {
    const peeked = peekBatchHeader(golden);
    if (!peeked.ok) throw new Error(peeked.error.message);
    expect(peeked.value.toJSON()).toEqual({
      baseOffset: 0n,
      batchLength: 58,
      partitionLeaderEpoch: -1,
      magic: 2,
      crc: 0x716a6189,
      attributes: 0,
      compression: 'none',
      timestampType: 'create-time',
      isTransactional: false,
      isControl: false,
      hasDeleteHorizon: false,
      lastOffsetDelta: 0,
      baseTimestamp: 1000n,
      maxTimestamp: 1000n,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordCount: 1,
    });
  });

  it('validates and decodes', () => {
    expect(validateBatch(golden).ok).toBe(true);
    const records = [...iterateRecords(golden)];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ offset: 0n, timestamp: 1000n, offsetDelta: 0, timestampDelta: 0n, headers: [] });
    expect(records[0]?.key?.toString()).toBe('k');
    expect(records[0]?.value?.toString()).toBe('v');
  });

  it('reports a flipped payload byte as CORRUPT_MESSAGE', () => {
    const bad = Buffer.from(golden);
    bad[bad.length - 2] ^= 0x01;
    const result = validateBatch(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('crc_mismatch');
      expect(result.error.code).toBe(ErrorCode.CORRUPT_MESSAGE);
    }
  });
});
