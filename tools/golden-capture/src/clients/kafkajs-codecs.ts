import { compress as zstdCompress, decompress as zstdDecompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';

interface KafkajsEncoder {
  buffer: Buffer;
}

// Java's producer writes snappy in xerial framing: an 8-byte magic, two int32 versions, then
// int32-length-prefixed raw snappy blocks. Brokers accept raw snappy too, but matching what Java
// clients emit keeps kafkajs' frames representative.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);

function xerialCompress(data: Buffer): Buffer {
  const block = snappyCompress(data);
  const length = Buffer.alloc(4);
  length.writeInt32BE(block.length);
  return Buffer.concat([XERIAL_MAGIC, length, block]);
}

function xerialDecompress(data: Buffer): Buffer {
  if (!data.subarray(0, 8).equals(XERIAL_MAGIC.subarray(0, 8))) return snappyUncompress(data) as Buffer;
  const blocks: Buffer[] = [];
  for (let at = 16; at < data.length; ) {
    const size = data.readInt32BE(at);
    blocks.push(snappyUncompress(data.subarray(at + 4, at + 4 + size)) as Buffer);
    at += 4 + size;
  }
  return Buffer.concat(blocks);
}

/** kafkajs ships only gzip; the other codecs are plugged in from packages the workspace already has. */
export async function registerKafkajsCodecs(): Promise<void> {
  await zstdInit();
  const codecs = CompressionCodecs as unknown as Record<number, () => { compress(e: KafkajsEncoder): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>;
  codecs[CompressionTypes.Snappy] = () => ({
    compress: async (encoder) => xerialCompress(encoder.buffer),
    decompress: async (buffer) => xerialDecompress(buffer),
  });
  codecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder) => compressFrameSync(encoder.buffer),
    decompress: async (buffer) => decompressFrameSync(buffer),
  });
  codecs[CompressionTypes.ZSTD] = () => ({
    compress: async (encoder) => Buffer.from(zstdCompress(encoder.buffer, 3)),
    decompress: async (buffer) => Buffer.from(zstdDecompress(buffer)),
  });
}
