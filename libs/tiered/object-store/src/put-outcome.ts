// The already_exists answer shared by every backend: compares the existing object with the one
// offered, as far as that is possible before reading a streamed body.
import { checksumOf, sameChecksum, type Checksum, type ChecksumAlgorithm } from './checksum';
import type { ObjectBody, ObjectMeta, PutResult } from './types';

export function alreadyExistsBeforeUpload(
  existing: ObjectMeta,
  body: ObjectBody,
  checksum: { algorithm: ChecksumAlgorithm; expected: string | undefined },
): PutResult {
  if (body instanceof Uint8Array) {
    const offered = checksumOf(checksum.algorithm, body);
    return { outcome: 'already_exists', meta: existing, sameContent: existing.size === body.length && sameChecksum(existing.checksum, offered) };
  }
  const sameContent =
    checksum.expected === undefined ? undefined : sameChecksum(existing.checksum, { algorithm: checksum.algorithm, value: checksum.expected });
  return { outcome: 'already_exists', meta: existing, sameContent };
}

export function sameContentAs(meta: ObjectMeta, size: number, checksum: Checksum): boolean {
  return meta.size === size && sameChecksum(meta.checksum, checksum);
}
