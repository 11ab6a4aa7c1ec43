import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compressSync, uncompressSync } from 'snappy';
import * as zstd from '@bokuweb/zstd-wasm';
import Decoder from 'kafkajs/src/protocol/decoder';
import { Codecs, Types } from 'kafkajs/src/protocol/message/compression';
import Record from 'kafkajs/src/protocol/recordBatch/record/v0';
import { RecordBatch } from 'kafkajs/src/protocol/recordBatch/v0';
import decodeBatch from 'kafkajs/src/protocol/recordBatch/v0/decoder';
import { buildBatch, iterateRecords, loadCodecs, validateBatch, type CompressionName } from './index';

// Interop with an independent implementation: kafkajs's own RecordBatch encoder and decoder. kafkajs
// implements gzip itself; for snappy (raw blocks, as librdkafka writes), lz4 (frames) and zstd we
// register codecs built directly on the native libraries, so the batch framing is kafkajs's and the
// compressed payload is produced without our code.
beforeAll(async () => {
  await loadCodecs();
  Codecs[Types.Snappy] = () => ({
    compress: async (e) => compressSync(e.buffer),
    decompress: async (b) => unxerial(b),
  });
  Codecs[Types.LZ4] = () => ({
    compress: async (e) => compressFrameSync(e.buffer),
    decompress: async (b) => decompressFrameSync(b),
  });
  Codecs[Types.ZSTD] = () => ({
    compress: async (e) => Buffer.from(zstd.compress(e.buffer, 3)),
    decompress: async (b) => Buffer.from(zstd.decompress(b, { defaultHeapSize: 1 << 20 })),
  });
});

/** Test-local reader of snappy-java's stream framing (what the Java producer and our encoder write). */
function unxerial(b: Buffer): Buffer {
  if (b.subarray(0, 8).toString('latin1') !== '\x82SNAPPY\x00') return uncompressSync(b, { asBuffer: true }) as Buffer;
  const blocks: Buffer[] = [];
  for (let at = 16; at < b.length; ) {
    const len = b.readInt32BE(at);
    blocks.push(uncompressSync(b.subarray(at + 4, at + 4 + len), { asBuffer: true }) as Buffer);
    at += 4 + len;
  }
  return Buffer.concat(blocks);
}

const codecs: [CompressionName, number][] = [
  ['none', Types.None],
  ['gzip', Types.GZIP],
  ['snappy', Types.Snappy],
  ['lz4', Types.LZ4],
  ['zstd', Types.ZSTD],
];

const input: { key: string | null; value: string | null; headers: Record<string, string>; delta: number }[] = [
  { key: 'order-1', value: 'created', headers: { trace: 'abc' }, delta: 0 },
  { key: null, value: 'x'.repeat(5000), headers: {}, delta: 7 },
  { key: 'order-1', value: null, headers: { a: '1', b: '' }, delta: 9 },
];

describe.each(codecs)('kafkajs interop, %s', (name, type) => {
  it('decodes a batch kafkajs encoded', async () => {
    const encoded = await RecordBatch({
      compression: type,
      firstOffset: '0',
      firstTimestamp: 1_700_000_000_000,
      maxTimestamp: 1_700_000_000_009,
      lastOffsetDelta: 2,
      producerId: '4242',
      producerEpoch: 3,
      firstSequence: 17,
      records: input.map((r, i) =>
        Record({ offsetDelta: i, timestampDelta: r.delta, key: r.key, value: r.value, headers: r.headers }),
      ),
    });
    const batch = encoded.buffer;
    const checked = validateBatch(batch);
    if (!checked.ok) throw new Error(checked.error.message);
    expect(checked.value.compression).toBe(name);
    expect(checked.value.producerId).toBe(4242n);
    expect(checked.value.baseSequence).toBe(17);
    const records = [...iterateRecords(batch)];
    expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n]);
    expect(records.map((r) => r.timestamp)).toEqual([1_700_000_000_000n, 1_700_000_000_007n, 1_700_000_000_009n]);
    expect(records.map((r) => r.key?.toString() ?? null)).toEqual(input.map((r) => r.key));
    expect(records.map((r) => r.value?.toString() ?? null)).toEqual(input.map((r) => r.value));
    expect(records[2]?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['a', '1'],
      ['b', ''],
    ]);
  });

  it('produces a batch kafkajs decodes', async () => {
    const batch = buildBatch({
      compression: name,
      baseOffset: 100n,
      baseTimestamp: 5000n,
      producerId: 9n,
      producerEpoch: 1,
      baseSequence: 0,
      isTransactional: true,
      records: input.map((r, i) => ({
        key: r.key,
        value: r.value,
        timestamp: 5000n + BigInt(r.delta),
        headers: Object.entries(r.headers).map(([key, value]) => ({ key, value })),
        offsetDelta: i,
      })),
    });
    const decoded = await decodeBatch(new Decoder(batch));
    expect(decoded.firstOffset).toBe('100');
    expect(decoded.inTransaction).toBe(true);
    expect(decoded.producerId).toBe('9');
    expect(decoded.maxTimestamp).toBe('5009');
    expect(decoded.records.map((r) => r.offset)).toEqual(['100', '101', '102']);
    expect(decoded.records.map((r) => r.timestamp)).toEqual(['5000', '5007', '5009']);
    expect(decoded.records.map((r) => r.key?.toString() ?? null)).toEqual(input.map((r) => r.key));
    expect(decoded.records.map((r) => r.value?.toString() ?? null)).toEqual(input.map((r) => r.value));
    expect(decoded.records[0]?.headers['trace']?.toString()).toBe('abc');
  });
});
