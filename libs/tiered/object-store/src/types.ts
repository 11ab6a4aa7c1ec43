// The object store port of tiered storage: a narrow put/get-range/list/delete interface with one
// contract suite (object-store-contract.testkit.ts) that every backend passes.
import type { Checksum, ChecksumAlgorithm } from './checksum';

/**
 * An object body: one buffer, or chunks from a stream/iterable consumed exactly once. Streams
 * let a large sealed segment go up as a multipart upload without holding it all in memory.
 */
export type ObjectBody = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface ObjectMeta {
  /** Key relative to the store's root (the URL's prefix is not part of it). */
  readonly key: string;
  readonly size: number;
  /** Opaque version tag; changes when the content changes. */
  readonly etag: string;
  /** The checksum recorded at upload, or undefined for objects written by other tools. */
  readonly checksum: Checksum | undefined;
  readonly lastModified: Date;
}

export interface PutOptions {
  /**
   * Which checksum to record (default crc32c) and, with `expected`, the value the bytes must have:
   * on a mismatch nothing becomes visible and ChecksumMismatchError is thrown.
   */
  readonly checksum?: { readonly algorithm?: ChecksumAlgorithm; readonly expected?: string };
}

export type PutResult =
  | { readonly outcome: 'created'; readonly meta: ObjectMeta }
  | {
      readonly outcome: 'already_exists';
      /** The object already there (undefined if it vanished again before we could look). */
      readonly meta: ObjectMeta | undefined;
      /**
       * Whether the existing object has the same size and checksum as the one offered: true means
       * an earlier attempt (perhaps one whose answer was lost) already stored these bytes. Undefined
       * when the store could not tell without reading the body first.
       */
      readonly sameContent: boolean | undefined;
    };

export interface GetOptions {
  /** Recompute the checksum of the whole object and compare it with the recorded one. */
  readonly verifyChecksum?: boolean;
}

export interface ListOptions {
  /** At most this many keys per page (default and maximum 1000, as S3). */
  readonly pageSize?: number;
  /** `nextToken` from the previous page. */
  readonly token?: string;
}

export interface ListPage {
  readonly objects: readonly { readonly key: string; readonly size: number }[];
  /** Present when more keys follow. */
  readonly nextToken: string | undefined;
}

export interface ObjectStore {
  /** Describes the backend for logs, without credentials, e.g. "s3://bucket/prefix/". */
  readonly description: string;
  /**
   * Creates `key` unless it exists. Never overwrites: a sealed segment is written once. How strong
   * that guarantee is under concurrent writers depends on the backend (docs/tiered-storage.md).
   */
  putIfAbsent(key: string, body: ObjectBody, options?: PutOptions): Promise<PutResult>;
  /** Throws ObjectNotFoundError when absent. */
  get(key: string, options?: GetOptions): Promise<Buffer>;
  /**
   * Bytes [start, min(endExclusive, size)) of `key`; empty when start >= size. Throws
   * ObjectNotFoundError when absent and ObjectStoreArgumentError for a negative or inverted range.
   */
  getRange(key: string, start: number, endExclusive: number): Promise<Buffer>;
  /** Metadata, or undefined when absent. */
  head(key: string): Promise<ObjectMeta | undefined>;
  /**
   * One page of keys starting with `prefix`, in byte (UTF-8) order on S3, folder and memory. For
   * maintenance (retention, audit), never on a read path: reads go through the manifest.
   */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Deletes `key`; deleting an absent key succeeds. */
  delete(key: string): Promise<void>;
  /** Deletes every key starting with `prefix`; returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /** Releases connections/handles. */
  close(): Promise<void>;
}

export const MAX_LIST_PAGE = 1000;

/** Every key under `prefix`, page by page. */
export async function* listAll(store: ObjectStore, prefix: string, options: { pageSize?: number } = {}): AsyncIterable<{
  key: string;
  size: number;
}> {
  let token: string | undefined;
  do {
    const page = await store.list(prefix, { pageSize: options.pageSize, token });
    yield* page.objects;
    token = page.nextToken;
  } while (token !== undefined);
}
