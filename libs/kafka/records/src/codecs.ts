import { gunzipSync, gzipSync } from 'node:zlib';
import * as zstd from '@bokuweb/zstd-wasm';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';
import { batchError, RecordBatchException } from './batch-error';
import { Compression, type CompressionId } from './compression-type';

// Compression of the records section of a batch (everything after the 61-byte header). These are only
// used by tools, tests and consumers-side iteration: the broker's produce path never decompresses.

/** Upper bound on one batch's decompressed records, against decompression bombs (a generous 256 MiB). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

let zstdReady = false;
let zstdLoading: Promise<void> | undefined;

/**
 * Loads the codecs that need asynchronous set-up (zstd is WebAssembly). Call once at start-up of any
 * process that reads or builds zstd batches; it is idempotent and concurrent calls share one load.
 */
export function loadCodecs(): Promise<void> {
  zstdLoading ??= zstd.init().then(() => {
    zstdReady = true;
  });
  return zstdLoading;
}

export function codecsLoaded(): boolean {
  return zstdReady;
}

function requireZstd(): void {
  if (!zstdReady) {
    throw new RecordBatchException(batchError('codec_not_loaded', 'zstd needs `await loadCodecs()` before use'));
  }
}

// snappy-java's stream framing ("xerial"), which the Java producer writes: an 8-byte magic, two int32
// versions, then blocks of [int32 length][raw snappy]. librdkafka and others may write raw snappy.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_BLOCK_SIZE = 32 * 1024;

function snappyDecode(data: Buffer): Buffer {
  if (data.length < XERIAL_HEADER_SIZE || !data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return snappyUncompress(data, { asBuffer: true }) as Buffer;
  }
  const parts: Buffer[] = [];
  let at = XERIAL_HEADER_SIZE;
  while (at < data.length) {
    if (data.length - at < 4) throw new Error('truncated xerial block length');
    const len = data.readInt32BE(at);
    at += 4;
    if (len < 0 || len > data.length - at) throw new Error(`xerial block of ${len} bytes overruns the payload`);
    parts.push(snappyUncompress(data.subarray(at, at + len), { asBuffer: true }) as Buffer);
    at += len;
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

function snappyEncode(data: Buffer): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (let at = 0; at < data.length; at += XERIAL_BLOCK_SIZE) {
    const block = snappyCompress(data.subarray(at, at + XERIAL_BLOCK_SIZE));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
  }
  return Buffer.concat(parts);
}

const ZSTD_MAGIC = 0xfd2fb528; // little-endian frame magic
/** zstd's "destination buffer too small" error code, as the wasm build reports it. */
const ZSTD_DST_TOO_SMALL = /code -70\b/;

function zstdDecode(data: Buffer, maxBytes: number): Buffer {
  requireZstd();
  if (data.length < 4 || data.readUInt32LE(0) !== ZSTD_MAGIC) throw new Error('not a zstd frame');
  // Kafka's Java producer streams zstd without a content size, so the output size is unknown: start at
  // a multiple of the input and grow on "destination too small" up to the cap.
  let capacity = Math.min(maxBytes, Math.max(64 * 1024, data.length * 8));
  for (;;) {
    try {
      return Buffer.from(zstd.decompress(data, { defaultHeapSize: capacity }));
    } catch (error) {
      const tooSmall = error instanceof Error && ZSTD_DST_TOO_SMALL.test(error.message);
      if (!tooSmall || capacity >= maxBytes) throw error;
      capacity = Math.min(maxBytes, capacity * 4);
    }
  }
}

export interface DecompressOptions {
  readonly maxDecompressedBytes?: number;
}

/**
 * Decompresses a records section. Failures of any codec become a typed 'decompression_failed'.
 * @throws RecordBatchException
 */
export function decompressRecords(id: CompressionId, data: Buffer, options: DecompressOptions = {}): Buffer {
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  try {
    let out: Buffer;
    switch (id) {
      case Compression.none:
        return data;
      case Compression.gzip:
        out = gunzipSync(data, { maxOutputLength: maxBytes });
        break;
      case Compression.snappy:
        out = snappyDecode(data);
        break;
      case Compression.lz4:
        out = decompressFrameSync(data);
        break;
      case Compression.zstd:
        out = zstdDecode(data, maxBytes);
        break;
    }
    if (out.length > maxBytes) throw new Error(`more than ${maxBytes} bytes after decompression`);
    return out;
  } catch (error) {
    if (error instanceof RecordBatchException) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new RecordBatchException(batchError('decompression_failed', `codec ${id}: ${detail}`));
  }
}

/** Compresses a records section the way Kafka's Java producer frames it. */
export function compressRecords(id: CompressionId, data: Buffer): Buffer {
  switch (id) {
    case Compression.none:
      return data;
    case Compression.gzip:
      return gzipSync(data);
    case Compression.snappy:
      return snappyEncode(data);
    case Compression.lz4:
      return compressFrameSync(data);
    case Compression.zstd:
      requireZstd();
      return Buffer.from(zstd.compress(data, 3));
  }
}
