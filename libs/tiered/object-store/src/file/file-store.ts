// ObjectStore in a local folder: the embedded default of a local cluster (`file:///abs/path`).
// Crash safety: an object is written to a temp file, fsynced, then published with link(), which
// fails with EEXIST when the name exists — an atomic create-if-absent even between processes —
// and the directory is fsynced so the new name survives a power cut. A crash leaves at most a
// temp file, never a partial object.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readdir, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createChecksumHasher, formatChecksum, resolvePutChecksum, checksumOf } from '../checksum';
import { alreadyExistsBeforeUpload, sameContentAs } from '../put-outcome';
import { partsOf } from '../body';
import { ChecksumMismatchError, ObjectNotFoundError, ObjectStoreArgumentError } from '../errors';
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
import {
  OBJECT_SUFFIX,
  TRAILER_FIXED_BYTES,
  decodeSegment,
  decodeTrailerJson,
  encodeTrailer,
  objectPath,
  prefixDirectory,
  trailerJsonLength,
  type TrailerMeta,
} from './file-layout';

export interface FileObjectStoreOptions {
  /** Temp files older than this are crash leftovers and are removed at open (default 1 hour). */
  readonly staleTempMs?: number;
  /** Bytes written per write() call while streaming a body (default 1 MiB). */
  readonly writeChunkBytes?: number;
}

interface OpenObject {
  readonly handle: FileHandle;
  readonly bodySize: number;
  readonly trailer: TrailerMeta;
  readonly mtime: Date;
}

export class FileObjectStore implements ObjectStore {
  readonly description: string;
  private readonly objectsDir: string;
  private readonly tmpDir: string;

  private constructor(
    root: string,
    private readonly options: FileObjectStoreOptions,
  ) {
    this.description = `file://${root}`;
    this.objectsDir = join(root, 'objects');
    this.tmpDir = join(root, 'tmp');
  }

  static async open(root: string, options: FileObjectStoreOptions = {}): Promise<FileObjectStore> {
    const store = new FileObjectStore(root, options);
    await mkdir(store.objectsDir, { recursive: true });
    await mkdir(store.tmpDir, { recursive: true });
    await store.sweepTemp();
    return store;
  }

  async putIfAbsent(key: string, body: ObjectBody, options: PutOptions = {}): Promise<PutResult> {
    validateKey(key);
    const { algorithm, expected } = resolvePutChecksum(body, options.checksum);
    const target = objectPath(this.objectsDir, key);
    const before = await this.head(key);
    if (before) {
      // Skip writing a copy we would throw away.
      return alreadyExistsBeforeUpload(before, body, { algorithm, expected });
    }
    const temp = join(this.tmpDir, `${randomUUID()}.part`);
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    let closed = false;
    try {
      const hasher = createChecksumHasher(algorithm);
      let size = 0;
      for await (const part of partsOf(body, this.options.writeChunkBytes ?? 1024 * 1024)) {
        hasher.update(part);
        await writeFully(handle, part, size);
        size += part.length;
      }
      const checksum = hasher.digest();
      if (expected !== undefined && expected !== checksum.value) {
        throw new ChecksumMismatchError(key, expected, checksum.value, 'upload');
      }
      const etag = `"${checksum.value}-${size}"`;
      await writeFully(handle, encodeTrailer({ checksum: formatChecksum(checksum), etag }), size);
      await handle.sync();
      await handle.close();
      closed = true;
      const linked = await this.publish(temp, target);
      if (!linked) {
        const meta = await this.head(key);
        return { outcome: 'already_exists', meta, sameContent: meta === undefined ? undefined : sameContentAs(meta, size, checksum) };
      }
      const mtime = (await stat(target)).mtime;
      return { outcome: 'created', meta: { key, size, etag, checksum, lastModified: mtime } };
    } finally {
      if (!closed) await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Buffer> {
    const object = await this.openObject(key);
    try {
      const data = await readExactly(object.handle, 0, object.bodySize);
      const recorded = object.trailer.checksum;
      if (options.verifyChecksum && recorded) {
        const actual = checksumOf(recorded.algorithm, data);
        if (actual.value !== recorded.value) throw new ChecksumMismatchError(key, recorded.value, actual.value, 'read');
      }
      return data;
    } finally {
      await object.handle.close();
    }
  }

  async getRange(key: string, start: number, endExclusive: number): Promise<Buffer> {
    validateRange(start, endExclusive);
    const object = await this.openObject(key);
    try {
      const from = Math.min(start, object.bodySize);
      return await readExactly(object.handle, from, Math.min(endExclusive, object.bodySize) - from);
    } finally {
      await object.handle.close();
    }
  }

  async head(key: string): Promise<ObjectMeta | undefined> {
    let object: OpenObject;
    try {
      object = await this.openObject(key);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return undefined;
      throw err;
    }
    await object.handle.close();
    return { key, size: object.bodySize, etag: object.trailer.etag, checksum: object.trailer.checksum, lastModified: object.mtime };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    validatePrefix(prefix);
    const pageSize = validatePageSize(options.pageSize, MAX_LIST_PAGE);
    const all = (await this.keysUnder(prefix)).filter((entry) => options.token === undefined || compareKeys(entry.key, options.token) > 0);
    const page = all.slice(0, pageSize);
    return { objects: page, nextToken: all.length > pageSize ? page[page.length - 1]?.key : undefined };
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    const path = objectPath(this.objectsDir, key);
    try {
      await unlink(path);
    } catch (err) {
      if (errno(err) === 'ENOENT') return;
      throw err;
    }
    await fsyncDir(dirname(path));
    await this.pruneEmptyDirs(dirname(path));
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    for (const { key } of await this.keysUnder(validatePrefix(prefix))) {
      await this.delete(key);
      deleted++;
    }
    return deleted;
  }

  async close(): Promise<void> {
    // Every call opens and closes its own handles.
  }

  /** link() then fsync of the directory; false when the name exists. */
  private async publish(temp: string, target: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      await this.ensureDir(dirname(target));
      try {
        await link(temp, target);
        await fsyncDir(dirname(target));
        return true;
      } catch (err) {
        if (errno(err) === 'EEXIST') return false;
        // A concurrent delete may prune the directory between mkdir and link; make it again.
        if (errno(err) === 'ENOENT' && attempt < 3) continue;
        throw mapNameError(err);
      }
    }
  }

  private async ensureDir(dir: string): Promise<void> {
    let first: string | undefined;
    try {
      first = await mkdir(dir, { recursive: true });
    } catch (err) {
      throw mapNameError(err);
    }
    if (first === undefined) return;
    // New directories are durable only once their parents are fsynced too.
    for (let current = dir; current.length >= first.length; current = dirname(current)) await fsyncDir(dirname(current));
  }

  private async pruneEmptyDirs(dir: string): Promise<void> {
    for (let current = dir; current.startsWith(this.objectsDir + '/'); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
    }
  }

  private async openObject(key: string): Promise<OpenObject> {
    validateKey(key);
    let handle: FileHandle;
    try {
      handle = await open(objectPath(this.objectsDir, key), constants.O_RDONLY);
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw new ObjectNotFoundError(key);
      throw mapNameError(err);
    }
    try {
      const info = await handle.stat();
      const fixed = await readExactly(handle, Math.max(0, info.size - TRAILER_FIXED_BYTES), Math.min(info.size, TRAILER_FIXED_BYTES));
      const jsonLength = trailerJsonLength(fixed, info.size);
      const trailer =
        jsonLength === undefined
          ? undefined
          : decodeTrailerJson(await readExactly(handle, info.size - TRAILER_FIXED_BYTES - jsonLength, jsonLength));
      if (jsonLength === undefined || trailer === undefined) {
        throw new ChecksumMismatchError(key, 'a valid object trailer', 'a damaged file', 'read');
      }
      return { handle, bodySize: info.size - TRAILER_FIXED_BYTES - jsonLength, trailer, mtime: info.mtime };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  private async keysUnder(prefix: string): Promise<{ key: string; size: number }[]> {
    const { dir, keyPrefix } = prefixDirectory(this.objectsDir, prefix);
    const found: { key: string; size: number }[] = [];
    const walk = async (path: string, keyBase: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(path, { withFileTypes: true });
      } catch (err) {
        if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return;
        throw err;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) {
          const sub = keyBase + decodeSegment(entry.name) + '/';
          if (sub.startsWith(prefix) || prefix.startsWith(sub)) await walk(join(path, entry.name), sub);
        } else if (entry.isFile() && entry.name.endsWith(OBJECT_SUFFIX)) {
          const key = keyBase + decodeSegment(entry.name.slice(0, -OBJECT_SUFFIX.length));
          if (!key.startsWith(prefix)) continue;
          const meta = await this.head(key);
          if (meta) found.push({ key, size: meta.size });
        }
      }
    };
    await walk(dir, keyPrefix);
    return found.sort((a, b) => compareKeys(a.key, b.key));
  }

  private async sweepTemp(): Promise<void> {
    const cutoff = Date.now() - (this.options.staleTempMs ?? 60 * 60 * 1000);
    for (const name of await readdir(this.tmpDir)) {
      const path = join(this.tmpDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await unlink(path).catch(() => undefined);
    }
  }
}

function errno(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function mapNameError(err: unknown): unknown {
  if (errno(err) === 'ENAMETOOLONG') return new ObjectStoreArgumentError('object key segment is too long for the file system');
  return err;
}

async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    written += bytesWritten;
  }
}

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buffer, read, length - read, position + read);
    if (bytesRead === 0) throw new Error(`object file shrank while reading (wanted ${length} bytes at ${position})`);
    read += bytesRead;
  }
  return buffer;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
