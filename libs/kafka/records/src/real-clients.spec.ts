import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { assignOffsets, batchLayout, loadCodecs, readRecords, splitBatches, validateBatch } from './index';

// Produce requests recorded from real clients (Java kafka-clients 4.4.0, librdkafka 2.16.0, kafkajs 2.2.4,
// @platformatic/kafka 1.35.0) against Apache Kafka 4.4.0; copied from the golden request fixtures, see
// __fixtures__/produce/index.json. Each holds one message set with one batch.

interface Frame {
  readonly file: string;
  readonly client: string;
  readonly clientId: string;
}

const dir = join(__dirname, '__fixtures__', 'produce');
const frames: Frame[] = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { frames: Frame[] }).frames;

/**
 * Finds the record batches inside a Produce request without a Produce decoder (that lives in
 * kafka-messages, which may come to depend on this library): a batch starts where magic is 2 and the
 * CRC-32C over its declared extent matches, which random bytes do not satisfy.
 */
function findMessageSet(frame: Buffer): Buffer {
  for (let p = 0; p + batchLayout.BATCH_HEADER_SIZE <= frame.length; p++) {
    if (frame[p + batchLayout.MAGIC_OFFSET] !== 2) continue;
    const size = frame.readInt32BE(p + batchLayout.BATCH_LENGTH_OFFSET) + batchLayout.LOG_OVERHEAD;
    if (size < batchLayout.BATCH_HEADER_SIZE || p + size > frame.length) continue;
    const crc = frame.readUInt32BE(p + batchLayout.CRC_OFFSET);
    if (crc32c(frame.subarray(p + batchLayout.ATTRIBUTES_OFFSET, p + size)) >>> 0 === crc) return frame.subarray(p, p + size);
  }
  throw new Error('no record batch found');
}

const expectedCodec = (clientId: string) => /-produce-(none|gzip|snappy|lz4|zstd)$/.exec(clientId)?.[1];

beforeAll(() => loadCodecs());

describe.each(frames.map((f) => [f.file, f] as const))('real client batch %s', (_file, frame) => {
  const messageSet = Buffer.from(findMessageSet(readFileSync(join(dir, frame.file))));

  it('validates as a producer batch and decodes every record', () => {
    const split = splitBatches(messageSet);
    if (!split.ok) throw new Error(split.error.message);
    expect(split.value.partial).toBeUndefined();
    expect(split.value.batches).toHaveLength(1);
    const batch = split.value.batches[0] as Buffer;
    const checked = validateBatch(batch);
    if (!checked.ok) throw new Error(checked.error.message);
    const header = checked.value;
    const codec = expectedCodec(frame.clientId);
    const txn = frame.clientId.endsWith('-txn');
    // @platformatic/kafka on Node 20 falls back to no compression for zstd (docs/golden-fixtures.md).
    const wanted = frame.client === 'platformatic' && codec === 'zstd' ? 'none' : codec;
    if (wanted !== undefined) expect(header.compression).toBe(wanted);
    expect(header.isTransactional).toBe(txn);
    expect(header.producerId >= 0n).toBe(true);
    const records = readRecords(batch);
    if (!records.ok) throw new Error(records.error.message);
    expect(records.value).toHaveLength(header.recordCount);
    // The Java producer (linger.ms=0) sent each of its records in its own request; the others batched 3.
    expect(header.recordCount).toBe(txn || frame.client === 'java' ? 1 : 3);
    expect(records.value.map((r) => r.offsetDelta)).toEqual(records.value.map((_, i) => i));
    for (const r of records.value) {
      expect(r.value?.length).toBeGreaterThan(0);
      expect(r.timestamp).toBeGreaterThan(1_600_000_000_000n);
      expect(r.timestamp <= header.maxTimestamp).toBe(true);
    }
  });

  it('re-offsets in place with LogAppendTime and stays valid with the same records', () => {
    const batch = Buffer.from(messageSet);
    const before = readRecords(batch);
    assignOffsets(batch, { baseOffset: 1234n, partitionLeaderEpoch: 2, logAppendTime: 1_900_000_000_000n });
    expect(validateBatch(batch, { origin: 'log' }).ok).toBe(true);
    const after = readRecords(batch);
    if (!before.ok || !after.ok) throw new Error('decode');
    expect(after.value.map((r) => r.offset)).toEqual(before.value.map((r) => r.offset + 1234n));
    expect(after.value.map((r) => [r.key, r.value, r.headers])).toEqual(before.value.map((r) => [r.key, r.value, r.headers]));
  });
});
