// putIfAbsent on S3: one PutObject for a body of at most one part, a multipart upload otherwise.
//
// Integrity: every request carries Content-MD5, so S3 (and MinIO) reject bytes damaged in transit
// with BadDigest; where the returned ETag is a plain MD5 (no SSE-KMS) we also compare it, which
// catches servers that skip the Content-MD5 check (s3rver does). The object's checksum is
// recorded as metadata, and a caller-supplied expected checksum is compared before the object is
// made visible (CompleteMultipartUpload), so a wrong segment is never published.
//
// Conditional create: `If-None-Match: *` on PutObject and CompleteMultipartUpload (S3 conditional
// writes, Aug 2024). Where the server ignores the header, "emulated" mode checks with HEAD before
// and after the write; that is only safe with one writer per key (docs/tiered-storage.md).
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { partsOf } from '../body';
import { checksumOf, createChecksumHasher, formatChecksum, sameChecksum, type Checksum, type ChecksumAlgorithm } from '../checksum';
import { ChecksumMismatchError, ObjectStoreArgumentError } from '../errors';
import { alreadyExistsBeforeUpload } from '../put-outcome';
import type { ObjectBody, ObjectMeta, PutResult } from '../types';
import { callS3, type S3CallContext } from './s3-call';
import { isNoSuchUpload, isPreconditionFailed } from './s3-errors';

export const CHECKSUM_METADATA_KEY = 'stratus-checksum';
/** S3 allows at most 10,000 parts per upload. */
export const MAX_PARTS = 10_000;

export type ConditionalMode = 'native' | 'emulated';

export interface UploadTarget {
  readonly client: S3Client;
  readonly bucket: string;
  /** Full S3 key (store prefix included). */
  readonly s3Key: string;
  /** Key as the caller knows it. */
  readonly key: string;
  readonly partSize: number;
  readonly mode: ConditionalMode;
  readonly call: S3CallContext;
  /** HEAD of the same key, through the store (undefined when absent). */
  readonly head: () => Promise<ObjectMeta | undefined>;
}

export interface UploadRequest {
  readonly body: ObjectBody;
  readonly algorithm: ChecksumAlgorithm;
  readonly expected: string | undefined;
}

export async function uploadIfAbsent(target: UploadTarget, request: UploadRequest): Promise<PutResult> {
  if (target.mode === 'emulated') {
    const existing = await target.head();
    if (existing) return alreadyExistsBeforeUpload(existing, request.body, request);
  }
  const parts = partsOf(request.body, target.partSize)[Symbol.asyncIterator]();
  const first = await parts.next();
  const firstPart = first.done ? Buffer.alloc(0) : first.value;
  const second = first.done ? first : await parts.next();
  if (second.done) return putSingle(target, request, firstPart);
  return putMultipart(target, request, [firstPart, second.value], parts);
}

async function putSingle(target: UploadTarget, request: UploadRequest, data: Buffer): Promise<PutResult> {
  const checksum = checksumOf(request.algorithm, data);
  if (request.expected !== undefined && request.expected !== checksum.value) {
    throw new ChecksumMismatchError(target.key, request.expected, checksum.value, 'upload');
  }
  const md5 = createHash('md5').update(data).digest();
  let response;
  try {
    response = await callS3(
      target.call,
      'PutObject',
      () =>
        target.client.send(
          new PutObjectCommand({
            Bucket: target.bucket,
            Key: target.s3Key,
            Body: data,
            ContentLength: data.length,
            ContentMD5: md5.toString('base64'),
            Metadata: { [CHECKSUM_METADATA_KEY]: formatChecksum(checksum) },
            ...(target.mode === 'native' ? { IfNoneMatch: '*' } : {}),
          }),
        ),
      { passThrough: isPreconditionFailed },
    );
  } catch (err) {
    if (isPreconditionFailed(err)) return alreadyExistsAfterConflict(target, data.length, checksum);
    throw err;
  }
  if (isPlainMd5Etag(response.ETag) && unquote(response.ETag) !== md5.toString('hex')) {
    throw new ChecksumMismatchError(target.key, md5.toString('hex'), unquote(response.ETag), 'upload');
  }
  return confirm(target, data.length, checksum);
}

async function putMultipart(
  target: UploadTarget,
  request: UploadRequest,
  firstParts: Buffer[],
  rest: AsyncIterator<Buffer>,
): Promise<PutResult> {
  const expected: Checksum = { algorithm: request.algorithm, value: request.expected ?? checksumOf(request.algorithm, request.body as Uint8Array).value };
  const created = await callS3(target.call, 'CreateMultipartUpload', () =>
    target.client.send(
      new CreateMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.s3Key,
        Metadata: { [CHECKSUM_METADATA_KEY]: formatChecksum(expected) },
      }),
    ),
  );
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new Error('CreateMultipartUpload returned no UploadId');
  let completed = false;
  try {
    const hasher = createChecksumHasher(request.algorithm);
    const done: CompletedPart[] = [];
    let size = 0;
    const send = async (part: Buffer): Promise<void> => {
      const partNumber = done.length + 1;
      if (partNumber > MAX_PARTS) {
        throw new ObjectStoreArgumentError(`body needs more than ${MAX_PARTS} parts of ${target.partSize} bytes; raise partSize`);
      }
      hasher.update(part);
      size += part.length;
      done.push({ PartNumber: partNumber, ETag: await uploadPart(target, uploadId, partNumber, part) });
    };
    for (const part of firstParts) await send(part);
    for (let next = await rest.next(); !next.done; next = await rest.next()) await send(next.value);
    const actual = hasher.digest();
    if (actual.value !== expected.value) throw new ChecksumMismatchError(target.key, expected.value, actual.value, 'upload');
    if (target.mode === 'emulated' && (await target.head())) {
      return alreadyExistsAfterConflict(target, size, actual);
    }
    try {
      await callS3(
        target.call,
        'CompleteMultipartUpload',
        () =>
          target.client.send(
            new CompleteMultipartUploadCommand({
              Bucket: target.bucket,
              Key: target.s3Key,
              UploadId: uploadId,
              MultipartUpload: { Parts: done },
              ...(target.mode === 'native' ? { IfNoneMatch: '*' } : {}),
            }),
          ),
        { passThrough: (err) => isPreconditionFailed(err) || isNoSuchUpload(err) },
      );
      completed = true;
    } catch (err) {
      if (isPreconditionFailed(err)) return alreadyExistsAfterConflict(target, size, actual);
      // A retried Complete whose first attempt succeeded finds the upload gone: look at the key.
      if (isNoSuchUpload(err)) {
        completed = true;
        return confirm(target, size, actual);
      }
      throw err;
    }
    return confirm(target, size, actual);
  } finally {
    // Release the source (a file stream, say) when we stop early on an error.
    await rest.return?.();
    if (!completed) await abortQuietly(target, uploadId);
  }
}

async function uploadPart(target: UploadTarget, uploadId: string, partNumber: number, part: Buffer): Promise<string> {
  const md5 = createHash('md5').update(part).digest();
  const response = await callS3(target.call, 'UploadPart', () =>
    target.client.send(
      new UploadPartCommand({
        Bucket: target.bucket,
        Key: target.s3Key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: part,
        ContentLength: part.length,
        ContentMD5: md5.toString('base64'),
      }),
    ),
  );
  if (response.ETag === undefined) throw new Error(`UploadPart ${partNumber} returned no ETag`);
  if (isPlainMd5Etag(response.ETag) && unquote(response.ETag) !== md5.toString('hex')) {
    throw new ChecksumMismatchError(target.key, md5.toString('hex'), unquote(response.ETag), 'upload');
  }
  return response.ETag;
}

/** Abort so the parts stop costing storage; a failure here is left to the bucket's lifecycle rule. */
async function abortQuietly(target: UploadTarget, uploadId: string): Promise<void> {
  try {
    await callS3(target.call, 'AbortMultipartUpload', () =>
      target.client.send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.s3Key, UploadId: uploadId })),
    );
  } catch {
    // The original failure is the one worth reporting.
  }
}

/**
 * After the write: HEAD must show our size and checksum. In emulated mode a different checksum
 * means another writer's object won the race; natively the condition already guaranteed ours.
 */
async function confirm(target: UploadTarget, size: number, checksum: Checksum): Promise<PutResult> {
  const meta = await target.head();
  if (meta && meta.size === size && sameChecksum(meta.checksum, checksum)) return { outcome: 'created', meta };
  if (target.mode === 'emulated' || meta === undefined) {
    return { outcome: 'already_exists', meta, sameContent: false };
  }
  throw new ChecksumMismatchError(target.key, `${size} bytes ${formatChecksum(checksum)}`, `${meta.size} bytes ${meta.checksum ? formatChecksum(meta.checksum) : 'no checksum'}`, 'upload');
}

async function alreadyExistsAfterConflict(target: UploadTarget, size: number, checksum: Checksum): Promise<PutResult> {
  const meta = await target.head();
  return { outcome: 'already_exists', meta, sameContent: meta === undefined ? undefined : meta.size === size && sameChecksum(meta.checksum, checksum) };
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '').toLowerCase();
}

/** Single-part, non-KMS ETags are the hex MD5 of the body; anything else is opaque. */
function isPlainMd5Etag(etag: string | undefined): etag is string {
  return /^[0-9a-f]{32}$/.test(unquote(etag));
}
