// Checksums recorded with every object. CRC32C is the default: it is what Kafka record batches
// already use (KIP-98), it is hardware accelerated through @node-rs/crc32, and S3 knows it as a
// native checksum type. SHA-256 is there for users who want a cryptographic digest.
import { createHash, type Hash } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { ObjectStoreArgumentError } from './errors';

export type ChecksumAlgorithm = 'crc32c' | 'sha256';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32c', 'sha256'];

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Lower-case hex: 8 digits for crc32c, 64 for sha256. */
  readonly value: string;
}

export interface ChecksumHasher {
  update(chunk: Uint8Array): void;
  digest(): Checksum;
}

export function createChecksumHasher(algorithm: ChecksumAlgorithm): ChecksumHasher {
  if (algorithm === 'crc32c') {
    let state = 0;
    return {
      update: (chunk) => {
        state = crc32c(chunk, state);
      },
      digest: () => ({ algorithm, value: (state >>> 0).toString(16).padStart(8, '0') }),
    };
  }
  const hash: Hash = createHash('sha256');
  return {
    update: (chunk) => {
      hash.update(chunk);
    },
    digest: () => ({ algorithm, value: hash.digest('hex') }),
  };
}

export function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Checksum {
  const hasher = createChecksumHasher(algorithm);
  hasher.update(data);
  return hasher.digest();
}

/** "crc32c:1a2b3c4d" — the form stored in object metadata. */
export function formatChecksum(checksum: Checksum): string {
  return `${checksum.algorithm}:${checksum.value}`;
}

/** Parses formatChecksum output; undefined for anything else (objects written by other tools). */
export function parseChecksum(text: string | undefined): Checksum | undefined {
  if (text === undefined) return undefined;
  const match = /^(crc32c|sha256):([0-9a-f]+)$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const algorithm = match[1] as ChecksumAlgorithm;
  const value = match[2] as string;
  return value.length === expectedLength(algorithm) ? { algorithm, value } : undefined;
}

/** Validates a caller-supplied expected value, so a typo is an argument error, not a "mismatch". */
export function normaliseExpected(algorithm: ChecksumAlgorithm, expected: string): string {
  const value = expected.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(value) || value.length !== expectedLength(algorithm)) {
    throw new ObjectStoreArgumentError(
      `expected ${algorithm} checksum must be ${expectedLength(algorithm)} hex digits, got ${JSON.stringify(expected)}`,
    );
  }
  return value;
}

function expectedLength(algorithm: ChecksumAlgorithm): number {
  return algorithm === 'crc32c' ? 8 : 64;
}

export function sameChecksum(a: Checksum | undefined, b: Checksum | undefined): boolean {
  return a !== undefined && b !== undefined && a.algorithm === b.algorithm && a.value === b.value;
}

/**
 * The checksum a put records and, if given, must match. A streamed body must come with its
 * expected checksum on every backend: S3 fixes object metadata when a multipart upload starts,
 * before the stream's checksum is known, and one rule for all backends keeps the contract single.
 * (The tiered uploader computes it while reading the sealed segment.)
 */
export function resolvePutChecksum(
  body: unknown,
  options: { readonly algorithm?: ChecksumAlgorithm; readonly expected?: string } | undefined,
): { algorithm: ChecksumAlgorithm; expected: string | undefined } {
  const algorithm = options?.algorithm ?? 'crc32c';
  if (!CHECKSUM_ALGORITHMS.includes(algorithm)) {
    throw new ObjectStoreArgumentError(`checksum algorithm must be one of ${CHECKSUM_ALGORITHMS.join(', ')}, got ${String(algorithm)}`);
  }
  const expected = options?.expected === undefined ? undefined : normaliseExpected(algorithm, options.expected);
  if (!(body instanceof Uint8Array) && expected === undefined) {
    throw new ObjectStoreArgumentError('a streamed body needs checksum.expected (S3 records the checksum before the first part is sent)');
  }
  return { algorithm, expected };
}
