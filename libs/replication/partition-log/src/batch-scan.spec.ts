import { scanBatches } from './batch-scan';
import { testBatch, testBatches } from './test-batches';
import { decodeOffsetIndex, decodeTimeIndex, encodeOffsetIndex, encodeTimeIndex, floorEntry, parseSegmentFileName, segmentFileName } from './segment-files';
import { parsePartitionKey, partitionKey, validateConfig, DEFAULT_PARTITION_LOG_CONFIG } from './types';

describe('scanBatches', () => {
  it('walks contiguous batches and reports where they end', () => {
    const bytes = testBatches(7n, 1, [2, 3, 1]);
    const scan = scanBatches(bytes, { expectedBaseOffset: 7n });
    expect(scan.stop).toEqual({ kind: 'end' });
    expect(scan.batches.map((b) => [b.header.baseOffset, b.header.lastOffset])).toEqual([[7n, 8n], [9n, 11n], [12n, 12n]]);
    expect(scan.validBytes).toBe(bytes.length);
  });

  it('stops at a torn batch, a bad CRC, a bad magic and an offset gap', () => {
    const a = testBatch({ baseOffset: 0n, epoch: 1 });
    const b = testBatch({ baseOffset: 1n, epoch: 1 });
    expect(scanBatches(Buffer.concat([a, b.subarray(0, 70)])).stop).toEqual({ kind: 'torn', position: a.length });
    const crc = Buffer.from(b);
    crc[70] = (crc[70] as number) ^ 1;
    expect(scanBatches(Buffer.concat([a, crc])).stop).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/^crc_mismatch/) });
    const magic = Buffer.from(b);
    magic[16] = 1;
    expect(scanBatches(Buffer.concat([a, magic])).stop).toMatchObject({ kind: 'invalid', reason: 'bad-magic' });
    expect(scanBatches(Buffer.concat([a, testBatch({ baseOffset: 5n, epoch: 1 })]), { expectedBaseOffset: 0n }).stop).toMatchObject({
      kind: 'invalid',
      position: a.length,
    });
  });

  it('a CRC covers attributes..end, not the leader epoch the leader stamps', () => {
    const a = testBatch({ baseOffset: 0n, epoch: 1 });
    a.writeInt32BE(9, 12);
    expect(scanBatches(a).stop).toEqual({ kind: 'end' });
  });
});

describe('segment file formats', () => {
  it('names files by 20-digit base offset', () => {
    expect(segmentFileName(1234n, '.log')).toBe('00000000000000001234.log');
    expect(parseSegmentFileName('00000000000000001234.timeindex')).toEqual({ baseOffset: 1234n, suffix: '.timeindex' });
    expect(parseSegmentFileName('1234.log')).toBeUndefined();
  });

  it('round-trips indexes and rejects inconsistent ones', () => {
    const entries = [{ rel: 3, position: 100 }, { rel: 9, position: 900 }];
    expect(decodeOffsetIndex(encodeOffsetIndex(entries), 1000, 10)).toEqual(entries);
    expect(decodeOffsetIndex(encodeOffsetIndex(entries), 900, 10)).toBeUndefined();
    expect(decodeOffsetIndex(encodeOffsetIndex([...entries].reverse()), 1000, 10)).toBeUndefined();
    expect(decodeOffsetIndex(Buffer.alloc(5), 1000, 10)).toBeUndefined();
    const times = [{ timestamp: 5n, rel: 0 }, { timestamp: 9n, rel: 4 }];
    expect(decodeTimeIndex(encodeTimeIndex(times), 5)).toEqual(times);
    expect(decodeTimeIndex(encodeTimeIndex(times), 4)).toBeUndefined();
    expect(floorEntry(entries, (e) => e.rel, 8)).toEqual(entries[0]);
    expect(floorEntry(entries, (e) => e.rel, 2)).toBeUndefined();
  });
});

describe('keys and config', () => {
  it('builds and parses partition keys', () => {
    const key = partitionKey('00112233445566778899aabbccddeeff', 12);
    expect(key).toBe('00112233445566778899aabbccddeeff-12');
    expect(parsePartitionKey(key)).toEqual({ key, topicIdHex: '00112233445566778899aabbccddeeff', index: 12 });
    expect(parsePartitionKey('lost+found')).toBeUndefined();
    expect(() => partitionKey('XYZ', 1)).toThrow(RangeError);
    expect(() => partitionKey('00112233445566778899aabbccddeeff', -1)).toThrow(RangeError);
  });

  it('refuses configurations the index format cannot hold', () => {
    expect(() => validateConfig({ ...DEFAULT_PARTITION_LOG_CONFIG, segmentBytes: 2 ** 32 })).toThrow(/segmentBytes/);
    expect(() => validateConfig({ ...DEFAULT_PARTITION_LOG_CONFIG, flush: { kind: 'interval', intervalMs: 0 } })).toThrow(/intervalMs/);
  });
});
