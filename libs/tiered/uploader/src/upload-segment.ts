// Uploads one sealed segment and proves the object is whole before anyone may rely on it.
//
// The bytes stream from the replica into a conditional create (putIfAbsent) that is told the
// CRC32C the replica announced: each chunk is checked against its own CRC on the way, the stream
// must be contiguous and end exactly at the announced size, and the store refuses to make the
// object visible if the whole-object CRC differs. An object found already at the key is trusted
// only if its recorded size and CRC32C match (an earlier attempt whose answer was lost); anything
// else there is a leftover we did not finish, so it is deleted and written again.
import { crc32c } from '@node-rs/crc32';
import { metadataV1, type replicationV1 } from '@stratus/contracts';
import type { ObjectStore } from '@stratus/tiered-object-store';
import { BatchScanner } from './batch-scanner';
import { segmentId, segmentObjectKey, type SegmentAddress } from './layout';
import { SegmentSourceError, type SegmentSource } from './ports';

export const DEFAULT_UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** The object store holds something at the key that is not this segment and could not be replaced. */
export class SegmentVerificationError extends Error {
  override readonly name = 'SegmentVerificationError';
}

export interface UploadSegmentOptions {
  readonly address: SegmentAddress;
  readonly segment: replicationV1.SealedSegment;
  readonly source: SegmentSource;
  readonly store: ObjectStore;
  readonly chunkSizeBytes?: number;
  readonly now?: () => number;
}

const hex = (crc: number): string => (crc >>> 0).toString(16).padStart(8, '0');

/** Streams the segment from the replica, checking every chunk; `scanner` collects chunk records. */
async function* verifiedBody(options: UploadSegmentOptions, scanner: BatchScanner): AsyncIterable<Uint8Array> {
  const { segment, address } = options;
  let position = 0n;
  let whole = 0;
  let sawTrailer = false;
  for await (const event of options.source.read(address, segment.baseOffset, { chunkSizeBytes: options.chunkSizeBytes ?? DEFAULT_UPLOAD_CHUNK_BYTES })) {
    if (event.type === 'header') {
      const h = event.segment;
      if (h.endOffset !== segment.endOffset || h.sizeBytes !== segment.sizeBytes || h.crc32c >>> 0 !== segment.crc32c >>> 0) {
        throw new SegmentSourceError(`segment ${segment.baseOffset} changed on the replica since it was listed`);
      }
    } else if (event.type === 'chunk') {
      if (event.position !== position) throw new SegmentSourceError(`chunk at ${event.position}, expected ${position}`);
      const crc = crc32c(event.data) >>> 0;
      if (crc !== event.crc32c >>> 0) throw new SegmentSourceError(`chunk at ${position} failed its CRC32C`);
      whole = crc32c(event.data, whole);
      scanner.push(event.data, crc);
      position += BigInt(event.data.length);
      if (position > segment.sizeBytes) throw new SegmentSourceError(`segment ${segment.baseOffset} is longer than announced`);
      yield event.data;
    } else {
      sawTrailer = true;
      if (event.sizeBytes !== position || event.crc32c >>> 0 !== whole >>> 0) throw new SegmentSourceError(`segment ${segment.baseOffset} trailer does not match its bytes`);
    }
  }
  if (!sawTrailer || position !== segment.sizeBytes || whole >>> 0 !== segment.crc32c >>> 0) {
    throw new SegmentSourceError(`segment ${segment.baseOffset} stream ended early or differs (${position}/${segment.sizeBytes} bytes)`);
  }
  if (!scanner.endsAtBoundary()) throw new SegmentSourceError(`segment ${segment.baseOffset} does not end at a record batch boundary`);
}

async function matches(store: ObjectStore, key: string, segment: replicationV1.SealedSegment): Promise<boolean> {
  const meta = await store.head(key);
  return meta !== undefined && BigInt(meta.size) === segment.sizeBytes && meta.checksum?.algorithm === 'crc32c' && meta.checksum.value === hex(segment.crc32c);
}

/** Uploads (or confirms) the segment's object and returns the manifest entry to commit. */
export async function uploadSegment(options: UploadSegmentOptions): Promise<metadataV1.SegmentManifestEntry> {
  const { address, segment, store } = options;
  const key = segmentObjectKey(address, segment);
  const put = async (): Promise<BatchScanner> => {
    const scanner = new BatchScanner();
    const result = await store.putIfAbsent(key, verifiedBody(options, scanner), { checksum: { algorithm: 'crc32c', expected: hex(segment.crc32c) } });
    if (result.outcome === 'created') return scanner;
    if (await matches(store, key, segment)) {
      // Already there from an earlier attempt: the chunk records still have to come from the bytes.
      const rescan = new BatchScanner();
      for await (const _ of verifiedBody(options, rescan));
      return rescan;
    }
    await store.delete(key);
    throw new SegmentVerificationError(`object ${key} held other bytes than segment ${segment.baseOffset}; deleted it`);
  };
  let scanner: BatchScanner;
  try {
    scanner = await put();
  } catch (err) {
    if (!(err instanceof SegmentVerificationError)) throw err;
    scanner = await put();
  }
  // Trust only what the store reports back, not what we sent.
  if (!(await matches(store, key, segment))) throw new SegmentVerificationError(`object ${key} does not have the segment's size and CRC32C after upload`);
  return {
    partition: { topicId: { value: Buffer.from(address.topicId) }, partition: address.partition },
    segmentId: segmentId(segment),
    baseOffset: segment.baseOffset,
    endOffset: segment.endOffset,
    sizeBytes: segment.sizeBytes,
    objectKey: key,
    chunks: scanner.chunks.map((c) => ({ position: BigInt(c.position), sizeBytes: c.size, crc32c: c.crc32c, firstBatchOffset: c.firstBatchOffset, firstBatchPosition: c.firstBatchPosition })),
    crc32c: segment.crc32c >>> 0,
    minTimestampMs: segment.minTimestampMs,
    maxTimestampMs: segment.maxTimestampMs,
    epochHistory: segment.epochHistory.map((e) => ({ epoch: e.epoch, startOffset: e.startOffset })),
    state: metadataV1.SegmentState.COMMITTED,
    uploadTimeMs: BigInt((options.now ?? Date.now)()),
  };
}
