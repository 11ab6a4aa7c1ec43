// In-memory ObjectStore for unit tests of code built on the port. It passes the same contract
// suite as the S3 and folder backends, so tests against it say something about production.
import { checksumOf, resolvePutChecksum } from '../checksum';
import { sameContentAs } from '../put-outcome';
import { collectBody } from '../body';
import { ChecksumMismatchError, ObjectNotFoundError } from '../errors';
import { compareKeys, validateKey, validatePageSize, validatePrefix, validateRange } from '../keys';
import {
  MAX_LIST_PAGE,
  type GetOptions,
  type ListOptions,
  type ListPage,
  type ObjectBody,
  type ObjectMeta,
  type ObjectStore,
  type PutOptions,
  type PutResult,
} from '../types';

interface StoredObject {
  readonly data: Buffer;
  readonly meta: ObjectMeta;
}

export class MemoryObjectStore implements ObjectStore {
  readonly description: string;
  private readonly objects = new Map<string, StoredObject>();
  private version = 0;

  constructor(options: { name?: string } = {}) {
    this.description = `memory://${options.name ?? ''}`;
  }

  async putIfAbsent(key: string, body: ObjectBody, options: PutOptions = {}): Promise<PutResult> {
    validateKey(key);
    const { algorithm, expected } = resolvePutChecksum(body, options.checksum);
    // Copy: the caller may reuse its buffer after we return.
    const data = Buffer.from(await collectBody(body));
    const checksum = checksumOf(algorithm, data);
    if (expected !== undefined && expected !== checksum.value) {
      throw new ChecksumMismatchError(key, expected, checksum.value, 'upload');
    }
    const existing = this.objects.get(key);
    if (existing) {
      return { outcome: 'already_exists', meta: existing.meta, sameContent: sameContentAs(existing.meta, data.length, checksum) };
    }
    const meta: ObjectMeta = { key, size: data.length, etag: `"m${++this.version}"`, checksum, lastModified: new Date() };
    this.objects.set(key, { data, meta });
    return { outcome: 'created', meta };
  }

  async get(key: string, options: GetOptions = {}): Promise<Buffer> {
    const object = this.require(key);
    if (options.verifyChecksum && object.meta.checksum) {
      const actual = checksumOf(object.meta.checksum.algorithm, object.data);
      if (actual.value !== object.meta.checksum.value) {
        throw new ChecksumMismatchError(key, object.meta.checksum.value, actual.value, 'read');
      }
    }
    return Buffer.from(object.data);
  }

  async getRange(key: string, start: number, endExclusive: number): Promise<Buffer> {
    validateRange(start, endExclusive);
    const object = this.require(key);
    return Buffer.from(object.data.subarray(Math.min(start, object.data.length), Math.min(endExclusive, object.data.length)));
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    validateKey(key);
    return this.objects.get(key)?.meta;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    validatePrefix(prefix);
    const pageSize = validatePageSize(options.pageSize, MAX_LIST_PAGE);
    const keys = [...this.objects.keys()]
      .filter((key) => key.startsWith(prefix) && (options.token === undefined || compareKeys(key, options.token) > 0))
      .sort(compareKeys);
    const page = keys.slice(0, pageSize);
    return {
      objects: page.map((key) => ({ key, size: (this.objects.get(key) as StoredObject).data.length })),
      nextToken: keys.length > pageSize ? page[page.length - 1] : undefined,
    };
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    this.objects.delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    validatePrefix(prefix);
    let deleted = 0;
    for (const key of [...this.objects.keys()]) {
      if (key.startsWith(prefix) && this.objects.delete(key)) deleted++;
    }
    return deleted;
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  /** Test hook: flips a byte in the stored copy, as bit rot on a disk would. */
  corruptForTest(key: string, offset: number): void {
    const object = this.require(key);
    const index = offset % object.data.length;
    object.data[index] = (object.data[index] as number) ^ 0xff;
  }

  private require(key: string): StoredObject {
    validateKey(key);
    const object = this.objects.get(key);
    if (!object) throw new ObjectNotFoundError(key);
    return object;
  }
}
