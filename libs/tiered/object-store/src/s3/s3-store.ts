// ObjectStore over any S3 API (AWS S3, MinIO, s3rver, ...): `s3://bucket/prefix`.
// Every request goes through the retry policy (exponential backoff, full jitter); the SDK's own
// retries are off (maxAttempts 1) so there is one policy, with one budget, to reason about.
import { randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { checksumOf, parseChecksum, resolvePutChecksum } from '../checksum';
import { ChecksumMismatchError, ObjectNotFoundError, ObjectStoreRequestError } from '../errors';
import { validateKey, validatePageSize, validatePrefix, validateRange } from '../keys';
import { MAX_LIST_PAGE, type GetOptions, type ListOptions, type ListPage, type ObjectBody, type ObjectMeta, type ObjectStore, type PutOptions, type PutResult } from '../types';
import { callS3, type S3CallContext } from './s3-call';
import { isInvalidRange, isNotFoundError, isPreconditionFailed } from './s3-errors';
import { CHECKSUM_METADATA_KEY, uploadIfAbsent, type ConditionalMode } from './s3-upload';

export type ConditionalCreateSetting = ConditionalMode | 'auto';

export interface S3ObjectStoreOptions {
  readonly client: S3Client;
  /** Destroy the client on close (true when openObjectStore built it). */
  readonly ownsClient: boolean;
  readonly bucket: string;
  /** Key prefix inside the bucket: empty or ending in '/'. */
  readonly prefix: string;
  readonly partSize: number;
  readonly conditionalCreate: ConditionalCreateSetting;
  readonly call: S3CallContext;
}

export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  private modeProbe: Promise<ConditionalMode> | undefined;

  constructor(private readonly options: S3ObjectStoreOptions) {
    this.description = `s3://${options.bucket}/${options.prefix}`;
  }

  /** How conditional create is enforced; 'auto' is resolved by a probe on first use. */
  async conditionalMode(): Promise<ConditionalMode> {
    if (this.options.conditionalCreate !== 'auto') return this.options.conditionalCreate;
    this.modeProbe ??= this.probeConditionalWrites().catch((err: unknown) => {
      this.modeProbe = undefined; // an outage must not pin the answer
      throw err;
    });
    return this.modeProbe;
  }

  async putIfAbsent(key: string, body: ObjectBody, options: PutOptions = {}): Promise<PutResult> {
    validateKey(key);
    const { algorithm, expected } = resolvePutChecksum(body, options.checksum);
    return uploadIfAbsent(
      {
        client: this.options.client,
        bucket: this.options.bucket,
        s3Key: this.s3Key(key),
        key,
        partSize: this.options.partSize,
        mode: await this.conditionalMode(),
        call: this.options.call,
        head: () => this.head(key),
      },
      { body, algorithm, expected },
    );
  }

  async get(key: string, options: GetOptions = {}): Promise<Buffer> {
    validateKey(key);
    const { data, metadata } = await this.fetch(key, undefined);
    const recorded = parseChecksum(metadata?.[CHECKSUM_METADATA_KEY]);
    if (options.verifyChecksum && recorded) {
      const actual = checksumOf(recorded.algorithm, data);
      if (actual.value !== recorded.value) throw new ChecksumMismatchError(key, recorded.value, actual.value, 'read');
    }
    return data;
  }

  async getRange(key: string, start: number, endExclusive: number): Promise<Buffer> {
    validateKey(key);
    validateRange(start, endExclusive);
    if (start === endExclusive) {
      // An empty range cannot be expressed as an HTTP Range; still report a missing key.
      if (!(await this.head(key))) throw new ObjectNotFoundError(key);
      return Buffer.alloc(0);
    }
    try {
      return (await this.fetch(key, { start, endExclusive })).data;
    } catch (err) {
      // 416: start at or beyond the end of the object. The key exists (else 404), so: no bytes.
      if (isInvalidRange(err)) return Buffer.alloc(0);
      throw err;
    }
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    validateKey(key);
    try {
      const response = await callS3(
        this.options.call,
        'HeadObject',
        () => this.options.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.s3Key(key) })),
        { passThrough: isNotFoundError },
      );
      return {
        key,
        size: response.ContentLength ?? 0,
        etag: response.ETag ?? '',
        checksum: parseChecksum(response.Metadata?.[CHECKSUM_METADATA_KEY]),
        lastModified: response.LastModified ?? new Date(0),
      };
    } catch (err) {
      if (isNotFoundError(err)) return undefined;
      throw err;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    validatePrefix(prefix);
    const pageSize = validatePageSize(options.pageSize, MAX_LIST_PAGE);
    // ListObjects (V1) with Marker = the last key seen: every S3 implementation supports it, while
    // V2 continuation tokens are not universal (s3rver cannot mint them under OpenSSL 3). Our
    // token is that last key, so the caller's view is the same either way.
    const response = await callS3(this.options.call, 'ListObjects', () =>
      this.options.client.send(
        new ListObjectsCommand({
          Bucket: this.options.bucket,
          Prefix: this.options.prefix + prefix,
          MaxKeys: pageSize,
          ...(options.token === undefined ? {} : { Marker: this.options.prefix + options.token }),
        }),
      ),
    );
    const objects = (response.Contents ?? [])
      .filter((entry) => entry.Key !== undefined)
      .map((entry) => ({ key: (entry.Key as string).slice(this.options.prefix.length), size: entry.Size ?? 0 }));
    const last = objects[objects.length - 1];
    return { objects, nextToken: response.IsTruncated && last !== undefined ? last.key : undefined };
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    // DeleteObject is idempotent on S3: deleting an absent key answers 204.
    await callS3(this.options.call, 'DeleteObject', () =>
      this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.s3Key(key) })),
    );
  }

  async deletePrefix(prefix: string): Promise<number> {
    validatePrefix(prefix);
    let deleted = 0;
    // Always list from the start: the page just deleted is gone, so the next one comes first.
    for (;;) {
      const page = await this.list(prefix, { pageSize: MAX_LIST_PAGE });
      if (page.objects.length === 0) return deleted;
      const response = await callS3(this.options.call, 'DeleteObjects', () =>
        this.options.client.send(
          new DeleteObjectsCommand({
            Bucket: this.options.bucket,
            Delete: { Objects: page.objects.map((object) => ({ Key: this.s3Key(object.key) })), Quiet: false },
          }),
        ),
      );
      const failed = response.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0];
        throw new Error(`DeleteObjects failed for ${failed.length} key(s), first ${first?.Key}: ${first?.Code} ${first?.Message}`);
      }
      deleted += page.objects.length;
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) this.options.client.destroy();
  }

  private s3Key(key: string): string {
    return this.options.prefix + key;
  }

  private async fetch(
    key: string,
    range: { start: number; endExclusive: number } | undefined,
  ): Promise<{ data: Buffer; metadata: Record<string, string> | undefined }> {
    try {
      // The body is read inside the retried request: a connection reset mid-body retries the GET.
      return await callS3(
        this.options.call,
        'GetObject',
        async () => {
          const response = await this.options.client.send(
            new GetObjectCommand({
              Bucket: this.options.bucket,
              Key: this.s3Key(key),
              // HTTP ranges are inclusive (RFC 9110 §14.1.2); S3 clamps an end past the object's size.
              ...(range ? { Range: `bytes=${range.start}-${range.endExclusive - 1}` } : {}),
            }),
          );
          const served = parseContentRange(response.ContentRange);
          if (range && served?.total !== undefined && range.start >= served.total) {
            // Nothing to read. Some servers (s3rver) answer a range on an empty object with a
            // 206 whose announced length they never send; do not wait for it.
            (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
            return { data: Buffer.alloc(0), metadata: response.Metadata };
          }
          const bytes = response.Body ? await response.Body.transformToByteArray() : new Uint8Array();
          let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          if (range) {
            // Trust the bytes, not the request: a server that ignored the Range (200, whole object)
            // or widened it (s3rver reads "bytes=0-0" as "from 0") still yields exactly what was asked.
            const from = served ? range.start - served.start : range.start;
            data = data.subarray(Math.max(0, from), Math.max(0, from + (range.endExclusive - range.start)));
          }
          return { data, metadata: response.Metadata };
        },
        { passThrough: (err) => isNotFoundError(err) || isInvalidRange(err) },
      );
    } catch (err) {
      if (isNotFoundError(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  /**
   * Writes a probe key twice with If-None-Match: *. A server that honours the condition answers
   * the second write with 412; one that ignores it (s3rver, older S3-compatible servers)
   * overwrites, and we fall back to emulation.
   */
  private async probeConditionalWrites(): Promise<ConditionalMode> {
    const key = `${this.options.prefix}.stratus-probe/${randomUUID()}`;
    const put = (): Promise<unknown> =>
      callS3(
        this.options.call,
        'PutObject(probe)',
        () => this.options.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: Buffer.from('probe'), IfNoneMatch: '*' })),
        { passThrough: isPreconditionFailed },
      );
    try {
      try {
        await put();
      } catch (err) {
        // 501 NotImplemented: the server refuses the header outright; it cannot enforce it either.
        if (err instanceof ObjectStoreRequestError && err.status === 501) return 'emulated';
        throw err;
      }
      try {
        await put();
        return 'emulated';
      } catch (err) {
        if (isPreconditionFailed(err)) return 'native';
        throw err;
      }
    } finally {
      await callS3(this.options.call, 'DeleteObject(probe)', () =>
        this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key })),
      ).catch(() => undefined);
    }
  }
}

/** "bytes 0-99/1234" → start 0, total 1234 (total undefined for "*"). */
function parseContentRange(header: string | undefined): { start: number; total: number | undefined } | undefined {
  const match = header === undefined ? null : /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header.trim());
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}
