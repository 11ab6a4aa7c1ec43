// Re-reads one tiered object and compares it with its manifest entry: size and whole-object
// CRC32C (the value the uploader verified before AddSegments). Reads go range by range through
// the rate limiter, so a large segment is checked without holding it in memory and without
// exceeding the audit's bandwidth. A missing object or different bytes are findings; an
// unreachable store is not (it is thrown, and the segment is checked again next pass).
import { crc32c } from '@node-rs/crc32';
import { ObjectNotFoundError, type ObjectStore } from '@stratus/tiered-object-store';
import type { ByteRateLimiter } from './rate-limiter';
import type { ManifestEntry } from './types';

export const DEFAULT_VERIFY_READ_BYTES = 1024 * 1024;

export type VerifyOutcome =
  | { readonly ok: true; readonly bytesRead: number }
  | { readonly ok: false; readonly problem: 'missing' | 'corrupt'; readonly detail: string; readonly bytesRead: number };

export interface VerifyOptions {
  readonly store: ObjectStore;
  readonly entry: ManifestEntry;
  readonly limiter: ByteRateLimiter | undefined;
  readonly readBytes?: number;
  readonly signal?: AbortSignal;
}

export async function verifyObject(options: VerifyOptions): Promise<VerifyOutcome> {
  const { store, entry } = options;
  const size = Number(entry.sizeBytes);
  const step = options.readBytes ?? DEFAULT_VERIFY_READ_BYTES;
  const meta = await store.head(entry.objectKey);
  if (!meta) return { ok: false, problem: 'missing', detail: `object ${entry.objectKey} of segment ${entry.segmentId} is missing`, bytesRead: 0 };
  if (meta.size !== size) return { ok: false, problem: 'corrupt', detail: `object ${entry.objectKey} holds ${meta.size} bytes, the manifest says ${size}`, bytesRead: 0 };
  let crc = 0;
  let read = 0;
  try {
    while (read < size) {
      if (options.signal?.aborted) throw new Error('audit stopped');
      const want = Math.min(step, size - read);
      await options.limiter?.take(want, options.signal);
      const bytes = await store.getRange(entry.objectKey, read, read + want);
      if (bytes.length !== want) return { ok: false, problem: 'corrupt', detail: `object ${entry.objectKey} ended at ${read + bytes.length}, the manifest says ${size} bytes`, bytesRead: read + bytes.length };
      crc = crc32c(bytes, crc);
      read += want;
    }
  } catch (error) {
    // Deleted between HEAD and the read.
    if (error instanceof ObjectNotFoundError) return { ok: false, problem: 'missing', detail: `object ${entry.objectKey} of segment ${entry.segmentId} is missing`, bytesRead: read };
    throw error;
  }
  if (crc >>> 0 !== entry.crc32c >>> 0) {
    return { ok: false, problem: 'corrupt', detail: `object ${entry.objectKey} has CRC32C ${(crc >>> 0).toString(16)}, the manifest says ${(entry.crc32c >>> 0).toString(16)}`, bytesRead: read };
  }
  return { ok: true, bytesRead: read };
}
