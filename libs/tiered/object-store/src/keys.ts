// Object keys are '/'-separated, non-empty segments. Rules are the intersection of what S3 and a
// POSIX folder can both hold, so a key that works on one backend works on all of them.
import { ObjectStoreArgumentError } from './errors';

/** S3's limit on a full key (prefix included) is 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

export function validateKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new ObjectStoreArgumentError('object key must be a non-empty string');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new ObjectStoreArgumentError(`object key is longer than ${MAX_KEY_BYTES} bytes`);
  }
  if (key.includes('\0')) throw new ObjectStoreArgumentError('object key must not contain NUL');
  for (const segment of key.split('/')) {
    if (segment === '') throw new ObjectStoreArgumentError(`object key ${JSON.stringify(key)} has an empty segment (leading, trailing or double '/')`);
    if (segment === '.' || segment === '..') {
      throw new ObjectStoreArgumentError(`object key ${JSON.stringify(key)} has a '.' or '..' segment`);
    }
  }
  return key;
}

/** A list/delete prefix: any string a key could start with (empty means everything). */
export function validatePrefix(prefix: string): string {
  if (typeof prefix !== 'string') throw new ObjectStoreArgumentError('prefix must be a string');
  if (prefix.includes('\0')) throw new ObjectStoreArgumentError('prefix must not contain NUL');
  if (Buffer.byteLength(prefix, 'utf8') > MAX_KEY_BYTES) throw new ObjectStoreArgumentError('prefix is too long');
  return prefix;
}

export function validateRange(start: number, endExclusive: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endExclusive) || start < 0 || endExclusive < start) {
    throw new ObjectStoreArgumentError(`invalid byte range [${start}, ${endExclusive}): need 0 <= start <= end`);
  }
}

export function validatePageSize(pageSize: number | undefined, max: number): number {
  if (pageSize === undefined) return max;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > max) {
    throw new ObjectStoreArgumentError(`pageSize must be an integer in [1, ${max}], got ${pageSize}`);
  }
  return pageSize;
}

/** Byte-wise (UTF-8) order, the order S3 lists keys in. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
